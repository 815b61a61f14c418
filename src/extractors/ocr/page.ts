/**
 * One page image → table grids and words. The cheap pass (binarise, straighten, find rules and
 * word boxes) decides what the page holds; only then is anything read. Ruled tables are read cell
 * by cell; an unruled table — rows of short words in columns — is read word by word, and its words
 * go back to the backend as positioned text, where they take the text layer's road (lines whose
 * wide gaps separate columns, the text backend's anchors). A page printed upside down is found by
 * reading a few labels (its widest label cells, or without rules its widest words) both ways up and
 * keeping the way the Chinese model is surer of.
 */
import { type Box, round1, type TextItem } from "../pdf/geometry.js";
import { type Line, toLines } from "../pdf/lines.js";
import { cellImage, inkBox, type OcrGrid, readCell, readTable } from "./cells.js";
import type { OcrPool } from "./engine.js";
import { type Gray, rotate } from "./raster.js";
import { findTables, type PageTables } from "./table.js";
import { findWords, looksTabular, wordLines } from "./words.js";

export interface OcrPageResult {
  grids: OcrGrid[];
  /** Lines of the words read outside the ruled tables, in reading order, boxes in output coordinates. */
  lines: Line[];
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

/**
 * Reads word boxes into lines of text in reading order: the words are read (in parallel across the
 * pool) and laid out into lines in the straightened page, upright, then every box is taken to the
 * output's coordinates — which, for a page scanned upside down, run the other way.
 */
async function readLines(
  pool: OcrPool,
  pt: PageTables,
  words: Box[],
  toOutput: (b: Box) => Box,
): Promise<Line[]> {
  const items = await Promise.all(
    words.map(async (w): Promise<TextItem | null> => {
      const read = await readCell(pool, pt, w, false);
      if (!read.text) return null;
      const size = pt.textHeight * EM_PER_TEXT_HEIGHT;
      return { text: read.text, box: w, size, vertical: false, confidence: read.confidence };
    }),
  );
  const out = (b: Box) => round1(toOutput(b.map((v) => v / pt.factor) as Box));
  return toLines(items.filter((it): it is TextItem => it !== null)).map((line) => {
    const box = out(line.box);
    return {
      ...line,
      box,
      y: (box[1] + box[3]) / 2,
      parts: line.parts.map((p) => ({ ...p, box: out(p.box) })),
    };
  });
}

/** A page's structure as found by the cheap pass: ruled tables and the words outside them. */
interface PageLayout {
  pt: PageTables;
  words: Box[];
}

function layoutOf(image: Gray): PageLayout {
  const pt = findTables(image);
  const words = pt.blank
    ? []
    : findWords(
        pt.ink,
        pt.page.width,
        pt.page.height,
        pt.textHeight,
        pt.tables.map((t) => t.box),
      );
  return { pt, words };
}

/**
 * Mean Chinese-model confidence over the widest few labels as the page stands: label cells of its
 * ruled tables, or else its widest one-line words (an unruled table's labels, the title).
 */
async function labelConfidence(pool: OcrPool, { pt, words }: PageLayout): Promise<number> {
  const fromCells = pt.tables
    .flatMap((t) => t.cells)
    .map((c) => inkBox(pt.ink, pt.page.width, c.box, 3))
    .filter((b): b is Box => b !== null);
  const candidates =
    fromCells.length > 0 ? fromCells : words.filter((w) => w[3] - w[1] <= pt.textHeight * 1.6);
  const widest = candidates.sort((a, b) => b[2] - b[0] - (a[2] - a[0])).slice(0, 3);
  if (widest.length === 0) return 0;
  const reads = await Promise.all(
    widest.map((ink) => pool.recognize(cellImage(pt.page, ink, pt.textHeight, 1.5), "label")),
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
  let layout = layoutOf(image);
  let upsideDown = false;
  const none = { grids: [], lines: [], unruled: false, upsideDown };
  if (layout.pt.blank) return { ...none, status: "blank", skew: 0 };
  const tabular = (l: PageLayout) => l.pt.tables.length > 0 || looksTabular(l.words, l.pt.textHeight);
  // Only a page with something to read is checked: upright labels read with high confidence, and
  // only a doubtful page is tried the other way up.
  if (tabular(layout) || (options.titleLines ?? 0) > 0) {
    const asIs = await labelConfidence(pool, layout);
    if (asIs < 0.75) {
      const turned = layoutOf(rotate(image, 180));
      const asStructured = tabular(turned) || !tabular(layout);
      if (asStructured && (await labelConfidence(pool, turned)) > asIs + 0.1) {
        layout = turned;
        upsideDown = true;
      }
    }
  }
  const { pt, words } = layout;
  const unruled = looksTabular(words, pt.textHeight);
  const toRead = unruled
    ? words
    : wordLines(words, pt.textHeight)
        .slice(0, options.titleLines ?? 0)
        .flat();
  const lines = await readLines(pool, pt, toRead, (b) => toOutput(b, upsideDown));
  if (pt.tables.length === 0)
    return {
      ...none,
      lines,
      unruled,
      status: unruled ? "read" : "no-table",
      skew: pt.skew,
      upsideDown,
    };
  const grids: OcrGrid[] = [];
  for (const [i, table] of pt.tables.entries()) {
    grids.push(
      await readTable(pool, pt, table, `${gridPrefix}:p${page}:t${i + 1}`, {
        page,
        toOutput: (b) => toOutput(b, upsideDown),
      }),
    );
  }
  return { grids, lines, unruled, status: "read", skew: pt.skew, upsideDown };
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
