/**
 * Every read the web app makes, in one place: pages and API call these methods, so a filter means
 * the same thing in `/reports` and in `/api/reports`. Reads the Store already offers go through
 * the Store (one report, cross-year rules); the rest — pagination, counts, aggregates — is SQL on
 * our own read-only connection, because the Store's list methods return everything at once.
 *
 * Aggregates are cached until the database changes: `PRAGMA data_version` moves whenever another
 * connection (an `ingest` running next to the server) commits, which costs one pragma per request.
 */
import Database from "better-sqlite3";
import { type CompletionRow, completionReport, lastPassYears } from "../crawl/completion.js";
import type { Cell, Finding } from "../model/report.js";
import { snippet, termConditions } from "../store/search.js";
import {
  type CrossYearFinding,
  openStore,
  type RunStatus,
  type Store,
  type StoredReport,
} from "../store/store.js";
import type { CrossFilter, FindingFilter, Paging, ReportFilter, ReportListFilter } from "./params.js";

export interface PageOf<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}

export interface ReportRow {
  id: number;
  sha256: string;
  locator: string;
  title: string | null;
  organ: string | null;
  year: number | null;
  published_at: string | null;
  template: string | null;
  status: RunStatus;
  problems: string[];
  errors: number;
  warnings: number;
  extractor: string;
}

export interface FindingRow extends Finding {
  id: number;
  report_id: number;
  organ: string | null;
  year: number | null;
  title: string | null;
}

export interface SearchItem {
  report_id: number;
  section_id: number;
  section_key: string;
  heading: string;
  organ: string | null;
  year: number | null;
  title: string | null;
  template: string | null;
  /** Text around the first hit; every term occurrence wrapped in 【】 (the Store's convention). */
  snippet: string;
}

export interface CellItem extends Cell {
  path: string;
  table: string;
  row: string;
  column: string;
}

export interface RunRow {
  id: number;
  extractor_name: string;
  extractor_version: string;
  started_at: string;
  finished_at: string;
  status: RunStatus;
  error: string | null;
  format: string | null;
  charset: string | null;
}

export interface SourceRow {
  locator: string;
  first_seen: string;
  last_seen: string;
}

export interface ReportDetail {
  stored: StoredReport;
  /** Database ids of `stored.report.findings`, same order (anchors on the report page). */
  findingIds: number[];
  /** Every extraction run of these bytes, including failed ones that left no report. */
  runs: RunRow[];
  /** Every path or URL the bytes were seen at. */
  sources: SourceRow[];
  /** Current reports of the same organ one year before and after (cross-year drill-down). */
  neighbours: { id: number; year: number }[];
}

export interface Original {
  sha256: string;
  bytes: Buffer;
  mediaType: string;
  format: string | null;
  charset: string | null;
}

export interface Count {
  key: string;
  n: number;
}

export interface RuleCount {
  rule: string;
  origin: Finding["origin"];
  severity: Finding["severity"];
  findings: number;
  reports: number;
}

export interface Audit {
  reports: number;
  reports_with_source_errors: number;
  by_origin: { origin: Finding["origin"]; severity: Finding["severity"]; n: number }[];
  by_rule: RuleCount[];
  by_year: { year: number | null; source: number; extraction: number }[];
  /** The organs with most findings (top 30). */
  by_organ: { organ: string | null; source: number; extraction: number; reports: number }[];
  /** Sum of 表三 一、本年新收 总计 per year, and how many reports gave it. */
  requests_per_year: { year: number | null; requests: number; reports: number }[];
  /** Sum of the 总计 column of the result rows, grouped as （一）…（六）. */
  outcomes: Count[];
}

export interface Overview {
  reports: number;
  by_status: Count[];
  by_template: Count[];
  by_year: Count[];
  organs: number;
  findings: { origin: Finding["origin"]; severity: Finding["severity"]; n: number }[];
  failed_runs: number;
  failed: { id: number; locator: string | null; error: string | null; sha256: string }[];
  latest: ReportRow[];
}

export interface CrossResult {
  total: number;
  by_rule: Record<string, number>;
  by_year: Record<string, number>;
  /** One page of the findings. */
  items: CrossYearFinding[];
}

interface CrossEntry {
  all: CrossYearFinding[];
  by_rule: Record<string, number>;
  by_year: Record<string, number>;
}

