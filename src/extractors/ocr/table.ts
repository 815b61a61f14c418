/**
 * Ruled tables in a page image: binarise, straighten by the skew of the rules, find the rules,
 * and let the PDF backend's lattice builder cut cells (merged cells where no rule separates two
 * slots). Boxes stay in pixels of the straightened image, which the cell reader crops from.
 */
import type { Box } from "../pdf/geometry.js";
import { findLattices } from "../pdf/lattice.js";
import { binarize, blobs, type Gray, resize, rotate } from "./raster.js";
import { estimateSkew, findRules } from "./rules.js";

export interface CellBox {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
  /** Pixels of the straightened page. */
  box: Box;
}

export interface TableImage {
  box: Box;
  rows: number;
  cols: number;
  cells: CellBox[];
}

export interface PageTables {
  /** The page turned level (the input when it was not skewed). */
  page: Gray;
  ink: Uint8Array;
  skew: number;
  /** Typical character height in pixels. */
  textHeight: number;
  tables: TableImage[];
  /** No ink at all (or a few specks of dust). */
  blank: boolean;
  /** Size of `page` relative to the input (below 1 when a large image was brought down). */
  factor: number;
}

/**
 * The lattice builder works in PDF points with a 2-unit tolerance; rules are handed to it at half
 * their pixel size, so rules 4 px apart count as one (a thick or JPEG-blurred line).
 */
const UNIT = 0.5;

/**
 * A typical character height: the upper quartile of the heights of small connected ink components
 * (characters and their parts; rules and tables are far larger and left out).
 */
export function estimateTextHeight(ink: Uint8Array, width: number, height: number): number {
  const heights = blobs(ink, width, height).map(({ box, n }) => {
    const h = box[3] - box[1];
    return n >= 6 && h >= 5 && h <= 120 && box[2] - box[0] <= 120 ? h : 0;
  });
  const sizes = heights.filter((h) => h > 0).sort((a, b) => a - b);
  if (sizes.length < 20) return 20;
  return Math.max(8, sizes[Math.floor(sizes.length * 0.75)]!);
}

export function findTables(input: Gray): PageTables {
  let page = input;
  let ink = binarize(page);
  // Blank paper (a few specks): nothing to straighten or cut, and the rest of the pass is skipped.
  let inked = 0;
  for (let i = 0; i < ink.length; i++) inked += ink[i]!;
  if (inked < ink.length * 0.0005)
    return { page, ink, skew: 0, textHeight: 20, tables: [], blank: inked < 50, factor: 1 };
  // A photo or a 600 dpi scan is brought down to the size the reader is tuned for (characters
  // ~28 px tall, a 200 dpi page): faster, and tesseract reads such digits best.
  let factor = 1;
  const measured = estimateTextHeight(ink, page.width, page.height);
  if (measured > 40) {
    factor = 28 / measured;
    page = resize(page, Math.round(page.width * factor), Math.round(page.height * factor));
    ink = binarize(page);
  }
  const skew = estimateSkew(ink, page.width, page.height);
  if (Math.abs(skew) >= 0.05) {
    page = rotate(page, skew);
    ink = binarize(page);
  }
  const textHeight = estimateTextHeight(ink, page.width, page.height);
  const rules = findRules(ink, binarize(page, 0.06, 235), page.width, page.height, textHeight);
  const scaled = [...rules.h, ...rules.v].map((s) => ({
    ...s,
    at: s.at * UNIT,
    from: s.from * UNIT,
    to: s.to * UNIT,
  }));
  const tables: TableImage[] = [];
  for (const lat of findLattices(scaled)) {
    const rows = lat.ys.length - 1;
    const cols = lat.xs.length - 1;
    const px = (v: number) => v / UNIT;
    const box: Box = [px(lat.box[0]), px(lat.box[1]), px(lat.box[2]), px(lat.box[3])];
    // A frame around a paragraph or a stamp's box is not a table.
    if (rows < 1 || cols < 2 || box[2] - box[0] < textHeight * 6 || box[3] - box[1] < textHeight * 1.2)
      continue;
    tables.push({
      box,
      rows,
      cols,
      cells: lat.cells.map((c) => ({
        ...c,
        box: [px(lat.xs[c.c0]!), px(lat.ys[c.r0]!), px(lat.xs[c.c1 + 1]!), px(lat.ys[c.r1 + 1]!)],
      })),
    });
  }
  return { page, ink, skew, textHeight, tables, blank: false, factor };
}
