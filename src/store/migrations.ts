/**
 * Versioned schema migrations. Each migration runs in its own transaction together with the
 * insert of its row into `schema_migrations`, so a crash leaves the database either before or
 * after a migration, never half-way. Migrations are append-only: never edit a shipped one,
 * add a new version instead.
 */
import type Database from "better-sqlite3";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreError";
  }
}

const V1_SQL = `
-- Raw bytes, content-addressed: every document we ever read stays re-extractable.
CREATE TABLE blobs (
  sha256      TEXT PRIMARY KEY,
  size        INTEGER NOT NULL,
  media_type  TEXT,
  first_seen  TEXT NOT NULL,
  bytes       BLOB NOT NULL
);

-- Provenance: the same bytes may be published at several paths or URLs.
CREATE TABLE blob_sources (
  sha256      TEXT NOT NULL REFERENCES blobs(sha256),
  locator     TEXT NOT NULL,
  first_seen  TEXT NOT NULL,
  last_seen   TEXT NOT NULL,
  UNIQUE (sha256, locator)
);
CREATE INDEX blob_sources_locator ON blob_sources(locator);

-- One row per (document, extractor version): the unit of idempotency.
CREATE TABLE extraction_runs (
  id                 INTEGER PRIMARY KEY,
  sha256             TEXT NOT NULL REFERENCES blobs(sha256),
  extractor_name     TEXT NOT NULL,
  extractor_version  TEXT NOT NULL,
  started_at         TEXT NOT NULL,
  finished_at        TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
  error              TEXT,
  format             TEXT,
  charset            TEXT,
  UNIQUE (sha256, extractor_name, extractor_version)
);
CREATE INDEX extraction_runs_status ON extraction_runs(status);

CREATE TABLE reports (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL UNIQUE REFERENCES extraction_runs(id),
  sha256        TEXT NOT NULL REFERENCES blobs(sha256),
  locator       TEXT NOT NULL,
  title         TEXT,
  organ         TEXT,
  year          INTEGER,
  published_at  TEXT,
  period        TEXT,
  template      TEXT,
  t2_template   TEXT,
  t3_template   TEXT,
  t4_template   TEXT,
  status        TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
  problems      TEXT NOT NULL DEFAULT '[]',
  preamble      TEXT NOT NULL DEFAULT '',
  is_current    INTEGER NOT NULL CHECK (is_current IN (0, 1))
);
-- The database itself guarantees at most one current report per document.
CREATE UNIQUE INDEX reports_current_sha256 ON reports(sha256) WHERE is_current = 1;
CREATE INDEX reports_organ_year ON reports(organ, year);
CREATE INDEX reports_year ON reports(year);

-- WITHOUT ROWID: the natural key is the primary key and rows are small.
CREATE TABLE cells (
  report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  tbl         TEXT NOT NULL,
  row_key     TEXT NOT NULL,
  col_key     TEXT NOT NULL,
  path        TEXT NOT NULL,
  value       REAL,
  value_text  TEXT,
  unit        TEXT,
  raw         TEXT NOT NULL,
  source      TEXT NOT NULL,
  note        TEXT,
  candidates  TEXT,
  confidence  REAL,
  grid        TEXT,
  grid_row    INTEGER,
  grid_col    INTEGER,
  page        INTEGER,
  bbox        TEXT,
  line        INTEGER,
  PRIMARY KEY (report_id, path)
) WITHOUT ROWID;

-- expected/actual have no declared type on purpose: they hold a number or a decimal string,
-- and any type name (even ANY) would give them an affinity that rewrites '7730.28' as a REAL.
CREATE TABLE findings (
  id         INTEGER PRIMARY KEY,
  report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  rule       TEXT NOT NULL,
  severity   TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  origin     TEXT NOT NULL CHECK (origin IN ('source', 'extraction')),
  path       TEXT,
  paths      TEXT NOT NULL DEFAULT '[]',
  expected,
  actual,
  residual   REAL,
  message    TEXT NOT NULL
);
CREATE INDEX findings_report ON findings(report_id);
CREATE INDEX findings_rule ON findings(rule);

CREATE TABLE extra_rows (
  id         INTEGER PRIMARY KEY,
  report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  tbl        TEXT NOT NULL,
  label      TEXT NOT NULL,
  "values"   TEXT NOT NULL DEFAULT '[]',
  loc        TEXT
);
CREATE INDEX extra_rows_report ON extra_rows(report_id);

CREATE TABLE sections (
  id         INTEGER PRIMARY KEY,
  report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  heading    TEXT NOT NULL,
  text       TEXT NOT NULL,
  UNIQUE (report_id, key)
);

-- Substring search for terms of 3+ characters; external content, so the text is stored once.
CREATE VIRTUAL TABLE sections_fts USING fts5(
  heading, text, content = 'sections', content_rowid = 'id', tokenize = 'trigram'
);

-- Trigram cannot match 1–2 character terms, and 2-character words (复议, 诉讼, 公开) are common
-- in Chinese. This table indexes a rendering where every overlapping pair of Han characters is
-- a token (see bigrams.ts). The rendering is not the stored text, so the table is contentless;
-- contentless_delete lets the delete trigger below keep it in sync.
CREATE VIRTUAL TABLE sections_bigram USING fts5(
  heading, text, content = '', contentless_delete = 1, tokenize = 'unicode61'
);

-- The trigram index follows the sections table through triggers (pure SQL, so rows written by
-- any client stay searchable). The bigram rows need JavaScript to render and are inserted by
-- the store next to each section; only their removal can be a trigger.
CREATE TRIGGER sections_ai AFTER INSERT ON sections BEGIN
  INSERT INTO sections_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
CREATE TRIGGER sections_ad AFTER DELETE ON sections BEGIN
  INSERT INTO sections_fts(sections_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text);
  DELETE FROM sections_bigram WHERE rowid = old.id;
END;
CREATE TRIGGER sections_au AFTER UPDATE ON sections BEGIN
  INSERT INTO sections_fts(sections_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text);
  INSERT INTO sections_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
`;

