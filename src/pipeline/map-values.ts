/**
 * Reading the k values of one template row from its value cells: directly when the cells are
 * separate, through the glued-digit splitter when fewer cells than columns hold more digits.
 * Returns every admissible reading; the table solver or the caller picks among them.
 */
import type { CellLocation, RowCell } from "../model/grid.js";
import type { Cell, Finding } from "../model/report.js";
import type { ValueKind } from "../model/template.js";
import { finding, X } from "./findings.js";
import { digitCount, type ValueToken, valueTokens } from "./map-rows.js";
import { splitRun } from "./split.js";
import { parseValue } from "./values.js";

export interface RowReading {
  /** Each admissible reading: k cells. One reading = determined. */
  readings: Cell[][];
  /** How the row was read. */
  mode: "direct" | "glued" | "short" | "empty";
  /** Extra non-empty values beyond k (kept for the record). */
  extra: string[];
  /** The raw run when glued. */
  run?: string;
}

export interface ColumnSpec {
  kind: ValueKind;
  unit?: string;
}

function toCell(text: string, loc: CellLocation | null, spec: ColumnSpec): Cell {
  const p = parseValue(text, spec.kind, spec.unit);
  const cell: Cell = { value: p.value, raw: text, source: p.source, loc };
  if (p.decimal !== undefined) cell.decimal = p.decimal;
  if (p.unit !== undefined) cell.unit = p.unit;
  if (p.note !== undefined) cell.note = p.note;
  return cell;
}

function locOf(cell: RowCell | undefined): CellLocation | null {
  return cell ? { ...cell.loc } : null;
}

export function readRow(
  values: RowCell[],
  columns: ColumnSpec[],
  check?: (v: number[]) => boolean,
): RowReading {
  const k = columns.length;
  const tokens: ValueToken[] = valueTokens(values);
  // Padding from merged cells: trailing empties (colspan runs) first, then leading empties
  // left by a label that spans several columns (`| 一、本年新收… |  |  | 505 |`).
  while (tokens.length > k && tokens[tokens.length - 1]?.text === "") tokens.pop();
  while (tokens.length > k && tokens[0]?.text === "") tokens.shift();
  const extra = tokens
    .slice(k)
    .map((t) => t.text)
    .filter((t) => t !== "");
  if (tokens.length === 0) return { readings: [], mode: "empty", extra };

  if (tokens.length >= k) {
    const cells = tokens.slice(0, k).map((t, i) => toCell(t.text, locOf(t.cell), columns[i]!));
    return { readings: [cells], mode: "direct", extra };
  }
  // Fewer cells than columns: glued digits if the digits can fill the row.
  const nonEmpty = tokens.filter((t) => t.text !== "");
  const run = nonEmpty.map((t) => t.text).join(" ");
  if (digitCount(nonEmpty) >= k && nonEmpty.length === tokens.length) {
    const loc = locOf(nonEmpty[0]?.cell);
    const result = splitRun(run, { kinds: columns.map((c) => c.kind), ...(check ? { check } : {}) });
    if (result.splits.length > 0 && !result.truncated) {
      const readings = result.splits.map((parts) =>
        parts.map((p, i) => ({ ...toCell(p, loc, columns[i]!), raw: p })),
      );
      return { readings, mode: "glued", extra, run };
    }
    return { readings: [], mode: "glued", extra, run };
  }
  // Too few values and nothing glued: left to right, the rest missing.
  const cells = columns.map((spec, i) => {
    const t = tokens[i];
    if (!t) return { value: null, raw: "", source: "missing", loc: null } as Cell;
    return toCell(t.text, locOf(t.cell), spec);
  });
  return { readings: [cells], mode: "short", extra };
}

/** Collapses several readings into one row of cells: agreed cells keep their value, the rest are ambiguous. */
export function mergeReadings(readings: Cell[][], run: string | undefined): Cell[] {
  const first = readings[0] ?? [];
  if (readings.length <= 1) return first;
  return first.map((cell, i) => {
    const values = readings.map((r) => r[i]?.value ?? null);
    const distinct = [...new Set(values)];
    if (distinct.length === 1) return cell;
    const candidates = distinct.filter((v): v is number => v !== null).sort((a, b) => a - b);
    return { value: null, raw: run ?? cell.raw, source: "ambiguous", candidates, loc: cell.loc } as Cell;
  });
}

/**
 * A blank or missing 总计 beside printed components is computed and marked derived (spec §5).
 * `row[total]` is replaced in place; the parts are `row[from..total)`.
 */
export function deriveTotal(row: Cell[], from: number, total: number): void {
  const cell = row[total];
  const parts = row.slice(from, total);
  if (!cell || !["blank", "missing"].includes(cell.source)) return;
  if (parts.some((p) => p.value === null || p.source === "missing")) return;
  const sum = parts.reduce((s, p) => s + (p.value ?? 0), 0);
  if (sum === 0 && cell.source === "blank") return;
  row[total] = { ...cell, value: sum, source: "derived" };
}

/**
 * A row whose value cells do not number the table's columns was read by position, and a value
 * may have moved to its neighbour's column (a rule lost or added by OCR, a cell dropped when the
 * table was flattened): every cell of the row is named, not only the surplus or the gap.
 */
export function countFindings(table: string, label: string, paths: string[], reading: RowReading): Finding[] {
  const out: Finding[] = [];
  if (reading.extra.length > 0)
    out.push(
      finding({
        rule: X.EXTRA_VALUES,
        severity: "warning",
        origin: "extraction",
        path: paths[paths.length - 1]!,
        paths,
        actual: reading.extra.join(" "),
        message: `${table}“${label}”行多出数值 ${reading.extra.join(" ")}，已忽略；该行各数可能错位`,
      }),
    );
  if (reading.mode === "short")
    out.push(
      finding({
        rule: X.MISSING_VALUES,
        severity: "warning",
        origin: "extraction",
        path: paths[paths.length - 1]!,
        paths,
        message: `${table}“${label}”行的数值少于${paths.length}个，已从左到右填入；该行各数可能错位`,
      }),
    );
  return out;
}