/** Values computed once per key until the database changes; the oldest key goes first when full. */
class VersionedCache {
  private readonly map = new Map<string, { version: number; value: unknown }>();
  constructor(private readonly capacity: number) {}

  get<T>(key: string, version: number, compute: () => T): T {
    const hit = this.map.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = compute();
    this.map.delete(key);
    this.map.set(key, { version, value });
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    return value;
  }
}

// ------------------------------------------------------------------ SQL

const CURRENT_FILTER = `r.is_current = 1
  AND (@year IS NULL OR r.year = @year)
  AND (@organ IS NULL OR instr(r.organ, @organ) > 0)
  AND (@template IS NULL OR r.template = @template)`;

const REPORT_COLUMNS = `r.id, r.sha256, r.locator, r.title, r.organ, r.year, r.published_at, r.template,
  r.status, r.problems, x.extractor_name || '@' || x.extractor_version AS extractor,
  (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'error') AS errors,
  (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'warning') AS warnings`;

const LIST_WHERE = `${CURRENT_FILTER} AND (@status IS NULL OR r.status = @status)`;

const FINDING_WHERE = `${CURRENT_FILTER}
  AND (@rule IS NULL OR f.rule = @rule OR substr(f.rule, 1, length(@rule) + 1) = @rule || '.')
  AND (@severity IS NULL OR f.severity = @severity)
  AND (@origin IS NULL OR f.origin = @origin)
  AND (@report IS NULL OR f.report_id = @report)`;

const SCOPE = `scope AS (SELECT r.id, r.year, r.organ FROM reports r WHERE ${CURRENT_FILTER})`;

/** Result rows of 表三 by outcome group; （六） as its three items, or the single v2019 row. */
const OUTCOME_PATHS: [group: string, rows: string[]][] = [
  ["granted", ["granted"]],
  ["partially_granted", ["partially_granted"]],
  [
    "denied",
    [
      "state_secret",
      "prohibited_by_law",
      "security_stability",
      "third_party_rights",
      "internal_affairs",
      "process_information",
      "enforcement_case_file",
      "administrative_query",
    ].map((k) => `denied.${k}`),
  ],
  ["unable", ["not_held", "needs_creation", "unclear_after_correction"].map((k) => `unable.${k}`)],
  [
    "not_processed",
    ["petition_complaint", "repeat", "publication", "excessive", "confirm_or_reissue"].map(
      (k) => `not_processed.${k}`,
    ),
  ],
  ["other", ["no_correction", "fee_unpaid", "other", "subtotal"].map((k) => `other.${k}`)],
];
const OUTCOME_CASE = OUTCOME_PATHS.map(
  ([g, rows]) => `WHEN c.path IN (${rows.map((r) => `'t3.${r}.total'`).join(", ")}) THEN '${g}'`,
).join("\n    ");
const OUTCOME_IN = OUTCOME_PATHS.flatMap(([, rows]) => rows.map((r) => `'t3.${r}.total'`)).join(", ");

interface FilterParams {
  year: number | null;
  organ: string | null;
  template: string | null;
}
interface ListParams extends FilterParams {
  status: string | null;
}
interface FindingParams extends FilterParams {
  rule: string | null;
  severity: string | null;
  origin: string | null;
  report: number | null;
}
interface Window {
  limit: number;
  offset: number;
}

type ReportSqlRow = Omit<ReportRow, "problems"> & { problems: string };
type FindingSqlRow = Omit<FindingRow, "paths"> & { paths: string };

function toReportRow(r: ReportSqlRow): ReportRow {
  return { ...r, problems: JSON.parse(r.problems) as string[] };
}

function filterParams(f: ReportFilter): FilterParams {
  return { year: f.year ?? null, organ: f.organ ?? null, template: f.template ?? null };
}

function window(p: Paging): Window {
  return { limit: p.perPage, offset: (p.page - 1) * p.perPage };
}

function pageOf<T>(items: T[], p: Paging, total: number): PageOf<T> {
  return { items, page: p.page, per_page: p.perPage, total };
}

/**
 * The WHERE clause of a search, with the Store's semantics (`termConditions` in store/search.ts)
 * plus the page filters. Not `store.search` itself because that returns every hit with its full
 * text; a page needs a count and one window of ids, which SQL does far cheaper.
 */
