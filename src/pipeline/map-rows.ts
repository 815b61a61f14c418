/**
 * Grid rows → labelled value rows, assigned to a table zone. Works the same for every backend:
 * HTML rows with expanded spans, text rows, and later PDF/OCR rows.
 */
import { type Grid, gridRows, type RowCell } from "../model/grid.js";
import { normalizeLabel } from "../model/normalize.js";
import type { TableId } from "../model/template.js";
import { parseValue } from "./values.js";

export interface RowView {
  /** Label cells, left to right (group labels first, the row's own label last). */
  labels: string[];
  /** Value cells after the last label cell (rowspan copies excluded). */
  values: RowCell[];
  /** Location of the row's first cell. */
  first: RowCell | undefined;
  /** Normalised text of the whole row, for zone anchors. */
  norm: string;
}

const RUN_RE = /^[-+]?[0-9０-９][0-9０-９.,，．\s]*(?:万元|元)?$/;

const SINGLE_RE = /^(?:[-+]?[0-9０-９][0-9０-９.,，．]*(?:万元|元)?|[-—－–/／]+|无)$/;

/**
 * Cell text that is a value: a number (with unit or note), blank, dash or 无, or several of those
 * separated by spaces (an aligned or glued run that the row reader will split).
 */
export function isValueCell(text: string): boolean {
  const t = text.trim();
  if (t === "") return true;
  if (t.split(/[\s\u3000]+/).every((p) => SINGLE_RE.test(p))) return true;
  if (/^[-+]?[0-9０-９]+(?:\.\d+)?(?:[-+−][0-9０-９]+)+(?:\.\d+)?(?:万元|元)?$/.test(t)) return true; // `2648-18538`
  return parseValue(t, "money").source !== "unreadable" || parseValue(t, "signed").source !== "unreadable";
}

export function rowView(cells: RowCell[]): RowView {
  let lastLabel = -1;
  cells.forEach((c, i) => {
    if (!isValueCell(c.text)) lastLabel = i;
  });
  const labels = cells
    .slice(0, lastLabel + 1)
    .map((c) => c.text.trim())
    .filter((t) => t !== "" && !isValueCell(t));
  const values = cells.slice(lastLabel + 1).filter((c) => !c.spanned);
  return { labels, values, first: cells[0], norm: normalizeLabel(cells.map((c) => c.text).join("")) };
}

/** Which table a row opens, judged by anchor words (spec §2.3). */
export function zoneAnchor(norm: string): TableId | null {
  if (/勾稽|申请人情况|本年新收政府信息公开申请/.test(norm)) return "t3";
  if (/第二十条第\(|信息内容/.test(norm)) return "t2";
  if ((/行政复议/.test(norm) && /行政诉讼/.test(norm)) || /结果维持|未经复议|复议后起诉/.test(norm))
    return "t4";
  return null;
}

export interface ZonedRows {
  t2: RowView[];
  t3: RowView[];
  t4: RowView[];
}

/**
 * Assigns rows to tables. A backend's hint wins; otherwise a row with an anchor opens a zone and
 * later rows (also in the following grids — a table split in two) stay in it until the next anchor.
 */
export function zoneRows(grids: Grid[]): ZonedRows {
  const zones: ZonedRows = { t2: [], t3: [], t4: [] };
  let zone: TableId | null = null;
  for (const grid of grids) {
    if (grid.hint) zone = grid.hint;
    for (const row of gridRows(grid)) {
      const view = rowView(row.cells);
      if (!grid.hint) zone = zoneAnchor(view.norm) ?? zone;
      if (zone) zones[zone].push(view);
    }
  }
  return zones;
}

/** A value cell split into its tokens when it holds several space-separated numbers. */
export interface ValueToken {
  text: string;
  cell: RowCell;
}

export function valueTokens(values: RowCell[]): ValueToken[] {
  const out: ValueToken[] = [];
  for (const cell of values) {
    const t = cell.text.trim();
    const parts = t.split(/[\s\u3000]+/);
    if (parts.length > 1 && parts.every((p) => RUN_RE.test(p) || /^[-—－–/／]+$/.test(p))) {
      for (const p of parts) out.push({ text: p, cell });
    } else out.push({ text: t, cell });
  }
  return out;
}

/** Digits in the row's values: glued runs hold more digits than cells. */
export function digitCount(tokens: ValueToken[]): number {
  return tokens.reduce((n, t) => n + (t.text.match(/[0-9０-９]/g)?.length ?? 0), 0);
}
