/**
 * Reading the cells of a table image one by one. Each cell is cropped a few pixels inside its
 * rules, trimmed to its ink, enlarged to the size tesseract reads best and padded with paper.
 * Numbers are read with the English model restricted to digits in single-line mode (it reads
 * digits far better than the Chinese model); a cell whose reading does not look like a number —
 * wrong width for that many digits, low confidence, several lines — is read again as a label
 * with the Chinese model, and the spaces tesseract puts between Chinese characters are removed.
 */
import type { Grid, GridCell } from "../../model/grid.js";
import { normalizeLabel } from "../../model/normalize.js";
import type { Box } from "../pdf/geometry.js";
import type { OcrPool, OcrReading } from "./engine.js";
import { isTemplateWord, snapLabel } from "./lexicon.js";
import { crop, type Gray, gray, inkWithin, resize, toPgm } from "./raster.js";
import type { PageTables, TableImage } from "./table.js";

/** A cell as read, with what the repair step needs to read it again. */
export interface OcrCell extends GridCell {
  confidence: number;
  kind: "empty" | "number" | "label";
  /** Ink box in straightened-page pixels, for re-reading. */
  ink: Box | null;
}

export interface OcrGrid extends Grid {
  cells: OcrCell[];
  /** Other digit readings of the cell at (row, col): other scales and a hard threshold. */
  reread?: (row: number, col: number) => Promise<string[]>;
}

/** Where a cell's ink is: the box of ink pixels inside `box`, ignoring `inset` px next to the rules. */
export function inkBox(ink: Uint8Array, width: number, box: Box, inset: number): Box | null {
  let x0 = Math.ceil(box[0] + inset);
  let y0 = Math.ceil(box[1] + inset);
  let x1 = Math.floor(box[2] - inset);
  let y1 = Math.floor(box[3] - inset);
  // A thick or slanted rule can still reach inside the inset: edge columns and rows that are mostly
  // ink are rule, not text.
  const colInk = (x: number) => {
    let n = 0;
    for (let y = y0; y < y1; y++) n += ink[y * width + x]!;
    return n;
  };
  const rowInk = (y: number) => {
    let n = 0;
    for (let x = x0; x < x1; x++) n += ink[y * width + x]!;
    return n;
  };
  for (let k = 0; k < 8 && x1 - x0 > 2 && colInk(x0) > (y1 - y0) * 0.5; k++) x0++;
  for (let k = 0; k < 8 && x1 - x0 > 2 && colInk(x1 - 1) > (y1 - y0) * 0.5; k++) x1--;
  for (let k = 0; k < 8 && y1 - y0 > 2 && rowInk(y0) > (x1 - x0) * 0.5; k++) y0++;
  for (let k = 0; k < 8 && y1 - y0 > 2 && rowInk(y1 - 1) > (x1 - x0) * 0.5; k++) y1--;
  // A few stray pixels (noise, a rule's JPEG halo) are not text.
  return inkWithin(ink, width, [x0, y0, x1, y1]);
}

/** The crop tesseract is given: the ink plus a margin, scaled so characters are ~`target` px tall. */
export function cellImage(
  page: Gray,
  inkAt: Box,
  textHeight: number,
  scale: number,
  threshold?: number,
): Buffer {
  const pad = 2;
  const c = crop(page, inkAt[0] - pad, inkAt[1] - pad, inkAt[2] + pad, inkAt[3] + pad);
  if (threshold !== undefined)
    for (let i = 0; i < c.data.length; i++) c.data[i] = c.data[i]! < threshold ? 0 : 255;
  const k = Math.min(5, Math.max(1, scale * (21 / textHeight)));
  const big = k === 1 ? c : resize(c, Math.round(c.width * k), Math.round(c.height * k));
  const margin = 10;
  const out = gray(big.width + 2 * margin, big.height + 2 * margin);
  for (let y = 0; y < big.height; y++)
    out.data.set(big.data.subarray(y * big.width, (y + 1) * big.width), (y + margin) * out.width + margin);
  return toPgm(out);
}

const NUMBER = /^-?\d+(?:\.\d+)?$|^-+$/;

/** Does a digits-only reading fit the ink it came from (one line, about as wide as that many digits)? */
export function looksNumeric(r: OcrReading, ink: Box, textHeight: number): boolean {
  const text = r.text.trim();
  if (!NUMBER.test(text) || r.confidence < 0.45) return false;
  const h = ink[3] - ink[1];
  const w = ink[2] - ink[0];
  if (h > textHeight * 1.6) return false; // several lines: a wrapped label
  if (/^-+$/.test(text)) return h < textHeight * 0.5;
  // Digits are about half as wide as they are tall; a Chinese character is as wide as it is tall.
  const digits = text.replace(/\D/g, "").length;
  return w <= digits * h * 0.95 + h * 0.3;
}

/**
 * Tesseract separates Chinese characters by spaces; a label has none between them. The thin
 * full-width brackets of list numbers (`（一）`) are often read as `〈`, `《` or half-width ones.
 */
export function cleanLabel(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[〈《(（]\s*([一二三四五六七八九十]{1,3})\s*[)）〉》]/g, "（$1）")
    .replace(/(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])/g, "")
    .replace(
      /(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[0-9A-Za-z.])|(?<=[0-9A-Za-z.])\s+(?=[\u3000-\u9fff\uff00-\uffef])/g,
      "",
    );
}