function searchWhere(terms: readonly string[]): { sql: string; params: string[] } {
  const { where, params } = termConditions(terms);
  where.push(
    "r.is_current = 1",
    "(? IS NULL OR r.year = ?)",
    "(? IS NULL OR instr(r.organ, ?) > 0)",
    "(? IS NULL OR r.template = ?)",
  );
  return { sql: where.join("\n  AND "), params };
}

type SqlParam = string | number | null;
interface SearchRow {
  sectionId: number;
  reportId: number;
  key: string;
  heading: string;
  text: string;
  organ: string | null;
  year: number | null;
  title: string | null;
  template: string | null;
}

export class Queries {
  readonly store: Store;
  private readonly db: Database.Database;
  private readonly cache = new VersionedCache(64);
  /** Cross-year lists can be large (every pair of consecutive reports); keep only a few. */
  private readonly crossCache = new VersionedCache(4);
  private readonly searchStmts = new Map<
    string,
    {
      window: Database.Statement<SqlParam[], { sid: number; total: number }>;
      count: Database.Statement<SqlParam[], number>;
    }
  >();

  private readonly listStmt;
  private readonly listCount;
  private readonly latestStmt;
  private readonly findingsStmt;
  private readonly findingsCount;
  private readonly findingIdsOf;
  private readonly runsOf;
  private readonly sourcesOf;
  private readonly neighboursOf;
  private readonly originalOf;
  private readonly hitRows;

  /** The crawl's completion report for the latest pass's years (or `years`); null when never crawled. */
  completion(years?: number[]): { years: number[]; rows: CompletionRow[] } | null {
    const y = years ?? lastPassYears(this.db);
    if (!y) return null;
    return this.cache.get(`completion:${y.join(",")}`, this.dataVersion(), () => ({
      years: y,
      rows: completionReport(this.db, y),
    }));
  }

