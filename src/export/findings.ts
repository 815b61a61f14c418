/**
 * The `findings` export: every finding of the current reports (one query), then the cross-year
 * findings (T3.X1, T2.X1, D.R6) that `audit` computes over pairs of reports. A cross-year finding
 * belongs to the later report; its `paths` carry the year of each cell (`2022:t3.carried_over.total`).
 */
import type Database from "better-sqlite3";
import type { Finding } from "../model/report.js";
import type { Store } from "../store/store.js";
import { FILTER_SQL, type FilterParams } from "./source.js";
import type { ColumnNote, ColumnSpec, Table, Value } from "./table.js";

export interface FindingRecord extends Finding {
  report_id: number;
  organ: string | null;
  year: number | null;
  /** The earlier report of a cross-year finding; null for single-report findings. */
  previous_report_id: number | null;
}

const SQL = `SELECT f.report_id, r.organ, r.year, f.rule, f.severity, f.origin, f.path, f.paths,
    f.expected, f.actual, f.residual, f.message
  FROM findings f JOIN reports r ON r.id = f.report_id
  WHERE r.is_current = 1 AND ${FILTER_SQL}
  ORDER BY f.report_id, f.id`;

const MATCHING_IDS = `SELECT r.id FROM reports r WHERE r.is_current = 1 AND ${FILTER_SQL}`;

interface FindingRow extends Omit<Finding, "paths"> {
  report_id: number;
  organ: string | null;
  year: number | null;
  paths: string;
}

/** Every finding matching the filter, single-report ones first (by report), then cross-year ones. */
export function* findingRecords(
  store: Store,
  db: Database.Database,
  params: FilterParams,
): Generator<FindingRecord> {
  for (const r of db.prepare<FilterParams, FindingRow>(SQL).iterate(params)) {
    yield { ...r, paths: JSON.parse(r.paths) as string[], previous_report_id: null };
  }
  const cross = store.crossYearFindings({
    ...(params.year !== null ? { year: params.year } : {}),
    ...(params.organ !== null ? { organ: params.organ } : {}),
  });
  // crossYearFindings knows no template; keep those whose (later) report matches the whole filter.
  const keep =
    params.template === null
      ? null
      : new Set(db.prepare<FilterParams, number>(MATCHING_IDS).pluck().all(params));
  for (const f of cross) {
    if (keep && !keep.has(f.reportId)) continue;
    const { reportId, previousReportId, organ, year, ...finding } = f;
    yield { ...finding, report_id: reportId, organ, year, previous_report_id: previousReportId };
  }
}

const COLUMNS: (ColumnSpec & { description: string })[] = [
  {
    key: "report_id",
    width: 10,
    description: "报告编号（跨年度检查为较晚一年的报告） report id (the later one for cross-year rules)",
  },
  { key: "organ", width: 28, description: "发布机关 publishing organ" },
  { key: "year", width: 6, description: "报告年度 report year" },
  { key: "rule", width: 20, description: "规则编号，如 T3.R1、T3.X1、X.AMBIGUOUS_SPLIT rule id" },
  { key: "severity", width: 9, description: "error / warning / info" },
  {
    key: "origin",
    width: 10,
    description:
      "source：原文自身不符；extraction：提取结果不确定 the document breaks its own arithmetic, or the extraction is unsure",
  },
  { key: "path", width: 34, description: "检查的单元格路径 the cell the rule is checked at" },
  {
    key: "paths",
    width: 60,
    description: "参与的全部单元格，以 ; 分隔 every cell taking part, joined with ;",
  },
  { key: "expected", width: 12, description: "应为 expected value" },
  { key: "actual", width: 12, description: "实为 actual value" },
  { key: "residual", width: 10, description: "差额 = 实为 − 应为 actual − expected" },
  { key: "message", width: 80, description: "中文说明 message" },
];

function toRow(f: FindingRecord): Value[] {
  return [
    f.report_id,
    f.organ,
    f.year,
    f.rule,
    f.severity,
    f.origin,
    f.path,
    f.paths.join(";"),
    f.expected,
    f.actual,
    f.residual,
    f.message,
  ];
}

function* rows(records: Iterable<FindingRecord>): Generator<Value[]> {
  for (const f of records) yield toRow(f);
}

export function findingsTable(store: Store, db: Database.Database, params: FilterParams): Table {
  const notes: ColumnNote[] = COLUMNS.map((c) => ({ column: c.key, description: c.description }));
  return {
    sheet: "findings",
    columns: COLUMNS.map(({ key, width }) => ({ key, width })),
    rows: rows(findingRecords(store, db, params)),
    notes,
  };
}
