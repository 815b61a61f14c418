/**
 * Image backend: a PNG, JPEG or TIFF (every page of a multi-page TIFF) of a report page, read by
 * OCR. Tables come from the ruling lines in the image and cell-by-cell OCR; there is no narrative
 * (the text outside tables is not read), so year and organ stay unknown unless a table says them.
 */

import type { Grid } from "../model/grid.js";
import { OcrUnavailableError, ocrPool } from "./ocr/engine.js";
import { describeOcrPage, ocrPage } from "./ocr/page.js";
import { decodeImage } from "./ocr/raster.js";
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
  for (const [i, image] of pages.entries()) {
    const page = i + 1;
    const { width: w, height: h } = image;
    const flip = (b: Box, upsideDown: boolean): Box =>
      upsideDown ? [w - b[2], h - b[3], w - b[0], h - b[1]] : b;
    try {
      const r = await ocrPage(ocrPool(), image, page, flip, "ocr");
      grids.push(...r.grids);
      outcomes.push({ page, status: r.status, detail: describeOcrPage(r) });
    } catch (err) {
      if (!(err instanceof OcrUnavailableError)) throw err;
      outcomes.push({ page, status: "failed", detail: err.message });
      warnings.push(`第${page}页OCR失败：${err.message}`);
    }
  }
  return {
    grids,
    narrative: "",
    title: null,
    charset: null,
    charsetEvidence: null,
    publishedAt: null,
    warnings,
    pages: pages.length,
    ocr: outcomes,
  };
}
