/**
 * HTML reports whose tables are pictures: the pictures are fetched through the input's
 * `resolveImage` (the crawler supplies the blobs it fetched) or, for a file read from disk, from
 * beside it, and read by OCR like an image file. The grids follow the page's own (none, or layout
 * tables), so the mapper zones them by their anchors as usual; unruled tables in the pictures come
 * from their words through the text backend's anchors, over the pictures' text in page order.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { extractHtml } from "../html.js";
import { type LineGeo, pageNarrative, tablesIn, textTables } from "../page-text.js";
import type { ExtractedLayout, ExtractInput, OcrOutcome } from "../types.js";
import { OcrUnavailableError, ocrPool } from "./engine.js";
import { describeOcrPage, ocrPage, TITLE_BLOCK_LINES } from "./page.js";
import { decodeImage } from "./raster.js";

/** More pictures than a report's three tables ever take: the rest are decoration. */
const MAX_IMAGES = 12;

/** Reads `src` relative to a local HTML file, never outside its folder; null for remote addresses. */
export function localImageResolver(locator: string): (src: string) => Promise<Uint8Array | null> {
  return async (src) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(locator) || /^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith("//"))
      return null;
    const dir = path.resolve(path.dirname(locator));
    const file = path.resolve(dir, decodeURIComponent(src.split(/[?#]/)[0] ?? ""));
    if (!file.startsWith(dir + path.sep)) return null;
    return readFile(file).catch(() => null);
  };
}

export async function extractHtmlWithImages(input: ExtractInput): Promise<ExtractedLayout> {
  const layout = extractHtml(input);
  const mark = layout.needsOcr?.find((m) => m.reason === "image-table");
  if (!mark?.images || input.ocr === false) return layout;
  const resolve = input.resolveImage ?? localImageResolver(input.locator);
  const outcomes: OcrOutcome[] = [];
  const texts: string[] = [];
  const geo: (LineGeo | null)[] = [];
  let tables = 0;
  let unruled = 0;
  for (const [i, src] of mark.images.slice(0, MAX_IMAGES).entries()) {
    const bytes = await resolve(src);
    if (!bytes) continue;
    try {
      for (const image of await decodeImage(bytes)) {
        const r = await ocrPage(ocrPool(), image, 1, (b) => b, `ocr:img${i + 1}`, {
          titleLines: i === 0 ? TITLE_BLOCK_LINES : 0,
        });
        layout.grids.push(...r.grids);
        tables += r.grids.length;
        if (r.unruled) unruled++;
        if (texts.length > 0) geo.push(null);
        texts.push(pageNarrative(1, r.lines, [], image.height, geo));
        outcomes.push({ page: 1, status: r.status, detail: `${src}：${describeOcrPage(r)}` });
      }
    } catch (err) {
      if (err instanceof OcrUnavailableError) {
        layout.warnings.push(`图片${src}OCR失败：${err.message}`);
      } else if ((err as Error).name === "UnreadableInputError") {
        layout.warnings.push(`图片${src}无法读取：${(err as Error).message}`);
      } else throw err;
    }
  }
  if (texts.some((t) => t.trim() !== "")) {
    const fromText = textTables(tablesIn(layout.grids), texts, geo);
    layout.grids.push(...fromText.grids);
    tables += fromText.grids.length;
    // A page made of pictures (an image stack) has its prose in them; the HTML's own words are
    // then only a title, and the pictures' title block is the report's.
    layout.narrative = `${layout.narrative}\n\n${fromText.narrative}`.trim();
  }
  // Of an image stack's prose only tables and the first picture's title block are read.
  if (outcomes.length > 0 && unruled < outcomes.length && layout.narrative.replace(/\s/g, "").length < 400)
    layout.proseUnread = [1];
  if (outcomes.length > 0) {
    // One mark for the page: read when any picture gave tables.
    layout.ocr = [
      {
        page: 1,
        status: tables > 0 ? "read" : "no-table",
        detail: outcomes.map((o) => o.detail).join("；"),
      },
    ];
  }
  return layout;
}
