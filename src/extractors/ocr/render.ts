/**
 * A PDF page rendered to a grayscale raster for OCR (pdfjs onto an @napi-rs/canvas, paper white).
 * 200 dpi, measured on four scanned samples (cells exact, 150 / 200 / 300 dpi): scan-image-only
 * 146 / 200 / 200 of 200, skew-jpeg 195 / 195 / 191 of 200, hzq2024 182 / 186 / 184 of 186,
 * split-t3-photo 190 / 193 / 179 of 200. At 150 dpi thin rules and small digits blur together; at
 * 300 dpi a page takes ~40% longer and is brought back down to the reader's size anyway.
 */
import { createCanvas } from "@napi-rs/canvas";
import type { PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Gray } from "./raster.js";
import { MAX_PIXELS, paperOrInk } from "./raster.js";

export const RENDER_DPI = 200;

export interface RenderedPage {
  image: Gray;
  /** Pixels per PDF point. */
  scale: number;
}

export async function renderPage(page: PDFPageProxy, dpi = RENDER_DPI): Promise<RenderedPage> {
  const base = page.getViewport({ scale: 1 });
  // A huge page (posters, mis-sized scans) is rendered at a lower resolution, never above the cap.
  let scale = dpi / 72;
  const px = base.width * base.height * scale * scale;
  if (px > MAX_PIXELS) scale *= Math.sqrt(MAX_PIXELS / px);
  const viewport = page.getViewport({ scale });
  const w = Math.max(1, Math.ceil(viewport.width));
  const h = Math.max(1, Math.ceil(viewport.height));
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  // pdfjs types its targets as DOM canvases; the @napi-rs one implements what it uses.
  type Params = Parameters<PDFPageProxy["render"]>[0];
  await page.render({
    canvas: canvas as unknown as Params["canvas"],
    canvasContext: ctx as unknown as NonNullable<Params["canvasContext"]>,
    viewport,
    background: "rgb(255,255,255)",
  }).promise;
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const data = new Uint8Array(w * h);
  for (let i = 0, j = 0; i < data.length; i++, j += 4)
    data[i] = paperOrInk(rgba[j]!, rgba[j + 1]!, rgba[j + 2]!);
  return { image: { width: w, height: h, data }, scale };
}
