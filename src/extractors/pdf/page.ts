/**
 * One pdfjs page → PageGeometry: text items and ruling segments in device space (viewport
 * transform applied, so /Rotate pages come out upright), plus painted image boxes.
 * Ruling lines come from the operator list: stroked straight segments and thin filled
 * rectangles (Chromium and LibreOffice draw borders either way); clip paths are ignored.
 */
import { OPS, type PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem as PdfTextItem } from "pdfjs-dist/types/src/display/api.js";
import {
  type Box,
  boxOf,
  type Matrix,
  multiply,
  type PageGeometry,
  type Segment,
  type TextItem,
} from "./geometry.js";

const STROKE_OPS = new Set<number>([
  OPS.stroke,
  OPS.closeStroke,
  OPS.fillStroke,
  OPS.eoFillStroke,
  OPS.closeFillStroke,
  OPS.closeEOFillStroke,
]);
const FILL_OPS = new Set<number>([
  OPS.fill,
  OPS.eoFill,
  OPS.fillStroke,
  OPS.eoFillStroke,
  OPS.closeFillStroke,
  OPS.closeEOFillStroke,
]);
const IMAGE_OPS = new Set<number>([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
]);

/** Thickness below which a filled rectangle is a ruling line, in device units. */
const THIN = 3;
/** Shortest segment worth keeping. */
const MIN_LENGTH = 4;

/**
 * Some producers (Chromium's Type 3 CJK fonts) map glyphs to Kangxi radicals (`⼈` U+2F08) instead
 * of the unified ideographs (`人`); they look the same but match nothing. Only those blocks are
 * folded, so everything else stays as printed.
 */
export function unifyRadicals(text: string): string {
  return text.replace(/[\u2e80-\u2fdf]/g, (c) => c.normalize("NFKC"));
}

function textItems(items: PdfTextItem[], viewport: Matrix): TextItem[] {
  const out: TextItem[] = [];
  for (const it of items) {
    if (!it.str?.trim()) continue;
    const t = it.transform as Matrix;
    const m = multiply(viewport, t);
    const size = Math.hypot(m[2], m[3]) || Math.hypot(m[0], m[1]);
    // The item's rectangle in text space: its advance along x, one em up along y.
    const sx = Math.hypot(t[0], t[1]) || 1;
    const sy = Math.hypot(t[2], t[3]) || 1;
    const box = boxOf(m, [
      [0, -0.2],
      [it.width / sx, -0.2],
      [0, Math.max(it.height / sy, 0.8)],
      [it.width / sx, Math.max(it.height / sy, 0.8)],
    ]);
    const vertical = Math.abs(m[1]) > Math.abs(m[0]) || it.dir === "ttb";
    out.push({ text: unifyRadicals(it.str), box, size, vertical });
  }
  return out;
}

/** Straight axis-aligned pieces of a path, in device space. */
function pathSegments(
  path: ArrayLike<number>,
  m: Matrix,
  stroke: boolean,
  fill: boolean,
  out: Segment[],
): void {
  const points: [number, number][] = [];
  const subpaths: [number, number][][] = [];
  let curved = false;
  const flush = () => {
    if (points.length > 0) subpaths.push(points.splice(0));
  };
  for (let i = 0; i < path.length; ) {
    const op = path[i];
    if (op === 0) {
      flush();
      points.push([path[i + 1]!, path[i + 2]!]);
      i += 3;
    } else if (op === 1) {
      points.push([path[i + 1]!, path[i + 2]!]);
      i += 3;
    } else if (op === 2) {
      curved = true;
      points.push([path[i + 5]!, path[i + 6]!]);
      i += 7;
    } else if (op === 3) {
      curved = true;
      points.push([path[i + 3]!, path[i + 4]!]);
      i += 5;
    } else {
      if (points.length > 0) points.push(points[0]!);
      i += 1;
    }
  }
  flush();
  if (curved) return;
  for (const sp of subpaths) {
    const dev = sp.map(([x, y]) => boxOf(m, [[x, y]]).slice(0, 2) as [number, number]);
    if (fill && dev.length >= 4) {
      const xs = dev.map((p) => p[0]);
      const ys = dev.map((p) => p[1]);
      const b: Box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      const w = b[2] - b[0];
      const h = b[3] - b[1];
      if (h <= THIN && w >= MIN_LENGTH) out.push({ dir: "h", at: (b[1] + b[3]) / 2, from: b[0], to: b[2] });
      else if (w <= THIN && h >= MIN_LENGTH)
        out.push({ dir: "v", at: (b[0] + b[2]) / 2, from: b[1], to: b[3] });
      if (h <= THIN || w <= THIN || !stroke) continue;
    }
    if (!stroke) continue;
    for (let k = 1; k < dev.length; k++) {
      const [x0, y0] = dev[k - 1]!;
      const [x1, y1] = dev[k]!;
      if (Math.abs(y1 - y0) < 1 && Math.abs(x1 - x0) >= MIN_LENGTH) {
        out.push({ dir: "h", at: (y0 + y1) / 2, from: Math.min(x0, x1), to: Math.max(x0, x1) });
      } else if (Math.abs(x1 - x0) < 1 && Math.abs(y1 - y0) >= MIN_LENGTH) {
        out.push({ dir: "v", at: (x0 + x1) / 2, from: Math.min(y0, y1), to: Math.max(y0, y1) });
      }
    }
  }
}

