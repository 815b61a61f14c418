/**
 * The SQLite store: raw bytes, extraction runs, canonical reports and their parts.
 *
 * Invariants the code keeps (and the schema enforces where it can):
 *  - every document saved is kept as bytes, whatever the extraction outcome;
 *  - one extraction run per (sha256, extractor name, extractor version) — saving again is a no-op
 *    apart from provenance (`blob_sources.last_seen`);
 *  - at most one current report per sha256 (a partial unique index): the one from the most recently
 *    saved run that produced a report. Older reports stay as history; a failed run never demotes
 *    the current report, so a crashing new extractor cannot hide good data.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import type { Finding, Report } from "../model/report.js";
import { bigramText } from "./bigrams.js";
import {
  type CellParams,
  type CellRow,
  cellParams,
  type ExtraRowRow,
  type FindingParams,
  type FindingRow,
  findingParams,
  rowToCell,
  rowToExtraRow,
  rowToFinding,
} from "./codec.js";
import { CrossYearChecks, type CrossYearFilter, type CrossYearFinding } from "./crossyear.js";
import { assertCurrent, currentVersion, latestVersion, migrate, StoreError } from "./migrations.js";
import { type SearchHit, type SearchOptions, SectionSearch } from "./search.js";

export type { CrossYearFilter, CrossYearFinding } from "./crossyear.js";
export { StoreError } from "./migrations.js";
export type { SearchHit, SearchOptions } from "./search.js";

export type RunStatus = "ok" | "partial" | "failed";
type Severity = "error" | "warning" | "info";

export interface OpenOptions {
  /** Open with a real read-only connection; never migrates; the file must exist. */
  readonly?: boolean;
  /** Source of timestamps (tests pin it). */
  clock?: () => Date;
  /** Busy timeout in ms for lock waits (default 5000). */
  busyTimeoutMs?: number;
}

export interface SaveInput {
  bytes: Uint8Array;
  /** Path or URL the bytes were read from. */
  locator: string;
  mediaType: string;
  /** The extracted report; null when extraction failed (then `status` must be `failed`). */
  report: Report | null;
  status: RunStatus;
  error?: string;
  extractorName: string;
  extractorVersion: string;
  format: string;
  /** Why the format was chosen (signature bytes, media type, extension). */
  formatEvidence?: string;
  charset: string | null;
  /** When extraction started (ISO); defaults to the save time. */
  startedAt?: string;
}

export interface SaveResult {
  runId: number;
  /** The report stored by this run (or by the earlier identical run when skipped); null if none. */
  reportId: number | null;
  /** True when this sha256 + extractor name + version was already stored. */
  skipped: boolean;
  sha256: string;
}

export interface ReportFilter {
  year?: number;
  /** Substring of the organ name. */
  organ?: string;
  /** Include superseded reports (default: current only). */
  includeHistory?: boolean;
}

export interface ReportSummary {
  id: number;
  runId: number;
  sha256: string;
  locator: string;
  title: string | null;
  organ: string | null;
  year: number | null;
  publishedAt: string | null;
  period: string | null;
  template: string | null;
  t2Template: string | null;
  t3Template: string | null;
  t4Template: string | null;
  status: RunStatus;
  problems: string[];
  isCurrent: boolean;
  extractorName: string;
  extractorVersion: string;
  errors: number;
  warnings: number;
}

export interface StoredReport {
  summary: ReportSummary;
  /** The canonical document rebuilt from its rows (cells, findings, sections, extra rows). */
  report: Report;
  /** Section rows with their ids (the ids search hits refer to), in stored order. */
  sections: { id: number; key: string; heading: string; text: string }[];
  /** Other reports extracted from the same bytes (older or newer extractor runs). */
  history: ReportSummary[];
}

export interface FindingFilter {
  year?: number;
  organ?: string;
  /** Exact rule id, or a prefix ending at a dot boundary: `T3` matches `T3.R1`, `T3.X1`. */
  rule?: string;
  severity?: Severity;
}

