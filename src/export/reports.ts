/**
 * The `reports` export: as JSON Lines, one `extract --json` contract object per current report
 * (rebuilt by `Store.getReport`, so it is exactly what `show --json` prints); as CSV/XLSX, a
 * summary table with one row per report (the full nested document does not fit a sheet).
 */
import type Database from "better-sqlite3";
import { toContractJson } from "../pipeline/contract.js";
import type { Store } from "../store/store.js";
import { FILTER_SQL, type FilterParams } from "./source.js";
import type { ColumnSpec, Table, Value } from "./table.js";

const IDS = `SELECT r.id FROM reports r WHERE r.is_current = 1 AND ${FILTER_SQL} ORDER BY r.id`;

/** Ids of the current reports matching the filter, in id order. */
export function reportIds(db: Database.Database, params: FilterParams): number[] {
  return db.prepare<FilterParams, number>(IDS).pluck().all(params);
}

/** The contract object of each report, lazily (one report in memory at a time). */
export function* contractObjects(store: Store, ids: readonly number[]): Generator<object> {
  for (const id of ids) {
    const stored = store.getReport(id);
    // A report deleted between listing and reading is simply no longer part of the export.
    if (stored) yield toContractJson(stored.report);
  }
}

// reports_view (migration 3) is already limited to current reports.
const SUMMARY = `SELECT r.report_id, r.organ, r.year, r.title, r.published_at, r.period, r.template,
    r.t2_template, r.t3_template, r.t4_template, r.status, r.errors, r.warnings, r.sections, r.problems,
    r.locator, r.sha256, r.size, r.format, r.extractor_version
  FROM reports_view r WHERE ${FILTER_SQL} ORDER BY r.report_id`;

const COLUMNS: (ColumnSpec & { description: string })[] = [
  { key: "report_id", width: 10, description: "报告编号 report id" },
  { key: "organ", width: 28, description: "发布机关 publishing organ" },
  { key: "year", width: 6, description: "报告年度 report year" },
  { key: "title", width: 44, description: "标题 title" },
  { key: "published_at", width: 12, description: "发布日期 publication date" },
  { key: "period", width: 22, description: "报告期 reporting period" },
  { key: "template", width: 12, description: "格式模板 template" },
  { key: "t2_template", width: 12, description: "表二模板 template of table 2" },
  { key: "t3_template", width: 12, description: "表三模板 template of table 3" },
  { key: "t4_template", width: 12, description: "表四模板 template of table 4" },
  { key: "status", width: 8, description: "提取状态 ok / partial extraction status" },
  { key: "errors", width: 7, description: "error 级检查结果数 error-level findings" },
  { key: "warnings", width: 8, description: "warning 级检查结果数 warning-level findings" },
  { key: "sections", width: 8, description: "识别出的正文部分数 narrative sections found" },
  {
    key: "problems",
    width: 60,
    description: "状态不是 ok 的原因，以 ; 分隔 why the status is not ok, joined with ;",
  },
  { key: "locator", width: 40, description: "原始文件路径或网址 path or URL" },
  { key: "sha256", width: 16, description: "原始文件的 SHA-256 content hash" },
  { key: "size", width: 10, description: "文件字节数 size in bytes" },
  { key: "format", width: 8, description: "文件格式 html / text / pdf / doc / docx" },
  { key: "extractor_version", width: 10, description: "提取程序版本 extractor version" },
];

type SummaryRow = Record<string, Value>;

function* summaryRows(db: Database.Database, params: FilterParams): Generator<Value[]> {
  for (const r of db.prepare<FilterParams, SummaryRow>(SUMMARY).iterate(params)) {
    const problems = JSON.parse(String(r.problems ?? "[]")) as string[];
    yield COLUMNS.map((c) => (c.key === "problems" ? problems.join("; ") : (r[c.key] ?? null)));
  }
}

export function reportsTable(db: Database.Database, params: FilterParams): Table {
  return {
    sheet: "reports",
    columns: COLUMNS.map(({ key, width }) => ({ key, width })),
    rows: summaryRows(db, params),
    notes: COLUMNS.map((c) => ({ column: c.key, description: c.description })),
  };
}
