/**
 * Image backend: a PNG, JPEG or TIFF (every page of a multi-page TIFF) of a report page, read by
 * OCR. Ruled tables come from the ruling lines in the image and cell-by-cell OCR; unruled ones from
 * the words OCR read, through the text backend's anchors as for a PDF's text layer. Of the prose
 * only the first page's title block is read (organ, year): reading every line would cost far more
 * than the tables, which are what the report is for.
 */

import type { Grid } from "../model/grid.js";
import { OcrUnavailableError, ocrPool } from "./ocr/engine.js";
import { describeOcrPage, ocrPage, TITLE_BLOCK_LINES } from "./ocr/page.js";
import { decodeImage } from "./ocr/raster.js";
import { gridTop, type LineGeo, pageNarrative, tablesIn, textTables } from "./page-text.js";
import type { Box } from "./pdf/geometry.js";
import { type ExtractedLayout, type ExtractInput, type OcrOutcome, UnreadableInputError } from "./types.js";

/** Multi-page TIFFs beyond this are refused: no annual report is a 200-page fax. */
const MAX_IMAGE_PAGES = 300;

export async function extractImage(input: ExtractInput): Promise<ExtractedLayout> {
  if (input.bytes.length === 0) throw new UnreadableInputError("空文件 (empty file)", "empty");
  if (input.ocr === false)
    throw new UnreadableInputError(
      "图像文件需要OCR，但OCR已关闭 (image needs OCR, OCR disabled)",
      "unsupported",
    );
  const pages = await decodeImage(input.bytes);
  if (pages.length > MAX_IMAGE_PAGES)
    throw new UnreadableInputError(`图像页数过多（${pages.length}页） (too many pages)`, "limit");
  const grids: Grid[] = [];
  const outcomes: OcrOutcome[] = [];
  const warnings: string[] = [];
  const narrative: string[] = [];
  const proseUnread: number[] = [];
  const geo: (LineGeo | null)[] = [];
  for (const [i, image] of pages.entries()) {
    const page = i + 1;
    const { width: w, height: h } = image;
    const flip = (b: Box, upsideDown: boolean): Box =>
      upsideDown ? [w - b[2], h - b[3], w - b[0], h - b[1]] : b;
    try {
      const r = await ocrPage(ocrPool(), image, page, flip, "ocr", {
        titleLines: page === 1 ? TITLE_BLOCK_LINES : 0,
      });
      grids.push(...r.grids);
      if (!r.unruled && r.status !== "blank") proseUnread.push(page);
      outcomes.push({ page, status: r.status, detail: describeOcrPage(r) });
      const tops = r.grids.map((g) => gridTop(g));
      if (narrative.length > 0) geo.push(null); // the blank line between pages
      narrative.push(pageNarrative(page, r.lines, tops, h, geo));
    } catch (err) {
      if (!(err instanceof OcrUnavailableError)) throw err;
      outcomes.push({ page, status: "failed", detail: err.message });
      warnings.push(`第${page}页OCR失败：${err.message}`);
    }
  }
  const fromText = textTables(tablesIn(grids), narrative, geo);
  return {
    grids: [...grids, ...fromText.grids],
    narrative: fromText.narrative,
    title: null,
    charset: null,
    charsetEvidence: null,
    publishedAt: null,
    warnings,
    pages: pages.length,
    ocr: outcomes,
    proseUnread,
  };
}