export type StoredFinding = Finding & {
  id: number;
  reportId: number;
  organ: string | null;
  year: number | null;
};

export interface RunSummary {
  id: number;
  sha256: string;
  extractorName: string;
  extractorVersion: string;
  startedAt: string;
  finishedAt: string;
  status: RunStatus;
  error: string | null;
  format: string | null;
  charset: string | null;
  /** The locator this blob was most recently seen at. */
  locator: string | null;
}

export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

// ------------------------------------------------------------------ row shapes

interface SummaryRow {
  id: number;
  run_id: number;
  sha256: string;
  locator: string;
  title: string | null;
  organ: string | null;
  year: number | null;
  published_at: string | null;
  period: string | null;
  template: string | null;
  t2_template: string | null;
  t3_template: string | null;
  t4_template: string | null;
  status: RunStatus;
  problems: string;
  is_current: number;
  extractor_name: string;
  extractor_version: string;
  errors: number;
  warnings: number;
}

interface DetailRow extends SummaryRow {
  preamble: string;
  needs_ocr: string;
  format_evidence: string | null;
  size: number;
  media_type: string | null;
  format: string | null;
  charset: string | null;
}

const SUMMARY_COLUMNS = `r.id, r.run_id, r.sha256, r.locator, r.title, r.organ, r.year, r.published_at, r.period,
  r.template, r.t2_template, r.t3_template, r.t4_template, r.status, r.problems, r.is_current,
  x.extractor_name, x.extractor_version,
  (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'error') AS errors,
  (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'warning') AS warnings`;

function toSummary(r: SummaryRow): ReportSummary {
  return {
    id: r.id,
    runId: r.run_id,
    sha256: r.sha256,
    locator: r.locator,
    title: r.title,
    organ: r.organ,
    year: r.year,
    publishedAt: r.published_at,
    period: r.period,
    template: r.template,
    t2Template: r.t2_template,
    t3Template: r.t3_template,
    t4Template: r.t4_template,
    status: r.status,
    problems: JSON.parse(r.problems) as string[],
    isCurrent: r.is_current === 1,
    extractorName: r.extractor_name,
    extractorVersion: r.extractor_version,
    errors: r.errors,
    warnings: r.warnings,
  };
}

type SqlValue = string | number | null;

/** Statements used only for writing; prepared once, and only on read-write stores. */
class WriteStatements {
  readonly insertBlob;
  readonly upsertSource;
  readonly insertRun;
  readonly retireCurrent;
  readonly insertReport;
  readonly insertCell;
  readonly insertFinding;
  readonly insertExtraRow;
  readonly insertSection;
  readonly insertBigram;

