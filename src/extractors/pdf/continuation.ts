/**
 * A table row cut by a page break: the part of the label that spilled onto the next page is
 * given back to the row above (`4.无正当理由` | page break | `大量反复申请`), and a row whose label
 * stayed above while its numbers moved down gets the label back (an empty first cell continues the
 * label above). Only the first row of the continuing table is touched, and never a repeated header.
 */
import type { Grid, GridCell } from "../../model/grid.js";
import { isValueCell } from "../../pipeline/map-rows.js";

const HEADER_WORDS = /勾稽|申请人|自然人|法人或其他组织|商业|科研|行政复议|行政诉讼|信息内容|第二十条/;

function rowCells(grid: Grid, row: number): GridCell[] {
  return grid.cells.filter((c) => c.row === row).sort((a, b) => a.col - b.col);
}

const hasNumber = (cells: GridCell[]) => cells.some((c) => /\d/.test(c.text) && isValueCell(c.text));
const labelCells = (cells: GridCell[]) => cells.filter((c) => c.text.trim() !== "" && !isValueCell(c.text));

/** Mutates `next` (and `prev` for a spilled label); returns true when a row was joined. */
export function joinSplitRow(prev: Grid, next: Grid): boolean {
  const last = rowCells(prev, prev.rows - 1);
  const first = rowCells(next, 0);
  if (last.length === 0 || first.length === 0) return false;
  // A group label spanning down from row 0 (`（三）不予公开` cut to `开`) belongs to the rows below.
  const firstLabels = labelCells(first).filter((c) => c.rowSpan === 1);
  const firstText = firstLabels.map((c) => c.text).join("");
  if (HEADER_WORDS.test(firstText.replace(/\s+/g, ""))) return false;

  // Spilled label: the next page starts with a short label fragment and no numbers.
  if (!hasNumber(first) && hasNumber(last) && firstLabels.length === 1 && firstText.length <= 16) {
    const fragment = firstLabels[0]!;
    const target =
      labelCells(last).find((c) => c.col <= fragment.col && c.col + c.colSpan > fragment.col) ??
      labelCells(last).pop();
    if (!target) return false;
    target.text = `${target.text}${fragment.text}`;
    next.cells = next.cells.filter((c) => c.row !== 0 || c.rowSpan > 1);
    for (const c of next.cells) {
      if (c.row === 0) c.rowSpan -= 1;
      else c.row -= 1;
      c.loc.row = c.row;
    }
    next.rows -= 1;
    return true;
  }
  // Label above, numbers below: the first row's numbers belong to the label left behind.
  const lastLabels = labelCells(last);
  if (hasNumber(first) && !hasNumber(last) && firstLabels.length === 0 && lastLabels.length > 0) {
    const slot = first.find((c) => c.text.trim() === "" && c.col <= lastLabels[lastLabels.length - 1]!.col);
    if (!slot) return false;
    slot.text = lastLabels.map((c) => c.text).join(" ");
    return true;
  }
  return false;
}