export interface CellPlacement {
  page: number;
  /** Straightened-page pixels → the output's coordinates (PDF points, or image pixels). */
  toOutput: (b: Box) => Box;
}

/**
 * Reads one cell's (or word's) ink: digits first, then the Chinese model. Ink too tall or too wide
 * for a number (several lines, more than a dozen digits) goes straight to the Chinese model, as
 * `looksNumeric` would refuse any digits reading of it. `snap` puts a near-miss back to the
 * template label (whole cells only: a fragment of a wrapped label would be "corrected" into a
 * whole one).
 */
export async function readCell(
  pool: OcrPool,
  pt: PageTables,
  ink: Box,
  snap = true,
): Promise<Pick<OcrCell, "text" | "confidence" | "kind">> {
  const numberShaped = ink[3] - ink[1] <= pt.textHeight * 1.6 && ink[2] - ink[0] <= pt.textHeight * 8;
  if (numberShaped && !manyStrokes(pt.ink, pt.page.width, ink)) {
    const digits = await pool.recognize(cellImage(pt.page, ink, pt.textHeight, 2), "digits");
    if (looksNumeric(digits, ink, pt.textHeight))
      return { text: digits.text.trim(), confidence: digits.confidence, kind: "number" };
  }
  const label = await pool.recognize(cellImage(pt.page, ink, pt.textHeight, 1.5), "label");
  const cleaned = cleanLabel(label.text);
  const text = snap ? snapLabel(cleaned) : cleaned;
  // One or two characters that are no label of the template, in a one-line cell, are more likely a
  // number the digits pass missed at its first scale (`71` read as `型`): the digits model gets the
  // cell again at other scales and thresholds. A number found so stays below the confidence the
  // repair step trusts, so it is always named by a finding.
  if (isStrayLabel(text) && numberShaped) {
    for (const [k, t] of DIGIT_RETRIES) {
      const again = await pool.recognize(cellImage(pt.page, ink, pt.textHeight, k, t), "digits");
      if (looksNumeric(again, ink, pt.textHeight) && /\d/.test(again.text))
        return { text: again.text.trim(), confidence: Math.min(again.confidence, 0.55), kind: "number" };
    }
  }
  return { text, confidence: label.confidence, kind: "label" };
}

/**
 * Whether the ink is Chinese rather than digits: a vertical line through a digit crosses at most
 * three strokes (8), through many Chinese characters five or more. Several such columns spare the
 * digits model a reading it would refuse; a plain character (一, 人) still gets it, as before.
 */
export function manyStrokes(ink: Uint8Array, width: number, box: Box): boolean {
  let columns = 0;
  for (let x = box[0]; x < box[2]; x++) {
    let runs = 0;
    let inside = false;
    for (let y = box[1]; y < box[3]; y++) {
      const on = ink[y * width + x] === 1;
      if (on && !inside) runs++;
      inside = on;
    }
    if (runs >= 5 && ++columns >= 3) return true;
  }
  return false;
}

/** Other scales and hard thresholds for the digits model, after the first reading failed. */
const DIGIT_RETRIES: [number, number | undefined][] = [
  [3, undefined],
  [1.5, undefined],
  [2, 140],
  [3, 170],
];

/** A label reading that cannot be a label: one or two characters, none a word of the template. */
function isStrayLabel(text: string): boolean {
  const norm = normalizeLabel(text);
  return norm.length > 0 && norm.length <= 2 && snapLabel(text) === text && !isTemplateWord(norm);
}

/** Reads every cell of one table image into a grid (cells in parallel across the pool). */
export async function readTable(
  pool: OcrPool,
  pt: PageTables,
  table: TableImage,
  id: string,
  at: CellPlacement,
): Promise<OcrGrid> {
  const inset = 3;
  const cells = await Promise.all(
    table.cells.map(async (c): Promise<OcrCell> => {
      const ink = inkBox(pt.ink, pt.page.width, c.box, inset);
      const read = ink ? await readCell(pool, pt, ink) : { text: "", confidence: 1, kind: "empty" as const };
      const input = c.box.map((v) => v / pt.factor) as Box;
      const bbox = at.toOutput(input).map((v) => Math.round(v * 10) / 10) as Box;
      return {
        row: c.r0,
        col: c.c0,
        rowSpan: c.r1 - c.r0 + 1,
        colSpan: c.c1 - c.c0 + 1,
        ...read,
        ink,
        loc: { grid: id, row: c.r0, col: c.c0, page: at.page, bbox },
      };
    }),
  );
  const reread = async (row: number, col: number): Promise<string[]> => {
    const cell = cells.find((c) => c.row === row && c.col === col);
    if (!cell?.ink) return [];
    const ink = cell.ink;
    const variants: [number, number | undefined][] = [
      [1.5, undefined],
      [3, undefined],
      [4, undefined],
      [2, 110],
      [2, 170],
      [3, 140],
    ];
    const reads = await Promise.all(
      variants.map(([k, t]) => pool.recognize(cellImage(pt.page, ink, pt.textHeight, k, t), "digits")),
    );
    return reads.map((r) => r.text.trim()).filter((t) => /^\d+$/.test(t));
  };
  return { id, origin: "ocr", rows: table.rows, cols: table.cols, cells, reread };
}