  constructor(db: Database.Database) {
    this.insertBlob = db.prepare<[string, number, string, string, Buffer]>(
      `INSERT INTO blobs(sha256, size, media_type, first_seen, bytes) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(sha256) DO NOTHING`,
    );
    this.upsertSource = db.prepare<[string, string, string, string]>(
      `INSERT INTO blob_sources(sha256, locator, first_seen, last_seen) VALUES (?, ?, ?, ?)
       ON CONFLICT(sha256, locator) DO UPDATE SET last_seen = excluded.last_seen`,
    );
    this.insertRun = db.prepare<
      [
        string,
        string,
        string,
        string,
        string,
        RunStatus,
        string | null,
        string | null,
        string | null,
        string | null,
      ]
    >(
      `INSERT INTO extraction_runs(sha256, extractor_name, extractor_version, started_at, finished_at,
         status, error, format, charset, format_evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.retireCurrent = db.prepare<[string]>(
      "UPDATE reports SET is_current = 0 WHERE sha256 = ? AND is_current = 1",
    );
    this.insertReport = db.prepare<SqlValue[]>(
      `INSERT INTO reports(run_id, sha256, locator, title, organ, year, published_at, period, template,
         t2_template, t3_template, t4_template, status, problems, preamble, needs_ocr, is_current)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    );
    this.insertCell = db.prepare<CellParams>(
      `INSERT INTO cells(report_id, tbl, row_key, col_key, path, value, value_text, unit, raw, source, note,
         candidates, confidence, grid, grid_row, grid_col, page, bbox, line, evidence)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertFinding = db.prepare<FindingParams>(
      `INSERT INTO findings(report_id, rule, severity, origin, path, paths, expected, actual, residual, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertExtraRow = db.prepare<[number, string, string, string, string | null]>(
      `INSERT INTO extra_rows(report_id, tbl, label, "values", loc) VALUES (?, ?, ?, ?, ?)`,
    );
    this.insertSection = db.prepare<[number, string, string, string]>(
      "INSERT INTO sections(report_id, key, heading, text) VALUES (?, ?, ?, ?)",
    );
    this.insertBigram = db.prepare<[number | bigint, string, string]>(
      "INSERT INTO sections_bigram(rowid, heading, text) VALUES (?, ?, ?)",
    );
  }
}

/** The content address the store uses (lower-case hex), e.g. for `hasRun` before extracting. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Open (creating and migrating if needed) a store. Throws StoreError for a db newer than the code. */
/**
 * A read-only command on a database made by an older nianbao: apply the pending migrations through
 * a short read-write connection first, so users never have to "open it read-write once" by hand.
 * A file we may not write stays as it is and the read-only open reports the old schema.
 */
function upgradeIfOlder(path: string, timeout: number, now: () => string): void {
  let probe: Database.Database;
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true, timeout });
  } catch {
    return; // the read-only open below reports a missing file
  }
  const found = currentVersion(probe);
  probe.close();
  if (found === null || found >= latestVersion()) return;
  try {
    const rw = new Database(path, { timeout });
    try {
      migrate(rw, now);
    } finally {
      rw.close();
    }
  } catch {
    // Not writable: assertCurrent explains the situation.
  }
}

export function openStore(path: string, opts: OpenOptions = {}): Store {
  return new Store(path, opts);
}

export class Store {
  readonly path: string;
  readonly readonly: boolean;
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly timeout: number;
  private readonly writes: WriteStatements | null;
  private readonly searcher: SectionSearch;
  private readonly crossYear: CrossYearChecks;
  private queryDb: Database.Database | null = null;

  private readonly findRun;
  private readonly reportOfRun;
  private readonly hasRunStmt;
  private readonly listStmt;
  private readonly detailById;
  private readonly currentIdBySha;
  private readonly idsByShaPrefix;
  private readonly historyStmt;
  private readonly cellsOf;
  private readonly findingsOf;
  private readonly sectionsOf;
  private readonly extraRowsOf;
  private readonly findingsStmt;
  private readonly runsStmt;
  private readonly saveTx: (input: SaveInput, sha: string) => SaveResult;