  constructor(readonly dbPath: string) {
    // The Store checks the schema version; our connection is opened only once that passed.
    this.store = openStore(dbPath, { readonly: true });
    try {
      this.db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 5000 });
    } catch (err) {
      this.store.close();
      throw err;
    }
    const db = this.db;
    db.pragma("query_only = ON");

    const fromReports = "FROM reports r JOIN extraction_runs x ON x.id = r.run_id";
    const order = "ORDER BY r.year DESC, r.organ, r.id";
    this.listStmt = db.prepare<ListParams & Window, ReportSqlRow>(
      `SELECT ${REPORT_COLUMNS} ${fromReports} WHERE ${LIST_WHERE} ${order} LIMIT @limit OFFSET @offset`,
    );
    this.listCount = db
      .prepare<ListParams, number>(`SELECT count(*) FROM reports r WHERE ${LIST_WHERE}`)
      .pluck();
    this.latestStmt = db.prepare<[number], ReportSqlRow>(
      `SELECT ${REPORT_COLUMNS} ${fromReports} WHERE r.is_current = 1 ORDER BY r.id DESC LIMIT ?`,
    );
    const fromFindings = "FROM findings f JOIN reports r ON r.id = f.report_id";
    this.findingsStmt = db.prepare<FindingParams & Window, FindingSqlRow>(
      `SELECT f.id, f.report_id, r.organ, r.year, r.title, f.rule, f.severity, f.origin, f.path, f.paths,
         f.expected, f.actual, f.residual, f.message
       ${fromFindings} WHERE ${FINDING_WHERE}
       ORDER BY r.year DESC, r.organ, r.id, f.id LIMIT @limit OFFSET @offset`,
    );
    this.findingsCount = db
      .prepare<FindingParams, number>(`SELECT count(*) ${fromFindings} WHERE ${FINDING_WHERE}`)
      .pluck();
    this.findingIdsOf = db
      .prepare<[number], number>("SELECT id FROM findings WHERE report_id = ? ORDER BY id")
      .pluck();
    this.runsOf = db.prepare<[string], RunRow>(
      `SELECT id, extractor_name, extractor_version, started_at, finished_at, status, error, format, charset
       FROM extraction_runs WHERE sha256 = ? ORDER BY id`,
    );
    this.sourcesOf = db.prepare<[string], SourceRow>(
      "SELECT locator, first_seen, last_seen FROM blob_sources WHERE sha256 = ? ORDER BY first_seen, rowid",
    );
    this.neighboursOf = db.prepare<[string, number, number], { id: number; year: number }>(
      `SELECT id, year FROM reports WHERE organ = ? AND is_current = 1 AND year IN (?, ?) ORDER BY year, id`,
    );
    this.originalOf = db.prepare<[number], Original>(
      `SELECT r.sha256, b.bytes, coalesce(b.media_type, '') AS mediaType, x.format, x.charset
       FROM reports r JOIN blobs b ON b.sha256 = r.sha256 JOIN extraction_runs x ON x.id = r.run_id
       WHERE r.id = ?`,
    );
    this.hitRows = db.prepare<[string], SearchRow>(
      `SELECT s.id AS sectionId, s.report_id AS reportId, s.key, s.heading, s.text,
         r.organ, r.year, r.title, r.template
       FROM sections s JOIN reports r ON r.id = s.report_id
       WHERE s.id IN (SELECT value FROM json_each(?))`,
    );
  }

  close(): void {
    this.store.close();
    if (this.db.open) this.db.close();
  }

  /** Changes whenever another connection commits. */
  dataVersion(): number {
    return this.db.pragma("data_version", { simple: true }) as number;
  }

  /** `compute()` once per key until the database changes. */
  private cached<T>(key: string, compute: () => T): T {
    return this.cache.get(key, this.dataVersion(), compute);
  }

  reports(filter: ReportListFilter, p: Paging): PageOf<ReportRow> {
    const params: ListParams = { ...filterParams(filter), status: filter.status ?? null };
    const items = this.listStmt.all({ ...params, ...window(p) }).map(toReportRow);
    return pageOf(items, p, this.listCount.get(params) ?? 0);
  }

  findings(filter: FindingFilter, p: Paging): PageOf<FindingRow> {
    const params: FindingParams = {
      ...filterParams(filter),
      rule: filter.rule ?? null,
      severity: filter.severity ?? null,
      origin: filter.origin ?? null,
      report: filter.report ?? null,
    };
    const items = this.findingsStmt
      .all({ ...params, ...window(p) })
      .map((r) => ({ ...r, paths: JSON.parse(r.paths) as string[] }));
    return pageOf(items, p, this.findingsCount.get(params) ?? 0);
  }

  report(id: number): ReportDetail | null {
    const stored = this.store.getReport(id);
    if (!stored) return null;
    const { organ, year } = stored.report.meta;
    return {
      stored,
      findingIds: this.findingIdsOf.all(id),
      runs: this.runsOf.all(stored.summary.sha256),
      sources: this.sourcesOf.all(stored.summary.sha256),
      neighbours:
        organ !== null && year !== null
          ? this.neighboursOf.all(organ, year - 1, year + 1).filter((n) => n.id !== id)
          : [],
    };
  }

  /** The cells of one report as a flat list in path order; null for an unknown report. */
  cells(id: number, p: Paging): PageOf<CellItem> | null {
    const stored = this.store.getReport(id);
    if (!stored) return null;
    const all = Object.entries(stored.report.cells)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, cell]) => {
        const first = path.indexOf(".");
        const last = path.lastIndexOf(".");
        return {
          path,
          table: path.slice(0, first),
          row: path.slice(first + 1, last),
          column: path.slice(last + 1),
          ...cell,
        };
      });
    const { offset, limit } = window(p);
    return pageOf(all.slice(offset, offset + limit), p, all.length);
  }

  original(id: number): Original | null {
    return this.originalOf.get(id) ?? null;
  }

  search(terms: readonly string[], filter: ReportFilter, p: Paging): PageOf<SearchItem> {
    const { sql, params } = searchWhere(terms);
    let stmts = this.searchStmts.get(sql);
    if (!stmts) {
      const from = "FROM sections s JOIN reports r ON r.id = s.report_id";
      stmts = {
        // One pass over the hits gives both the window of ids and the total (a window function),
        // sorting only the keys; the text is read for that window alone.
        window: this.db.prepare<SqlParam[], { sid: number; total: number }>(
          `SELECT s.id AS sid, count(*) OVER () AS total ${from} WHERE ${sql}
           ORDER BY r.year DESC, r.organ, r.id, s.id LIMIT ? OFFSET ?`,
        ),
        // Only needed when the window is past the last hit.
        count: this.db.prepare<SqlParam[], number>(`SELECT count(*) ${from} WHERE ${sql}`).pluck(),
      };
      this.searchStmts.set(sql, stmts);
    }
    const year = filter.year ?? null;
    const organ = filter.organ ?? null;
    const template = filter.template ?? null;
    const all: SqlParam[] = [...params, year, year, organ, organ, template, template];
    const { limit, offset } = window(p);
    const ids = stmts.window.all(...all, limit, offset);
    const total = ids[0]?.total ?? stmts.count.get(...all) ?? 0;
    const byId = new Map(
      this.hitRows.all(JSON.stringify(ids.map((x) => x.sid))).map((r) => [r.sectionId, r]),
    );
    const items: SearchItem[] = [];
    for (const { sid } of ids) {
      const r = byId.get(sid);
      if (!r) continue;
      items.push({
        report_id: r.reportId,
        section_id: r.sectionId,
        section_key: r.key,
        heading: r.heading,
        organ: r.organ,
        year: r.year,
        title: r.title,
        template: r.template,
        snippet: snippet(r.text, terms) ?? snippet(r.heading, terms) ?? r.heading,
      });
    }
    return pageOf(items, p, total);
  }

  overview(): Overview {
    return this.cached("overview", () => {
      const db = this.db;
      const counts = (sql: string) =>
        db
          .prepare<[], { key: string | number | null; n: number }>(sql)
          .all()
          .map((r) => ({
            key: r.key === null ? "" : String(r.key),
            n: r.n,
          }));
      return {
        reports:
          db.prepare<[], number>("SELECT count(*) FROM reports WHERE is_current = 1").pluck().get() ?? 0,
        by_status: counts(
          "SELECT status AS key, count(*) AS n FROM reports WHERE is_current = 1 GROUP BY 1 ORDER BY 1",
        ),
        by_template: counts(
          "SELECT template AS key, count(*) AS n FROM reports WHERE is_current = 1 GROUP BY 1 ORDER BY 2 DESC",
        ),
        by_year: counts(
          "SELECT year AS key, count(*) AS n FROM reports WHERE is_current = 1 GROUP BY 1 ORDER BY 1 DESC",
        ),
        organs:
          db
            .prepare<[], number>("SELECT count(DISTINCT organ) FROM reports WHERE is_current = 1")
            .pluck()
            .get() ?? 0,
        findings: db
          .prepare<[], { origin: Finding["origin"]; severity: Finding["severity"]; n: number }>(
            `SELECT f.origin, f.severity, count(*) AS n FROM findings f JOIN reports r ON r.id = f.report_id
             WHERE r.is_current = 1 GROUP BY 1, 2 ORDER BY 1, 2`,
          )
          .all(),
        failed_runs:
          db
            .prepare<[], number>("SELECT count(*) FROM extraction_runs WHERE status = 'failed'")
            .pluck()
            .get() ?? 0,
        failed: db
          .prepare<[], { id: number; locator: string | null; error: string | null; sha256: string }>(
            `SELECT x.id, x.error, x.sha256,
               (SELECT s.locator FROM blob_sources s WHERE s.sha256 = x.sha256
                  ORDER BY s.last_seen DESC, s.rowid DESC LIMIT 1) AS locator
             FROM extraction_runs x WHERE x.status = 'failed' ORDER BY x.id DESC LIMIT 20`,
          )
          .all(),
        latest: this.latestStmt.all(10).map(toReportRow),
      };
    });
  }

  /**
   * Cross-year findings (the Store's rules) with counts, one page of them. Slow on a large store:
   * the server calls this in a worker thread (background.ts), never on the request thread.
   */
  crossYear(filter: CrossFilter, p: Paging): CrossResult {
    const key = JSON.stringify([filter.year ?? null, filter.organ ?? null, filter.rule ?? null]);
    const e = this.crossCache.get<CrossEntry>(key, this.dataVersion(), () => {
      const all = this.store.crossYearFindings(filter);
      const by_rule: Record<string, number> = {};
      const by_year: Record<string, number> = {};
      for (const f of all) {
        by_rule[f.rule] = (by_rule[f.rule] ?? 0) + 1;
        by_year[String(f.year)] = (by_year[String(f.year)] ?? 0) + 1;
      }
      return { all, by_rule, by_year };
    });
    const { offset, limit } = window(p);
    return {
      total: e.all.length,
      by_rule: e.by_rule,
      by_year: e.by_year,
      items: e.all.slice(offset, offset + limit),
    };
  }

  /** Dashboard aggregates; seconds on a large store, so also computed in a worker thread. */
  audit(filter: ReportFilter): Audit {
    return this.cached(`audit:${JSON.stringify(filterParams(filter))}`, () => {
      const db = this.db;
      const params = filterParams(filter);
      const byRule = db
        .prepare<FilterParams, RuleCount>(
          `WITH ${SCOPE}
           SELECT f.rule, f.origin, f.severity, count(*) AS findings, count(DISTINCT f.report_id) AS reports
           FROM findings f JOIN scope s ON s.id = f.report_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        )
        .all(params);
      const byYear = db
        .prepare<FilterParams, { year: number | null; source: number; extraction: number }>(
          `WITH ${SCOPE}
           SELECT s.year, sum(f.origin = 'source') AS source, sum(f.origin = 'extraction') AS extraction
           FROM findings f JOIN scope s ON s.id = f.report_id GROUP BY 1 ORDER BY 1 DESC`,
        )
        .all(params);
      const byOrgan = db
        .prepare<FilterParams, { organ: string | null; source: number; extraction: number; reports: number }>(
          `WITH ${SCOPE}
           SELECT s.organ, sum(f.origin = 'source') AS source, sum(f.origin = 'extraction') AS extraction,
             count(DISTINCT f.report_id) AS reports
           FROM findings f JOIN scope s ON s.id = f.report_id GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 30`,
        )
        .all(params);
      const scopeCounts = db
        .prepare<FilterParams, { reports: number; with_errors: number }>(
          `WITH ${SCOPE}
           SELECT count(*) AS reports,
             sum(EXISTS (SELECT 1 FROM findings f WHERE f.report_id = s.id
                         AND f.origin = 'source' AND f.severity = 'error')) AS with_errors
           FROM scope s`,
        )
        .get(params);
      const requests = db
        .prepare<FilterParams, { year: number | null; requests: number; reports: number }>(
          `WITH ${SCOPE}
           SELECT s.year, coalesce(sum(c.value), 0) AS requests, count(c.value) AS reports
           FROM scope s JOIN cells c ON c.report_id = s.id AND c.path = 't3.new_requests.total'
           GROUP BY 1 ORDER BY 1`,
        )
        .all(params);
      // （六） is counted once: its items where printed, the single v2019 row otherwise.
      const outcomes = db
        .prepare<FilterParams, { key: string; n: number }>(
          `WITH ${SCOPE}
           SELECT CASE ${OUTCOME_CASE} END AS key, coalesce(sum(c.value), 0) AS n
           FROM scope s JOIN cells c ON c.report_id = s.id AND c.path IN (${OUTCOME_IN})
           WHERE NOT (c.path = 't3.other.subtotal.total' AND EXISTS (
             SELECT 1 FROM cells o WHERE o.report_id = s.id AND o.path = 't3.other.no_correction.total'))
           GROUP BY 1`,
        )
        .all(params);
      const byOrigin = new Map<
        string,
        { origin: Finding["origin"]; severity: Finding["severity"]; n: number }
      >();
      for (const r of byRule) {
        const k = `${r.origin}:${r.severity}`;
        const e = byOrigin.get(k) ?? { origin: r.origin, severity: r.severity, n: 0 };
        e.n += r.findings;
        byOrigin.set(k, e);
      }
      const order = OUTCOME_PATHS.map(([g]) => g);
      return {
        reports: scopeCounts?.reports ?? 0,
        reports_with_source_errors: scopeCounts?.with_errors ?? 0,
        by_origin: [...byOrigin.values()],
        by_rule: byRule,
        by_year: byYear,
        by_organ: byOrgan,
        requests_per_year: requests,
        outcomes: order.map((key) => ({ key, n: outcomes.find((o) => o.key === key)?.n ?? 0 })),
      };
    });
  }
}