/** Format evidence on runs; pages needing OCR on reports (PDF backend). */
const V2_SQL = `
ALTER TABLE extraction_runs ADD COLUMN format_evidence TEXT;
ALTER TABLE reports ADD COLUMN needs_ocr TEXT NOT NULL DEFAULT '[]';
`;

/**
 * Table-3 keys as of migration 3, written out rather than imported from template.ts: a shipped
 * migration must never change, so the view cannot follow later edits of the template module
 * (test/store/datasette.test.ts checks they still agree; a new key needs a new migration that
 * recreates the view).
 */
const V3_T3_ROWS = [
  "new_requests",
  "carried_over",
  "granted",
  "partially_granted",
  "denied.state_secret",
  "denied.prohibited_by_law",
  "denied.security_stability",
  "denied.third_party_rights",
  "denied.internal_affairs",
  "denied.process_information",
  "denied.enforcement_case_file",
  "denied.administrative_query",
  "unable.not_held",
  "unable.needs_creation",
  "unable.unclear_after_correction",
  "not_processed.petition_complaint",
  "not_processed.repeat",
  "not_processed.publication",
  "not_processed.excessive",
  "not_processed.confirm_or_reissue",
  "other.no_correction",
  "other.fee_unpaid",
  "other.other",
  "other.subtotal",
  "results_total",
  "carried_forward",
];
const V3_T3_COLUMNS = [
  "natural_person",
  "commercial_enterprise",
  "research_institution",
  "social_welfare_org",
  "legal_service_org",
  "other_org",
  "total",
];

/**
 * One column of t3_wide: `denied.state_secret` + `total` → `denied_state_secret__total`. A
 * correlated lookup on the cells primary key per column (a 182-way CASE pivot would read every
 * cell of a report 182 times; 182 joins exceed SQLite's 64-table limit). Whole numbers come back
 * as INTEGER so Datasette shows 3, not 3.0.
 */
function v3WideColumn(row: string, col: string): string {
  const path = `t3.${row}.${col}`;
  const name = `${row.replaceAll(".", "_")}__${col}`;
  return `(SELECT CASE WHEN c.value = CAST(c.value AS INTEGER) THEN CAST(c.value AS INTEGER) ELSE c.value END
     FROM cells c WHERE c.report_id = r.id AND c.path = '${path}') AS ${name}`;
}

