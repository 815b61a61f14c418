/**
 * Words in a page image outside its ruled tables, found without OCR: ink is smeared along each row
 * across gaps narrower than a character and down each column across the gaps inside a character
 * (run-length smoothing), and each connected blob of the smear is one word. A Chinese label, a
 * number, a heading line stays one word; the wide gaps between an unruled table's columns keep its
 * cells apart. Whether the page holds such a table is decided from the word boxes alone (rows of
 * short words at the same heights, in several columns), so only those pages are read word by word.
 */
import type { Box } from "../pdf/geometry.js";
import { groupLines } from "../pdf/lines.js";
import { blobs, inkWithin } from "./raster.js";

/** A dense page of small print has a few thousand pieces of characters left after smearing. */
const MAX_PIECES = 40_000;
/** More words than any page of a report holds. */
const MAX_WORDS = 6_000;

/** Fills gaps of at most `gap` pixels between ink along each row. */
function smearRows(ink: Uint8Array, width: number, height: number, gap: number): Uint8Array {
  const out = new Uint8Array(ink);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (!ink[row + x]) continue;
      if (last >= 0 && x - last - 1 <= gap) out.fill(1, row + last + 1, row + x);
      last = x;
    }
  }
  return out;
}

/** Two pieces of one character, or of one word on a line (see mergePieces). */
function joins(a: Box, b: Box, h: number): boolean {
  const xOverlap = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const yOverlap = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (xOverlap > 0 && yOverlap > 0) return true;
  if (Math.max(a[3], b[3]) - Math.min(a[1], b[1]) > h * 1.4) return false; // more than one line tall
  if (xOverlap > 0 && yOverlap > -h * 0.35) return true; // stacked
  return yOverlap > Math.min(a[3] - a[1], b[3] - b[1]) * 0.5 && xOverlap > -h * 0.8; // side by side
}

/**
 * Pieces stacked in one character or one line (the strokes of 三, a comma under its line, the dot
 * of a colon) become one box: boxes that overlap, or sit one over the other with a small gap while
 * the union stays about one line tall, or side by side on one line with a gap under a character.
 * A sweep down the page compares each box only with those starting within its reach below it.
 */
function mergePieces(boxes: Box[], h: number): Box[] {
  let cur = boxes.map((b) => [...b] as Box);
  for (;;) {
    cur.sort((a, b) => a[1] - b[1]);
    const alive = cur.map(() => true);
    let merged = false;
    for (let i = 0; i < cur.length; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < cur.length && cur[j]![1] <= cur[i]![3] + h * 0.35; j++) {
        const a = cur[i]!;
        const b = cur[j]!;
        if (!alive[j] || !joins(a, b, h)) continue;
        cur[i] = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
        alive[j] = false;
        merged = true;
        j = i; // the box grew: look again from just below it
      }
    }
    cur = cur.filter((_, k) => alive[k]);
    if (!merged) return cur;
  }
}

/**
 * Word boxes (pixels, tight around their ink) outside `exclude` (the ruled tables), top to bottom.
 * Specks, rule remnants (long and one stroke thin), slivers at the picture's edge and blobs taller
 * than a few lines are left out.
 */
export function findWords(
  ink: Uint8Array,
  width: number,
  height: number,
  textHeight: number,
  exclude: Box[],
): Box[] {
  const mask = new Uint8Array(ink);
  for (const b of exclude) {
    const x0 = Math.max(0, Math.floor(b[0]) - 2);
    const x1 = Math.min(width, Math.ceil(b[2]) + 2);
    for (let y = Math.max(0, Math.floor(b[1]) - 2); y < Math.min(height, Math.ceil(b[3]) + 2); y++)
      mask.fill(0, y * width + x0, y * width + x1);
  }
  const h = textHeight;
  const smeared = smearRows(mask, width, height, Math.round(h * 0.8));
  const pieces = blobs(smeared, width, height)
    .map(({ box }) => inkWithin(mask, width, box))
    .filter((b): b is Box => b !== null);
  // Far more pieces than a page of print has is texture or noise (a photo of a desk), not words.
  if (pieces.length > MAX_PIECES) return [];
  const words: Box[] = [];
  const edge = Math.max(4, Math.min(width, height) * 0.03);
  for (const tight of mergePieces(pieces, h)) {
    const w = tight[2] - tight[0];
    const ht = tight[3] - tight[1];
    if (w < h * 0.12 && ht < h * 0.12) continue; // dust
    if ((ht < h * 0.2 && w > h * 3) || (w < h * 0.2 && ht > h * 3)) continue; // a rule's remnant
    if (ht > h * 6) continue; // a picture, a seal, a block of lines that never parted
    // Slivers along the picture's edge are the scan's border or a photo's shadow, not text.
    const atEdge = tight[2] < edge || tight[0] > width - edge || tight[3] < edge || tight[1] > height - edge;
    if (atEdge && w < h * 0.5) continue;
    words.push(tight);
  }
  return words.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

/** Words on one visual line (as the text layer's items are grouped), top to bottom, left to right. */
export function wordLines(words: Box[], textHeight: number): Box[][] {
  return groupLines(words.map((box) => ({ box, size: textHeight }))).map((line) => line.map((w) => w.box));
}

/**
 * Whether the words form a table: at least two lines each holding three or more short words
 * (a number, a column heading) set apart by gaps wider than a character and a half, the way an
 * unruled table's columns look, or one line of six or more (a row of numbers that ran over onto a
 * page of its own). Prose runs across the line with narrow gaps and never qualifies.
 */
export function looksTabular(words: Box[], textHeight: number): boolean {
  const h = textHeight;
  if (words.length > MAX_WORDS) return false; // no page of print: noise or texture, not to be read word by word
  let rows = 0;
  for (const line of wordLines(words, h)) {
    let short = 0;
    let prev: Box | null = null;
    for (const w of line) {
      const apart = prev === null || w[0] - prev[2] > h * 1.5;
      if (apart && w[2] - w[0] <= h * 4 && w[3] - w[1] <= h * 1.6) short++;
      prev = w;
    }
    if (short >= 6) return true; // a row of numbers (table 四's fifteen, alone on a page)
    if (short >= 3) rows++;
  }
  return rows >= 2;
}