  /** Prefer `openStore`. */
  constructor(path: string, opts: OpenOptions = {}) {
    this.path = path;
    this.readonly = opts.readonly === true;
    this.clock = opts.clock ?? (() => new Date());
    this.timeout = opts.busyTimeoutMs ?? 5000;
    const now = () => this.clock().toISOString();

    if (this.readonly) {
      upgradeIfOlder(path, this.timeout, now);
      this.db = new Database(path, { readonly: true, fileMustExist: true, timeout: this.timeout });
    } else {
      this.db = new Database(path, { timeout: this.timeout });
    }
    try {
      const db = this.db;
      if (this.readonly) {
        assertCurrent(db);
      } else {
        db.pragma("journal_mode = WAL");
        // NORMAL is durable against application crashes in WAL mode and only risks the last
        // commits on power loss; the raw documents can always be fetched again. It keeps a save
        // well under a millisecond instead of an fsync per document.
        db.pragma("synchronous = NORMAL");
      }
      db.pragma("foreign_keys = ON");
      db.pragma(`busy_timeout = ${Math.floor(this.timeout)}`);
      if (!this.readonly) migrate(db, now);

      this.writes = this.readonly ? null : new WriteStatements(db);
      this.searcher = new SectionSearch(db);
      this.crossYear = new CrossYearChecks(db);

      this.findRun = db.prepare<[string, string, string], { id: number }>(
        "SELECT id FROM extraction_runs WHERE sha256 = ? AND extractor_name = ? AND extractor_version = ?",
      );
      this.reportOfRun = db.prepare<[number], { id: number }>("SELECT id FROM reports WHERE run_id = ?");
      this.hasRunStmt = db
        .prepare<[string, string, string], number>(
          `SELECT EXISTS(SELECT 1 FROM extraction_runs
             WHERE sha256 = ? AND extractor_name = ? AND extractor_version = ?)`,
        )
        .pluck();
      const fromReports = "FROM reports r JOIN extraction_runs x ON x.id = r.run_id";
      this.listStmt = db.prepare<{ year: number | null; organ: string | null; all: number }, SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} ${fromReports}
         WHERE (@all = 1 OR r.is_current = 1)
           AND (@year IS NULL OR r.year = @year)
           AND (@organ IS NULL OR instr(r.organ, @organ) > 0)
         ORDER BY r.year DESC, r.organ, r.id`,
      );
      this.detailById = db.prepare<[number], DetailRow>(
        `SELECT ${SUMMARY_COLUMNS}, r.preamble, r.needs_ocr, b.size, b.media_type, x.format, x.charset,
           x.format_evidence
         ${fromReports} JOIN blobs b ON b.sha256 = r.sha256 WHERE r.id = ?`,
      );
      this.currentIdBySha = db
        .prepare<[string], number>("SELECT id FROM reports WHERE sha256 = ? AND is_current = 1")
        .pluck();
      this.idsByShaPrefix = db
        .prepare<[string, string], number>(
          "SELECT id FROM reports WHERE is_current = 1 AND substr(sha256, 1, length(?)) = ? LIMIT 2",
        )
        .pluck();
      this.historyStmt = db.prepare<[string, number], SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} ${fromReports} WHERE r.sha256 = ? AND r.id <> ? ORDER BY r.id DESC`,
      );
      this.cellsOf = db.prepare<[number], CellRow>(
        `SELECT path, tbl, col_key, value, value_text, unit, raw, source, note, candidates, confidence,
           grid, grid_row, grid_col, page, bbox, line, evidence FROM cells WHERE report_id = ?`,
      );
      this.findingsOf = db.prepare<[number], FindingRow>(
        `SELECT rule, severity, origin, path, paths, expected, actual, residual, message
         FROM findings WHERE report_id = ? ORDER BY id`,
      );
      this.sectionsOf = db.prepare<[number], { id: number; key: string; heading: string; text: string }>(
        "SELECT id, key, heading, text FROM sections WHERE report_id = ? ORDER BY id",
      );
      this.extraRowsOf = db.prepare<[number], ExtraRowRow>(
        `SELECT tbl, label, "values", loc FROM extra_rows WHERE report_id = ? ORDER BY id`,
      );
      this.findingsStmt = db.prepare<
        { year: number | null; organ: string | null; rule: string | null; severity: string | null },
        FindingRow & { id: number; reportId: number; organ: string | null; year: number | null }
      >(
        `SELECT f.id, f.report_id AS reportId, r.organ, r.year, f.rule, f.severity, f.origin, f.path, f.paths,
           f.expected, f.actual, f.residual, f.message
         FROM findings f JOIN reports r ON r.id = f.report_id
         WHERE r.is_current = 1
           AND (@year IS NULL OR r.year = @year)
           AND (@organ IS NULL OR instr(r.organ, @organ) > 0)
           AND (@rule IS NULL OR f.rule = @rule OR substr(f.rule, 1, length(@rule) + 1) = @rule || '.')
           AND (@severity IS NULL OR f.severity = @severity)
         ORDER BY r.year DESC, r.organ, r.id, f.id`,
      );
      this.runsStmt = db.prepare<
        { status: string | null },
        Omit<RunSummary, "locator"> & { locator: string | null }
      >(
        `SELECT x.id, x.sha256, x.extractor_name AS extractorName, x.extractor_version AS extractorVersion,
           x.started_at AS startedAt, x.finished_at AS finishedAt, x.status, x.error, x.format, x.charset,
           (SELECT s.locator FROM blob_sources s WHERE s.sha256 = x.sha256
              ORDER BY s.last_seen DESC, s.rowid DESC LIMIT 1) AS locator
         FROM extraction_runs x WHERE (@status IS NULL OR x.status = @status) ORDER BY x.id`,
      );