/** Words that only occur in or right above the report tables. */
const TABLE_WORDS =
  /第二十条|信息内容|勾稽|申请人情况|本年新收|上年结转|予以公开|不予公开|无法提供|不予处理|其他处理|结转下年度|行政复议|行政诉讼|结果维持|尚未审结/;

/**
 * Whether the operator list is worth reading: only pages that may hold a table (its words, or
 * many digits) or that have no text at all (a scan, to measure its images). Narrative pages skip it,
 * which is most of the cost of a page.
 */
export function needsGraphics(items: TextItem[]): boolean {
  const text = items.map((i) => i.text).join("");
  if (text.replace(/\s+/g, "").length === 0) return true;
  if (TABLE_WORDS.test(text.replace(/\s+/g, ""))) return true;
  return (text.match(/\d/g)?.length ?? 0) >= 30;
}

/**
 * @param graphics `auto` reads ruling lines and images only where needsGraphics says so;
 *   `always` where a table may continue from the previous page (its rows can be bare numbers);
 *   `never` reads text only (pages after the report tables).
 */
export async function readPage(
  page: PDFPageProxy,
  graphics: "auto" | "always" | "never",
): Promise<PageGeometry> {
  const viewport = page.getViewport({ scale: 1 });
  const vt = viewport.transform as Matrix;
  const content = await page.getTextContent();
  const items = textItems(
    content.items.filter((i): i is PdfTextItem => "str" in i),
    vt,
  );
  const segments: Segment[] = [];
  const images: Box[] = [];
  if (graphics === "always" || (graphics === "auto" && needsGraphics(items))) {
    const ops = await page.getOperatorList();
    let ctm: Matrix = vt;
    const stack: Matrix[] = [];
    for (let i = 0; i < ops.fnArray.length; i++) {
      const fn = ops.fnArray[i];
      const args = ops.argsArray[i] as unknown[];
      if (fn === OPS.save) stack.push(ctm);
      else if (fn === OPS.restore) ctm = stack.pop() ?? vt;
      else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
      else if (fn === OPS.paintFormXObjectBegin) {
        stack.push(ctm);
        const matrix = args[0] as Matrix | null;
        if (matrix) ctm = multiply(ctm, matrix);
      } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? vt;
      else if (fn === OPS.constructPath) {
        const [paintOp, paths] = args as [number, ArrayLike<number>[] | null];
        const stroke = STROKE_OPS.has(paintOp);
        const fill = FILL_OPS.has(paintOp);
        if (!(stroke || fill) || !paths) continue;
        for (const p of paths) if (p) pathSegments(p, ctm, stroke, fill, segments);
      } else if (fn !== undefined && IMAGE_OPS.has(fn)) {
        images.push(
          boxOf(ctm, [
            [0, 0],
            [1, 0],
            [0, 1],
            [1, 1],
          ]),
        );
      }
    }
  }
  return { page: page.pageNumber, width: viewport.width, height: viewport.height, items, segments, images };
}
