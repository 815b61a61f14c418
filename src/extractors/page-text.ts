/**
 * Positioned page text → the narrative the text backend reads, and back: the PDF and image
 * backends turn each page's lines (from a text layer or from OCR'd words) into narrative text,
 * remembering where every line stood, so cells the text backend then finds in an unruled table
 * get their page and box — and, when OCR read them, its confidence and the `ocr` origin.
 */
import type { Grid } from "../model/grid.js";
import type { TableId } from "../model/template.js";
import { zoneRows } from "../pipeline/map-rows.js";
import type { OcrCell } from "./ocr/cells.js";
import { isPageNumber, type Line } from "./pdf/lines.js";
import { tablesFromText } from "./text.js";

/** A narrative line's place on the page, so cells read from text keep their page and box. */
export interface LineGeo {
  page: number;
  line: Line;
}

/**
 * The page's text with a blank line where each table read elsewhere stood; `geo` gets one entry
 * per line (null for the blank ones).
 */
export function pageNarrative(
  page: number,
  lines: Line[],
  tableTops: number[],
  height: number,
  geo: (LineGeo | null)[],
): string {
  const out: string[] = [];
  const tops = [...tableTops].sort((a, b) => a - b);
  const blank = () => {
    out.push("");
    geo.push(null);
  };
  for (const line of lines) {
    while (tops.length > 0 && tops[0]! < line.y) {
      tops.shift();
      blank();
    }
    const edge = line.y < height * 0.08 || line.y > height * 0.92;
    if (edge && isPageNumber(line.text)) continue;
    out.push(line.text);
    geo.push({ page, line });
  }
  if (tops.length > 0 || out.length === 0) blank(); // an empty page is still one (empty) line
  return out.join("\n");
}

/** Where a grid read elsewhere (OCR) starts on its page, for `pageNarrative`'s table tops. */
export function gridTop(grid: Grid): number {
  return Math.min(...grid.cells.map((c) => c.loc.bbox?.[1] ?? 0));
}

/**
 * Gives cells that came through the text backend the page and box of the text they were read
 * from. A grid whose cells were read by OCR becomes an `ocr` grid, its cells carrying the lowest
 * confidence of the words they were read from, so they are marked and checked like OCR cells.
 */
export function placeTextCells(grids: Grid[], geo: (LineGeo | null)[]): Grid[] {
  return grids.map((grid) => {
    let ocr = false;
    const cells = grid.cells.map((cell) => {
      const g = cell.loc.line !== undefined ? geo[cell.loc.line - 1] : null;
      if (!g) return cell;
      const parts = g.line.parts;
      const part =
        parts[cell.col]?.text === cell.text ? parts[cell.col] : parts.find((p) => p.text === cell.text);
      const placed = { ...cell, loc: { ...cell.loc, page: g.page, bbox: part?.box ?? g.line.box } };
      const read = (part ? [part] : parts)
        .filter((p) => p.confidence !== undefined)
        .map((p) => p.confidence!);
      if (read.length === 0) return placed;
      ocr = true;
      const kind: OcrCell["kind"] =
        cell.text.trim() === "" ? "empty" : /^[-\d.,\s]+$/.test(cell.text) ? "number" : "label";
      return { ...placed, confidence: Math.min(...read), kind, ink: null } satisfies OcrCell;
    });
    return ocr ? { ...grid, origin: "ocr", cells } : { ...grid, cells };
  });
}

/** Which report tables these grids already hold (by their anchors and values). */
export function tablesIn(grids: Grid[]): Set<TableId> {
  const zones = zoneRows(grids);
  return new Set((["t2", "t3", "t4"] as const).filter((t) => zones[t].some((r) => r.values.length > 0)));
}

/**
 * Tables without ruling lines: the text backend's anchors over the pages' text, for the report
 * tables the grids read so far (`held`, from `tablesIn`) do not already hold. Returns those grids
 * (placed on their pages) and the narrative with them cut out.
 */
export function textTables(
  held: ReadonlySet<TableId>,
  pages: string[],
  geo: (LineGeo | null)[],
): { grids: Grid[]; narrative: string } {
  const missing = (["t2", "t3", "t4"] as const).filter((t) => !held.has(t));
  const fromText = tablesFromText(pages.join("\n\n"), missing);
  return { grids: placeTextCells(fromText.grids, geo), narrative: fromText.narrative };
}