/** Read-only views for Datasette and ad-hoc SQL; current reports only, like the audit. */
const V3_SQL = `
-- Store.getReport looks up a document's other reports (its history) by sha256; the only index on
-- it is partial (current reports), so that lookup scanned every report, and exporting all reports
-- as JSON Lines was quadratic.
CREATE INDEX reports_sha256 ON reports(sha256);

-- Table 3 in wide form: one row per current report, one column per cell.
CREATE VIEW t3_wide AS
SELECT r.id AS report_id, r.organ, r.year, r.template,
  ${V3_T3_ROWS.flatMap((row) => V3_T3_COLUMNS.map((col) => v3WideColumn(row, col))).join(",\n  ")}
FROM reports r
WHERE r.is_current = 1;

-- Findings with the report they belong to.
CREATE VIEW findings_view AS
SELECT f.id, f.report_id, r.organ, r.year, r.title, r.locator, f.rule, f.severity, f.origin, f.path,
  f.paths, f.expected, f.actual, f.residual, f.message
FROM findings f JOIN reports r ON r.id = f.report_id
WHERE r.is_current = 1;

-- Reports with their run, size and counts of findings and sections.
CREATE VIEW reports_view AS
SELECT r.id AS report_id, r.organ, r.year, r.title, r.published_at, r.period, r.template, r.t2_template,
  r.t3_template, r.t4_template, r.status, r.problems, r.needs_ocr, r.locator, r.sha256, b.size, x.format,
  x.extractor_name, x.extractor_version, x.finished_at AS extracted_at,
  (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'error') AS errors,
  (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'warning') AS warnings,
  (SELECT count(*) FROM sections s WHERE s.report_id = r.id) AS sections
FROM reports r
JOIN extraction_runs x ON x.id = r.run_id
JOIN blobs b ON b.sha256 = r.sha256
WHERE r.is_current = 1;
`;

/**
 * The crawl (issue 5): the agency catalogue, per-host politeness state, the frontier (every URL
 * with its state and lease), every HTTP exchange, and links to copies outside the crawl's scope.
 * Times that the scheduler compares (`not_before`, `lease_until`, `next_at`) are epoch ms.
 */
const V4_SQL = `
CREATE TABLE crawl_agencies (
  id          INTEGER PRIMARY KEY,
  site_code   TEXT,
  name        TEXT NOT NULL,
  region      TEXT,
  level       TEXT CHECK (level IN ('department', 'government') OR level IS NULL),
  entry_url   TEXT NOT NULL,
  host        TEXT NOT NULL,
  added_at    TEXT NOT NULL,
  UNIQUE (name, entry_url)
);
CREATE UNIQUE INDEX crawl_agencies_site_code ON crawl_agencies(site_code) WHERE site_code IS NOT NULL;

CREATE TABLE crawl_hosts (
  host              TEXT PRIMARY KEY,
  state             TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'dead', 'challenge')),
  robots_kind       TEXT,
  robots_text       TEXT,
  robots_fetched_at TEXT,
  crawl_delay_ms    INTEGER,
  next_at           INTEGER NOT NULL DEFAULT 0,
  has_work          INTEGER NOT NULL DEFAULT 1,
  failures          INTEGER NOT NULL DEFAULT 0,
  requests          INTEGER NOT NULL DEFAULT 0,
  notes             TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX crawl_hosts_ready ON crawl_hosts(state, has_work, next_at);

CREATE TABLE crawl_frontier (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  dedupe_key    TEXT NOT NULL UNIQUE,
  url           TEXT NOT NULL,
  host          TEXT NOT NULL,
  role          TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'leased', 'done', 'failed', 'blocked')),
  priority      INTEGER NOT NULL DEFAULT 5,
  attempts      INTEGER NOT NULL DEFAULT 0,
  max_attempts  INTEGER NOT NULL DEFAULT 3,
  not_before    INTEGER NOT NULL DEFAULT 0,
  lease_owner   TEXT,
  lease_until   INTEGER,
  depth         INTEGER NOT NULL DEFAULT 0,
  parent_id     INTEGER REFERENCES crawl_frontier(id),
  agency_id     INTEGER REFERENCES crawl_agencies(id),
  data          TEXT NOT NULL DEFAULT '{}',
  outcome       TEXT,
  http_status   INTEGER,
  sha256        TEXT,
  content_type  TEXT,
  etag          TEXT,
  last_modified TEXT,
  fetched_at    TEXT,
  report_id     INTEGER REFERENCES reports(id),
  error         TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX crawl_frontier_host_ready ON crawl_frontier(host, state, priority, id);
CREATE INDEX crawl_frontier_agency ON crawl_frontier(agency_id, role, state);
CREATE INDEX crawl_frontier_sha ON crawl_frontier(sha256);

CREATE TABLE crawl_fetches (
  id            INTEGER PRIMARY KEY,
  frontier_id   INTEGER NOT NULL REFERENCES crawl_frontier(id),
  url           TEXT NOT NULL,
  method        TEXT NOT NULL,
  status        INTEGER,
  headers       TEXT,
  sha256        TEXT,
  size          INTEGER,
  started_at    TEXT NOT NULL,
  fetched_at    TEXT NOT NULL,
  error         TEXT
);
CREATE INDEX crawl_fetches_frontier ON crawl_fetches(frontier_id);

-- One row per \`nianbao crawl\` invocation (a February and an April pass, a resumed crawl…).
CREATE TABLE crawl_passes (
  id           INTEGER PRIMARY KEY,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  years        TEXT NOT NULL,
  seeds        INTEGER NOT NULL,
  fetches      INTEGER,
  summary      TEXT
);

CREATE TABLE crawl_offsite (
  id          INTEGER PRIMARY KEY,
  url         TEXT NOT NULL,
  text        TEXT,
  found_on    TEXT NOT NULL,
  agency_id   INTEGER REFERENCES crawl_agencies(id),
  reason      TEXT NOT NULL,
  UNIQUE (url, agency_id)
);
`;

