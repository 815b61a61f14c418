/**
 * A text PDF turned into the scan a perfect scanner would make: every page rendered by pdfjs (the
 * OCR path's own renderer) to a grey PNG and wrapped as an image-only PDF, so no text layer is left.
 * The golden test holds the OCR path to every cell of these clean renders.
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { toPng } from "../extractors/ocr/raster.js";
import { renderPage } from "../extractors/ocr/render.js";
import { imagePdf } from "./image-pdf.js";

/** Every page of a PDF as a grey PNG rendered by pdfjs. */
export async function renderedPages(bytes: Uint8Array, dpi = 200): Promise<Buffer[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 })
    .promise;
  try {
    const pages: Buffer[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      try {
        pages.push(toPng((await renderPage(page, dpi)).image));
      } finally {
        page.cleanup();
      }
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** The PDF as an image-only PDF of its rendered pages. */
export async function renderedPdf(bytes: Uint8Array, dpi = 200): Promise<Buffer> {
  return imagePdf(await renderedPages(bytes, dpi), dpi);
}
