/**
 * One page image → table grids. The cheap pass (binarise, straighten, find rules) decides whether
 * the page holds a table at all; only then are cells read. A page printed upside down is found by
 * reading a few label cells both ways up and keeping the way the Chinese model is surer of.
 */
import type { Box } from "../pdf/geometry.js";
import { cellImage, inkBox, type OcrGrid, readTable } from "./cells.js";
import type { OcrPool } from "./engine.js";
import { type Gray, rotate } from "./raster.js";
import { findTables, type PageTables } from "./table.js";

export interface OcrPageResult {
  grids: OcrGrid[];
  /** `read`: tables found and read; `no-table`: no ruled table on the page; `blank`: no ink at all. */
  status: "read" | "no-table" | "blank";
  skew: number;
  upsideDown: boolean;
}

/** Mean Chinese-model confidence over the widest few cells (labels), as the page stands. */
async function labelConfidence(pool: OcrPool, pt: PageTables): Promise<number> {
  const cells = pt.tables
    .flatMap((t) => t.cells)
    .map((c) => ({ c, ink: inkBox(pt.ink, pt.page.width, c.box, 3) }))
    .filter((x): x is { c: (typeof x)["c"]; ink: Box } => x.ink !== null)
    .sort((a, b) => b.ink[2] - b.ink[0] - (a.ink[2] - a.ink[0]))
    .slice(0, 3);
  if (cells.length === 0) return 0;
  const reads = await Promise.all(
    cells.map((x) => pool.recognize(cellImage(pt.page, x.ink, pt.textHeight, 1.5), "label")),
  );
  return reads.reduce((s, r) => s + r.confidence, 0) / reads.length;
}

export async function ocrPage(
  pool: OcrPool,
  image: Gray,
  page: number,
  /** Straightened-page pixels → output coordinates, given whether the page was turned 180°. */
  toOutput: (b: Box, upsideDown: boolean) => Box,
  gridPrefix: string,
): Promise<OcrPageResult> {
  let pt = findTables(image);
  let upsideDown = false;
  if (pt.blank) return { grids: [], status: "blank", skew: 0, upsideDown };
  if (pt.tables.length > 0) {
    // Upright labels read with high confidence; only a doubtful page is tried the other way up.
    const asIs = await labelConfidence(pool, pt);
    if (asIs < 0.75) {
      const turned = findTables(rotate(image, 180));
      if (turned.tables.length > 0 && (await labelConfidence(pool, turned)) > asIs + 0.1) {
        pt = turned;
        upsideDown = true;
      }
    }
  }
  if (pt.tables.length === 0) return { grids: [], status: "no-table", skew: pt.skew, upsideDown };
  const grids: OcrGrid[] = [];
  for (const [i, table] of pt.tables.entries()) {
    grids.push(
      await readTable(pool, pt, table, `${gridPrefix}:p${page}:t${i + 1}`, {
        page,
        toOutput: (b) => toOutput(b, upsideDown),
      }),
    );
  }
  return { grids, status: "read", skew: pt.skew, upsideDown };
}

/** One line for the report saying what OCR made of the page. */
export function describeOcrPage(r: OcrPageResult): string {
  const parts = [
    r.status === "read" ? `识别${r.grids.length}个表格` : r.status === "blank" ? "空白页" : "没有表格",
  ];
  if (r.skew !== 0) parts.push(`纠偏${r.skew}°`);
  if (r.upsideDown) parts.push("页面倒置，已旋转180°");
  return parts.join("，");
}
