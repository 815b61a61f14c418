/**
 * Mapping between the canonical `Report` pieces and table rows, both directions.
 * Kept free of SQL so the conversions can be read (and changed) in one place.
 */
import type { Cell, ExtraRow, Finding } from "../model/report.js";
import { T2_V2019, T2_V2021 } from "../model/template.js";
import { StoreError } from "./migrations.js";

export type TableKey = "t2" | "t3" | "t4";

/** Columns whose values are exact decimals (money); only these carry `Cell.decimal`. */
const MONEY_COLUMNS: ReadonlySet<string> = new Set(
  [...T2_V2019, ...T2_V2021].flatMap((b) => b.columns.filter((c) => c.kind === "money").map((c) => c.key)),
);

/**
 * `t3.denied.state_secret.total` → table `t3`, row `denied.state_secret`, column `total`:
 * the table is the first dot segment, the column the last, the row everything between.
 * Throws StoreError for a path with fewer than three segments (an extractor bug, not data).
 */
export function splitPath(path: string): { tbl: string; rowKey: string; colKey: string } {
  const first = path.indexOf(".");
  const last = path.lastIndexOf(".");
  if (first <= 0 || last <= first + 1 || last === path.length - 1) {
    throw new StoreError(`cell path "${path}" is not of the form table.row.column`);
  }
  return { tbl: path.slice(0, first), rowKey: path.slice(first + 1, last), colKey: path.slice(last + 1) };
}

/** Positional parameters of the cells insert, in column order. */
export type CellParams = [
  reportId: number,
  tbl: string,
  rowKey: string,
  colKey: string,
  path: string,
  value: number | null,
  valueText: string | null,
  unit: string | null,
  raw: string,
  source: string,
  note: string | null,
  candidates: string | null,
  confidence: number | null,
  grid: string | null,
  gridRow: number | null,
  gridCol: number | null,
  page: number | null,
  bbox: string | null,
  line: number | null,
  evidence: string | null,
];

/** Exact text of the value: the decimal for money, else the number's shortest round-trip text. */
function valueText(cell: Cell): string | null {
  if (cell.decimal !== undefined) return cell.decimal;
  return cell.value === null ? null : String(cell.value);
}

export function cellParams(reportId: number, path: string, cell: Cell): CellParams {
  const { tbl, rowKey, colKey } = splitPath(path);
  const loc = cell.loc;
  return [
    reportId,
    tbl,
    rowKey,
    colKey,
    path,
    cell.value,
    valueText(cell),
    cell.unit ?? null,
    cell.raw,
    cell.source,
    cell.note ?? null,
    cell.candidates === undefined ? null : JSON.stringify(cell.candidates),
    cell.confidence ?? null,
    loc?.grid ?? null,
    loc?.row ?? null,
    loc?.col ?? null,
    loc?.page ?? null,
    loc?.bbox === undefined ? null : JSON.stringify(loc.bbox),
    loc?.line ?? null,
    cell.evidence ?? null,
  ];
}

export interface CellRow {
  path: string;
  tbl: string;
  col_key: string;
  value: number | null;
  value_text: string | null;
  unit: string | null;
  raw: string;
  source: Cell["source"];
  note: string | null;
  candidates: string | null;
  confidence: number | null;
  grid: string | null;
  grid_row: number | null;
  grid_col: number | null;
  page: number | null;
  bbox: string | null;
  line: number | null;
  evidence: string | null;
}

/** Rebuild the canonical cell; optional fields absent in the row stay absent (not undefined-valued). */
export function rowToCell(r: CellRow): Cell {
  const cell: Cell = {
    value: r.value,
    raw: r.raw,
    source: r.source,
    loc: null,
  };
  if (r.value_text !== null && r.tbl === "t2" && MONEY_COLUMNS.has(r.col_key)) cell.decimal = r.value_text;
  if (r.unit !== null) cell.unit = r.unit;
  if (r.note !== null) cell.note = r.note;
  if (r.candidates !== null) cell.candidates = JSON.parse(r.candidates) as number[];
  if (r.confidence !== null) cell.confidence = r.confidence;
  if (r.evidence !== null) cell.evidence = r.evidence;
  if (r.grid !== null) {
    const loc: NonNullable<Cell["loc"]> = { grid: r.grid, row: r.grid_row ?? 0, col: r.grid_col ?? 0 };
    if (r.page !== null) loc.page = r.page;
    if (r.bbox !== null) loc.bbox = JSON.parse(r.bbox) as [number, number, number, number];
    if (r.line !== null) loc.line = r.line;
    cell.loc = loc;
  }
  return cell;
}

export type FindingParams = [
  reportId: number,
  rule: string,
  severity: string,
  origin: string,
  path: string | null,
  paths: string,
  expected: number | string | null,
  actual: number | string | null,
  residual: number | null,
  message: string,
];

export function findingParams(reportId: number, f: Finding): FindingParams {
  return [
    reportId,
    f.rule,
    f.severity,
    f.origin,
    f.path,
    JSON.stringify(f.paths),
    f.expected,
    f.actual,
    f.residual,
    f.message,
  ];
}

export interface FindingRow {
  rule: string;
  severity: Finding["severity"];
  origin: Finding["origin"];
  path: string | null;
  paths: string;
  expected: number | string | null;
  actual: number | string | null;
  residual: number | null;
  message: string;
}

export function rowToFinding(r: FindingRow): Finding {
  return {
    rule: r.rule,
    severity: r.severity,
    origin: r.origin,
    path: r.path,
    paths: JSON.parse(r.paths) as string[],
    expected: r.expected,
    actual: r.actual,
    residual: r.residual,
    message: r.message,
  };
}

export interface ExtraRowRow {
  tbl: TableKey;
  label: string;
  values: string;
  loc: string | null;
}

export function rowToExtraRow(r: ExtraRowRow): ExtraRow {
  return {
    table: r.tbl,
    label: r.label,
    values: JSON.parse(r.values) as string[],
    loc: r.loc === null ? null : (JSON.parse(r.loc) as ExtraRow["loc"]),
  };
}
