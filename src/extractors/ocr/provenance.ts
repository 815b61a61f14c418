/**
 * Canonical cells read from OCR grids say so: a number OCR read is `ocr` (not `printed`, which
 * means read from a text layer) and carries the engine's confidence; blank cells stay `blank`.
 */
import type { Grid } from "../../model/grid.js";
import type { Cell } from "../../model/report.js";
import type { OcrCell, OcrGrid } from "./cells.js";

function ocrCellsByLocation(grids: Grid[]): Map<string, OcrCell> {
  const out = new Map<string, OcrCell>();
  for (const g of grids) {
    if (g.origin !== "ocr") continue;
    for (const c of g.cells as OcrCell[]) out.set(`${g.id}|${c.row}|${c.col}`, c);
  }
  return out;
}

export function markOcrCells(cells: Record<string, Cell>, grids: Grid[]): void {
  const byLoc = ocrCellsByLocation(grids);
  if (byLoc.size === 0) return;
  for (const [path, cell] of Object.entries(cells)) {
    const loc = cell.loc;
    if (!loc) continue;
    const o = byLoc.get(`${loc.grid}|${loc.row}|${loc.col}`);
    if (!o) continue;
    // A number in a cell the digit reader rejected came from the Chinese model reading a value cell
    // (a seal or a smudge over the digits): it is doubtful whatever that model's own confidence.
    const doubtful = o.kind === "label" && cell.value !== null && cell.source === "printed";
    cells[path] = {
      ...cell,
      confidence: Math.round((doubtful ? Math.min(o.confidence, 0.3) : o.confidence) * 1000) / 1000,
      ...(cell.source === "printed" ? { source: "ocr" as const } : {}),
    };
  }
}

/** Re-reads an OCR cell by its canonical cell's location (for the arithmetic repair). */
export function rereader(grids: Grid[]): (path: string, cell: Cell) => Promise<number[]> {
  const byId = new Map(grids.filter((g) => g.origin === "ocr").map((g) => [g.id, g as OcrGrid]));
  return async (_path, cell) => {
    const g = cell.loc ? byId.get(cell.loc.grid) : undefined;
    if (!g?.reread || !cell.loc) return [];
    return (await g.reread(cell.loc.row, cell.loc.col)).map(Number);
  };
}