      const tx = db.transaction((input: SaveInput, sha: string) => this.saveInTx(input, sha, now()));
      // IMMEDIATE: take the write lock up front so two writers wait (busy timeout) instead of
      // failing with SQLITE_BUSY when a read transaction tries to upgrade.
      this.saveTx = (input, sha) => tx.immediate(input, sha);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** True when this document was already extracted by this extractor name + version (any outcome). */
  hasRun(sha256: string, extractorName: string, extractorVersion: string): boolean {
    return this.hasRunStmt.get(sha256, extractorName, extractorVersion) === 1;
  }

  /**
   * Store one document and its extraction in a single transaction (see the class invariants).
   * Throws StoreError on a read-only store, on `report: null` with a status other than `failed`,
   * and when the report's sha256 or extractor do not match the input.
   */
  /**
   * The read-write connection, for modules that keep their own tables in this database (the crawl
   * frontier) so that their state and the documents they store commit together.
   */
  get connection(): Database.Database {
    if (!this.writes) throw new StoreError("store is open read-only");
    return this.db;
  }

  /**
   * Keeps bytes that are not a report (a crawled list page, robots.txt) in the content-addressed
   * store with where they were seen; returns their sha256.
   */
  putBlob(bytes: Uint8Array, mediaType: string, locator: string): string {
    const w = this.writes;
    if (!w) throw new StoreError("store is open read-only");
    const sha = sha256Hex(bytes);
    const at = this.clock().toISOString();
    w.insertBlob.run(
      sha,
      bytes.byteLength,
      mediaType,
      at,
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    );
    w.upsertSource.run(sha, locator, at, at);
    return sha;
  }

  /** Stored bytes by sha256, or null. */
  blob(sha256: string): Buffer | null {
    const row = this.db
      .prepare<[string], { bytes: Buffer }>("SELECT bytes FROM blobs WHERE sha256 = ?")
      .get(sha256);
    return row?.bytes ?? null;
  }

  /** The connection for read-only queries by other modules (the crawl's completion report). */
  get reader(): Database.Database {
    return this.db;
  }

  /** Runs `fn` in one IMMEDIATE transaction; saves inside it become savepoints of that transaction. */
  atomically<T>(fn: () => T): T {
    if (!this.writes) throw new StoreError("store is open read-only");
    return this.db.transaction(fn).immediate();
  }

  saveExtraction(input: SaveInput): SaveResult {
    if (!this.writes)
      throw new StoreError("store is open read-only; saveExtraction needs a read-write store");
    const sha = sha256Hex(input.bytes);
    const { report } = input;
    if (report === null && input.status !== "failed") {
      throw new StoreError(`a run without a report must have status "failed" (got "${input.status}")`);
    }
    if (report) {
      if (report.source.sha256.toLowerCase() !== sha) {
        throw new StoreError(
          `report.source.sha256 ${report.source.sha256} does not match the bytes (${sha})`,
        );
      }
      if (
        report.extractor.name !== input.extractorName ||
        report.extractor.version !== input.extractorVersion
      ) {
        throw new StoreError(
          `report extractor ${report.extractor.name}@${report.extractor.version} differs from the run's ` +
            `${input.extractorName}@${input.extractorVersion}`,
        );
      }
    }
    return this.saveTx(input, sha);
  }

