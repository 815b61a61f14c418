/**
 * The one table shape every extractor produces (HTML, text, later PDF and OCR).
 * A grid is positioned: each cell knows where it starts and how many slots it spans,
 * so the mapper can reason about rows without caring where the table came from.
 */

/** Where a cell was found; PDF/OCR extractors fill `page` and `bbox`. */
export interface CellLocation {
  /** Stable id of the grid inside its document, e.g. `html:table[3]` or `text:t3`. */
  grid: string;
  row: number;
  col: number;
  page?: number;
  /** [x0, y0, x1, y1] in page units. */
  bbox?: [number, number, number, number];
  /** For text sources: 1-based line number of the cell in the decoded text. */
  line?: number;
}

export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** Text as printed, whitespace collapsed but not otherwise normalised. */
  text: string;
  loc: CellLocation;
}

export interface Grid {
  id: string;
  origin: "html" | "text" | "pdf" | "ocr";
  rows: number;
  cols: number;
  cells: GridCell[];
  /** Which canonical table the extractor believes this is, when it located it by anchors. */
  hint?: "t2" | "t3" | "t4";
}

/** One row of a grid as the mapper sees it: the cells that start or continue in this row, left to right. */
export interface GridRow {
  grid: string;
  index: number;
  cells: RowCell[];
}

export interface RowCell {
  text: string;
  loc: CellLocation;
  /** True when this slot is covered by a cell that started in an earlier row (rowspan copy). */
  spanned: boolean;
}

/**
 * Expand spans into rows. A rowspan cell appears in every row it covers (flagged `spanned`
 * after the first) because group labels such as `三、本年度办理结果` legitimately belong to each;
 * a colspan cell appears once per row, since repeating it would invent values.
 */
export function gridRows(grid: Grid): GridRow[] {
  const rows: GridRow[] = [];
  for (let r = 0; r < grid.rows; r++) rows.push({ grid: grid.id, index: r, cells: [] });
  const sorted = [...grid.cells].sort((a, b) => a.row - b.row || a.col - b.col);
  for (const cell of sorted) {
    for (let r = cell.row; r < Math.min(cell.row + cell.rowSpan, grid.rows); r++) {
      rows[r]?.cells.push({ text: cell.text, loc: cell.loc, spanned: r !== cell.row });
    }
  }
  for (const row of rows) row.cells.sort((a, b) => a.loc.col - b.loc.col);
  return rows;
}

/** Builds a grid from rows of plain cell texts (text extractor, generator, tests). */
export function gridFromRows(
  id: string,
  origin: Grid["origin"],
  rows: { text: string; line?: number }[][],
  hint?: Grid["hint"],
): Grid {
  const cells: GridCell[] = [];
  let cols = 0;
  rows.forEach((row, r) => {
    cols = Math.max(cols, row.length);
    row.forEach((c, col) => {
      const loc: CellLocation = { grid: id, row: r, col };
      if (c.line !== undefined) loc.line = c.line;
      cells.push({ row: r, col, rowSpan: 1, colSpan: 1, text: c.text, loc });
    });
  });
  const grid: Grid = { id, origin, rows: rows.length, cols, cells };
  if (hint) grid.hint = hint;
  return grid;
}
