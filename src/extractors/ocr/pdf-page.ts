/**
 * OCR of one PDF page marked `needs-ocr`: render it, and read the tables in the picture. A page
 * with an image table is read only inside its large images (its text-layer tables are already
 * read); a scanned or garbled page is read whole. Cell boxes come back in PDF points, top-down,
 * like the text layer's.
 */
import type { PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Box, PageGeometry } from "../pdf/geometry.js";
import type { Line } from "../pdf/lines.js";
import type { OcrMark, OcrOutcome } from "../types.js";
import type { OcrGrid } from "./cells.js";
import { OcrUnavailableError, ocrPool } from "./engine.js";
import { describeOcrPage, type OcrPageOptions, ocrPage } from "./page.js";
import { crop } from "./raster.js";
import { renderPage } from "./render.js";

export interface PdfPageOcr {
  grids: OcrGrid[];
  /** Lines read outside ruled tables (an unruled table, the title block), in PDF points. */
  lines: Line[];
  /** Every word outside the ruled tables was read: the page (each picture on it) held an unruled table. */
  unruled: boolean;
  outcome: OcrOutcome;
}

export async function ocrPdfPage(
  doc: PDFDocumentProxy,
  mark: OcrMark,
  geometry: PageGeometry,
  options: OcrPageOptions = {},
): Promise<PdfPageOcr> {
  const p = mark.page;
  const page = await doc.getPage(p);
  try {
    const { image, scale } = await renderPage(page);
    const area = geometry.width * geometry.height || 1;
    const regions: Box[] =
      mark.reason === "image-table"
        ? geometry.images.filter((b) => ((b[2] - b[0]) * (b[3] - b[1])) / area > 0.12)
        : [[0, 0, geometry.width, geometry.height]];
    const grids: OcrGrid[] = [];
    const lines: Line[] = [];
    let unruled = true;
    const details: string[] = [];
    let status: OcrOutcome["status"] = "no-table";
    for (const [i, r] of regions.entries()) {
      const x0 = Math.max(0, Math.floor(r[0] * scale));
      const y0 = Math.max(0, Math.floor(r[1] * scale));
      const part = crop(image, x0, y0, r[2] * scale, r[3] * scale);
      const toPoints = (b: Box, upsideDown: boolean): Box => {
        const f = upsideDown
          ? ([part.width - b[2], part.height - b[3], part.width - b[0], part.height - b[1]] as Box)
          : b;
        return [(f[0] + x0) / scale, (f[1] + y0) / scale, (f[2] + x0) / scale, (f[3] + y0) / scale];
      };
      const read = await ocrPage(
        ocrPool(),
        part,
        p,
        toPoints,
        regions.length > 1 ? `ocr:r${i + 1}` : "ocr",
        options,
      );
      grids.push(...read.grids);
      lines.push(...read.lines);
      unruled &&= read.unruled;
      details.push(describeOcrPage(read));
      if (read.status === "read" || (read.status === "no-table" && status === "blank")) status = read.status;
      else if (status !== "read" && read.status === "blank" && i === 0) status = "blank";
    }
    return {
      grids,
      lines,
      unruled: unruled && regions.length > 0,
      outcome: { page: p, status, detail: details.join("；") },
    };
  } catch (err) {
    if (!(err instanceof OcrUnavailableError)) throw err;
    return {
      grids: [],
      lines: [],
      unruled: false,
      outcome: { page: p, status: "failed", detail: err.message },
    };
  } finally {
    page.cleanup();
  }
}