/** Ordered by version, strictly increasing. Append only. */
/** OCR: why a repaired cell's value was taken (confidence already has its column). */
const V5_SQL = `
ALTER TABLE cells ADD COLUMN evidence TEXT;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "initial schema", sql: V1_SQL },
  { version: 2, name: "format evidence and OCR page marks", sql: V2_SQL },
  {
    version: 3,
    name: "views for Datasette (t3_wide, findings_view, reports_view); reports by sha256",
    sql: V3_SQL,
  },
  { version: 4, name: "crawl: agencies, hosts, frontier, fetches, off-site copies", sql: V4_SQL },
  { version: 5, name: "evidence of OCR-repaired cells", sql: V5_SQL },
];

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version     INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  applied_at  TEXT NOT NULL
)`;

/** Highest version the code knows. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** Highest applied version, 0 for a fresh database; null when there is no migrations table at all. */
export function currentVersion(db: Database.Database): number | null {
  const table = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    )
    .get();
  if (!table) return null;
  const row = db.prepare<[], { v: number | null }>("SELECT max(version) AS v FROM schema_migrations").get();
  return row?.v ?? 0;
}

function assertOrdered(migrations: readonly Migration[]): void {
  let prev = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= prev) {
      throw new StoreError(
        `migrations must have strictly increasing integer versions (at ${m.version} "${m.name}")`,
      );
    }
    prev = m.version;
  }
}

function newerError(found: number, known: number): StoreError {
  return new StoreError(
    `database schema version ${found} is newer than this nianbao supports (${known}); upgrade nianbao to open it`,
  );
}

/**
 * Bring a read-write database up to date. Returns the versions applied (empty when up to date).
 * Each migration takes an IMMEDIATE transaction and re-checks the version inside it, so two
 * processes opening the same fresh file cannot both apply it.
 * Throws StoreError when the database is newer than the code.
 */
export function migrate(
  db: Database.Database,
  now: () => string,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  assertOrdered(migrations);
  db.exec(CREATE_MIGRATIONS_TABLE);
  const known = latestVersion(migrations);
  const start = currentVersion(db) ?? 0;
  if (start > known) throw newerError(start, known);

  const record = db.prepare<[number, string, string]>(
    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
  );
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= start) continue;
    const apply = db.transaction(() => {
      if ((currentVersion(db) ?? 0) >= m.version) return;
      db.exec(m.sql);
      record.run(m.version, m.name, now());
      applied.push(m.version);
    });
    apply.immediate();
  }
  return applied;
}

/**
 * For read-only connections, which must never migrate: the schema must be exactly the code's.
 * Throws StoreError for a file that is not a nianbao store, is behind, or is ahead.
 */
export function assertCurrent(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const known = latestVersion(migrations);
  const found = currentVersion(db);
  if (found === null) throw new StoreError(`${db.name} is not a nianbao store (no schema_migrations table)`);
  if (found > known) throw newerError(found, known);
  if (found < known) {
    throw new StoreError(
      `database schema version ${found} is older than this nianbao (${known}); open it read-write once to migrate`,
    );
  }
}