  private saveInTx(input: SaveInput, sha: string, at: string): SaveResult {
    const w = this.writes;
    if (!w) throw new StoreError("store is open read-only");
    const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
    w.insertBlob.run(sha, bytes.byteLength, input.mediaType, at, bytes);
    w.upsertSource.run(sha, input.locator, at, at);

    const existing = this.findRun.get(sha, input.extractorName, input.extractorVersion);
    if (existing) {
      const rep = this.reportOfRun.get(existing.id);
      return { runId: existing.id, reportId: rep?.id ?? null, skipped: true, sha256: sha };
    }

    const runId = Number(
      w.insertRun.run(
        sha,
        input.extractorName,
        input.extractorVersion,
        input.startedAt ?? at,
        at,
        input.status,
        input.error ?? null,
        input.format,
        input.charset,
        input.formatEvidence ?? null,
      ).lastInsertRowid,
    );
    const report = input.report;
    if (!report) return { runId, reportId: null, skipped: false, sha256: sha };

    w.retireCurrent.run(sha);
    const m = report.meta;
    const reportId = Number(
      w.insertReport.run(
        runId,
        sha,
        report.source.locator,
        m.title,
        m.organ,
        m.year,
        m.published_at,
        m.period,
        m.template,
        m.templates.t2,
        m.templates.t3,
        m.templates.t4,
        report.status,
        JSON.stringify(report.problems),
        report.preamble,
        JSON.stringify(report.needs_ocr),
      ).lastInsertRowid,
    );
    for (const [path, cell] of Object.entries(report.cells))
      w.insertCell.run(...cellParams(reportId, path, cell));
    for (const f of report.findings) w.insertFinding.run(...findingParams(reportId, f));
    for (const x of report.extra_rows) {
      w.insertExtraRow.run(
        reportId,
        x.table,
        x.label,
        JSON.stringify(x.values),
        x.loc ? JSON.stringify(x.loc) : null,
      );
    }
    for (const [key, s] of Object.entries(report.sections)) {
      const sectionId = w.insertSection.run(reportId, key, s.heading, s.text).lastInsertRowid;
      w.insertBigram.run(sectionId, bigramText(s.heading), bigramText(s.text));
    }
    return { runId, reportId, skipped: false, sha256: sha };
  }

  /** Reports (current ones unless `includeHistory`), newest year first. */
  listReports(filter: ReportFilter = {}): ReportSummary[] {
    return this.listStmt
      .all({ year: filter.year ?? null, organ: filter.organ ?? null, all: filter.includeHistory ? 1 : 0 })
      .map(toSummary);
  }

  /**
   * One report with everything needed to render it. A number is a report id (current or not);
   * a string is a sha256 or a unique prefix of one, resolved to that document's current report.
   * Returns null when nothing matches; throws StoreError for an ambiguous prefix.
   */
  getReport(idOrSha: number | string): StoredReport | null {
    const id = typeof idOrSha === "number" ? idOrSha : this.resolveSha(idOrSha);
    if (id === null) return null;
    const d = this.detailById.get(id);
    if (!d) return null;

    const cells: Report["cells"] = {};
    for (const c of this.cellsOf.all(id)) cells[c.path] = rowToCell(c);
    const sections = this.sectionsOf.all(id);
    const report: Report = {
      source: {
        locator: d.locator,
        sha256: d.sha256,
        size: d.size,
        format: (d.format ?? "unknown") as Report["source"]["format"],
        media_type: d.media_type ?? "",
        format_evidence: d.format_evidence ?? "",
        charset: d.charset,
      },
      extractor: { name: d.extractor_name, version: d.extractor_version },
      status: d.status,
      problems: JSON.parse(d.problems) as string[],
      meta: {
        title: d.title,
        organ: d.organ,
        year: d.year,
        published_at: d.published_at,
        period: d.period,
        template: d.template as Report["meta"]["template"],
        templates: {
          t2: d.t2_template as Report["meta"]["templates"]["t2"],
          t3: d.t3_template as Report["meta"]["templates"]["t3"],
          t4: d.t4_template as Report["meta"]["templates"]["t4"],
        },
      },
      cells,
      extra_rows: this.extraRowsOf.all(id).map(rowToExtraRow),
      sections: Object.fromEntries(sections.map((s) => [s.key, { heading: s.heading, text: s.text }])),
      preamble: d.preamble,
      findings: this.findingsOf.all(id).map(rowToFinding),
      needs_ocr: JSON.parse(d.needs_ocr) as Report["needs_ocr"],
    };
    return {
      summary: toSummary(d),
      report,
      sections,
      history: this.historyStmt.all(d.sha256, id).map(toSummary),
    };
  }

