/**
 * Page geometry in device space (top-down y, rotation applied): the types the lattice, line
 * and quality modules share. Pure data; pdfjs is only touched in page.ts.
 */

export type Matrix = [number, number, number, number, number, number];
export type Box = [number, number, number, number]; // x0, y0, x1, y1 with y0 < y1 (top-down)

export interface TextItem {
  text: string;
  box: Box;
  /** Font size in device units. */
  size: number;
  /** True when the text runs vertically (rotated 90°). */
  vertical: boolean;
  /** Set when OCR read the item from a picture: the engine's confidence, 0–1. */
  confidence?: number;
}

export interface Segment {
  /** Horizontal: y fixed, x0..x1; vertical: x fixed, y0..y1. */
  dir: "h" | "v";
  at: number;
  from: number;
  to: number;
}

export interface PageGeometry {
  page: number;
  width: number;
  height: number;
  items: TextItem[];
  segments: Segment[];
  /** Device boxes of painted images. */
  images: Box[];
}

export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** Bounding box of points transformed by m. */
export function boxOf(m: Matrix, points: [number, number][]): Box {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const [px, py] of points) {
    const [x, y] = apply(m, px, py);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

export const centre = (b: Box): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
export const area = (b: Box): number => Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
export const round1 = (b: Box): Box => b.map((v) => Math.round(v * 10) / 10) as Box;
