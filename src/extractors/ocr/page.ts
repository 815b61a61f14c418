/**
 * One page image → table grids and words. The cheap pass (binarise, straighten, find rules and
 * word boxes) decides what the page holds; only then is anything read. Ruled tables are read cell
 * by cell; an unruled table — rows of short words in columns — is read word by word, and its words
 * go back to the backend as positioned text, where they take the text layer's road (lines whose
 * wide gaps separate columns, the text backend's anchors). A page printed upside down is found by
 * reading a few label cells both ways up and keeping the way the Chinese model is surer of.
 */
import type { Box, TextItem } from "../pdf/geometry.js";
import { cellImage, inkBox, type OcrGrid, readCell, readTable } from "./cells.js";
import type { OcrPool } from "./engine.js";
import { type Gray, rotate } from "./raster.js";
import { findTables, type PageTables } from "./table.js";
import { findWords, looksTabular, wordLines } from "./words.js";

export interface OcrPageResult {
  grids: OcrGrid[];
  /** Words read outside the ruled tables, in output coordinates (empty when none were read). */
  words: TextItem[];
  /** `read`: tables found and read; `no-table`: no table on the page; `blank`: no ink at all. */
  status: "read" | "no-table" | "blank";
  /** The page's words were read as an unruled table. */
  unruled: boolean;
  skew: number;
  upsideDown: boolean;
}

/** Lines of a scanned first page that hold its title block (title, organ, year, sometimes a date). */
export const TITLE_BLOCK_LINES = 4;

export interface OcrPageOptions {
  /**
   * Lines of words read from the top of the page even when it holds no unruled table: the title
   * block of a document's first page (organ, year), which a scan has no other way to give.
   */
  titleLines?: number;
}

/** Em size over the height of the ink of a line of Chinese characters. */
const EM_PER_TEXT_HEIGHT = 1.1;

/** Reads word boxes (straightened-page pixels) into positioned text items, in parallel across the pool. */
async function readWords(
  pool: OcrPool,
  pt: PageTables,
  words: Box[],
  toOutput: (b: Box) => Box,
): Promise<TextItem[]> {
  const em = pt.textHeight * EM_PER_TEXT_HEIGHT;
  const items = await Promise.all(
    words.map(async (w): Promise<TextItem | null> => {
      const read = await readCell(pool, pt, w, false);
      if (!read.text) return null;
      const box = toOutput(w.map((v) => v / pt.factor) as Box);
      const unit = (box[3] - box[1]) / ((w[3] - w[1]) / pt.factor || 1);
      return {
        text: read.text,
        box: box.map((v) => Math.round(v * 10) / 10) as Box,
        size: (em / pt.factor) * unit,
        vertical: false,
        confidence: read.confidence,
      };
    }),
  );
  return items.filter((it): it is TextItem => it !== null);
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
  options: OcrPageOptions = {},
): Promise<OcrPageResult> {
  let pt = findTables(image);
  let upsideDown = false;
  const none = { grids: [], words: [], unruled: false, upsideDown };
  if (pt.blank) return { ...none, status: "blank", skew: 0 };
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
  const words = findWords(
    pt.ink,
    pt.page.width,
    pt.page.height,
    pt.textHeight,
    pt.tables.map((t) => t.box),
  );
  const unruled = looksTabular(words, pt.textHeight);
  const toRead = unruled
    ? words
    : wordLines(words, pt.textHeight)
        .slice(0, options.titleLines ?? 0)
        .flat();
  const items = await readWords(pool, pt, toRead, (b) => toOutput(b, upsideDown));
  if (pt.tables.length === 0)
    return { ...none, words: items, unruled, status: unruled ? "read" : "no-table", skew: pt.skew };
  const grids: OcrGrid[] = [];
  for (const [i, table] of pt.tables.entries()) {
    grids.push(
      await readTable(pool, pt, table, `${gridPrefix}:p${page}:t${i + 1}`, {
        page,
        toOutput: (b) => toOutput(b, upsideDown),
      }),
    );
  }
  return { grids, words: items, unruled, status: "read", skew: pt.skew, upsideDown };
}

/** One line for the report saying what OCR made of the page. */
export function describeOcrPage(r: OcrPageResult): string {
  const parts = [
    r.status === "blank"
      ? "空白页"
      : r.grids.length > 0
        ? `识别${r.grids.length}个表格`
        : r.unruled
          ? ""
          : "没有表格",
  ].filter((p) => p !== "");
  if (r.unruled) parts.push("无框线表格按文字列识别");
  if (r.skew !== 0) parts.push(`纠偏${r.skew}°`);
  if (r.upsideDown) parts.push("页面倒置，已旋转180°");
  return parts.join("，");
}