  private resolveSha(sha: string): number | null {
    const s = sha.toLowerCase();
    if (s.length === 64) return this.currentIdBySha.get(s) ?? null;
    if (!/^[0-9a-f]{4,63}$/.test(s))
      throw new StoreError(`"${sha}" is not a sha256 or a prefix of at least 4 hex digits`);
    const ids = this.idsByShaPrefix.all(s, s);
    if (ids.length > 1) throw new StoreError(`sha256 prefix "${sha}" is ambiguous`);
    return ids[0] ?? null;
  }

  /** Findings stored with current reports, newest year first. */
  findings(filter: FindingFilter = {}): StoredFinding[] {
    return this.findingsStmt
      .all({
        year: filter.year ?? null,
        organ: filter.organ ?? null,
        rule: filter.rule ?? null,
        severity: filter.severity ?? null,
      })
      .map((r) => ({ ...rowToFinding(r), id: r.id, reportId: r.reportId, organ: r.organ, year: r.year }));
  }

  /** Extraction runs, e.g. `{ status: "failed" }` to list the documents that could not be read. */
  listRuns(filter: { status?: RunStatus } = {}): RunSummary[] {
    return this.runsStmt.all({ status: filter.status ?? null });
  }

  /** Sections of current reports containing every term (substring semantics); see search.ts. */
  search(terms: string[], opts: SearchOptions = {}): SearchHit[] {
    return this.searcher.search(terms, opts);
  }

  /** Cross-year warnings T3.X1 and T2.X1 over current reports. */
  crossYearFindings(filter: CrossYearFilter = {}): CrossYearFinding[] {
    return this.crossYear.run(filter);
  }

  /**
   * Run one ad-hoc read-only statement. It always runs on a connection opened read-only (a
   * separate one when this store is read-write), so a write is impossible whatever the SQL;
   * statements that do not only read are rejected up front with a StoreError.
   */
  query(sql: string, params: SqlValue[] = []): QueryResult {
    const db = this.readonlyConnection();
    let stmt: Database.Statement<SqlValue[], Record<string, unknown>>;
    try {
      stmt = db.prepare<SqlValue[], Record<string, unknown>>(sql);
    } catch (err) {
      if (isReadonlyError(err)) throw readonlyRejection(err);
      throw err;
    }
    if (!stmt.reader || !stmt.readonly) throw readonlyRejection(null);
    try {
      return { columns: stmt.columns().map((c) => c.name), rows: stmt.all(...params) };
    } catch (err) {
      if (isReadonlyError(err)) throw readonlyRejection(err);
      throw err;
    }
  }

  private readonlyConnection(): Database.Database {
    if (!this.db.open) throw new StoreError("store is closed");
    if (this.readonly) return this.db;
    if (this.queryDb?.open) return this.queryDb;
    if (this.db.memory)
      throw new StoreError("query needs a file-backed store (cannot reopen :memory: read-only)");
    const ro = new Database(this.path, { readonly: true, fileMustExist: true, timeout: this.timeout });
    // Belt and braces: the connection is already read-only; query_only also covers ATTACHed files.
    ro.pragma("query_only = ON");
    this.queryDb = ro;
    return ro;
  }

  /** Close every connection this store opened. Safe to call twice. */
  close(): void {
    if (this.queryDb?.open) this.queryDb.close();
    this.queryDb = null;
    if (this.db.open) this.db.close();
  }
}

function isReadonlyError(err: unknown): boolean {
  return err instanceof Database.SqliteError && err.code.startsWith("SQLITE_READONLY");
}

function readonlyRejection(cause: unknown): StoreError {
  const err = new StoreError(
    "query runs read-only statements only (SELECT or WITH … SELECT; for pragmas use pragma_xxx() functions)",
  );
  if (cause) err.cause = cause;
  return err;
}
