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

/** Reads word boxes (straightened-page pixels) into text items, in parallel across the pool. */
async function readItems(pool: OcrPool, pt: PageTables, words: Box[]): Promise<TextItem[]> {
  const size = pt.textHeight * EM_PER_TEXT_HEIGHT;
  const items = await Promise.all(
    words.map(async (w): Promise<TextItem | null> => {
      const read = await readCell(pool, pt, w, false);
      return read.text
        ? { text: read.text, box: w, size, vertical: false, confidence: read.confidence }
        : null;
    }),
  );
  return items.filter((it): it is TextItem => it !== null);
}

/**
 * Items laid out into lines in the straightened page, upright, in reading order; then every box is
 * taken to the output's coordinates — which, for a page scanned upside down, run the other way.
 */
function linesOf(pt: PageTables, items: TextItem[], toOutput: (b: Box) => Box): Line[] {
  const out = (b: Box) => round1(toOutput(b.map((v) => v / pt.factor) as Box));
  return toLines(items).map((line) => {
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

/** Mean Chinese-model confidence over the widest few label cells of the page's ruled tables. */
async function labelConfidence(pool: OcrPool, pt: PageTables): Promise<number> {
  const widest = pt.tables
    .flatMap((t) => t.cells)
    .map((c) => inkBox(pt.ink, pt.page.width, c.box, 3))
    .filter((b): b is Box => b !== null)
    .sort((a, b) => b[2] - b[0] - (a[2] - a[0]))
    .slice(0, 3);
  if (widest.length === 0) return 0;
  const reads = await Promise.all(
    widest.map((ink) => pool.recognize(cellImage(pt.page, ink, pt.textHeight, 1.5), "label")),
  );
  return reads.reduce((s, r) => s + r.confidence, 0) / reads.length;
}

/** Which words of a page are read: all of an unruled table, else the title block's. */
interface WordPlan {
  unruled: boolean;
  toRead: Box[];
  /** The widest one-line words among them, read first to tell which way up the page is. */
  probe: Box[];
}

function planWords({ pt, words }: PageLayout, titleLines: number): WordPlan {
  const unruled = looksTabular(words, pt.textHeight);
  const toRead = unruled ? words : wordLines(words, pt.textHeight).slice(0, titleLines).flat();
  const probe = toRead
    .filter((w) => w[3] - w[1] <= pt.textHeight * 1.6)
    .sort((a, b) => b[2] - b[0] - (a[2] - a[0]))
    .slice(0, 3);
  return { unruled, toRead, probe };
}

/** Mean confidence of the items the Chinese model read (1 when there are none: nothing to doubt). */
function chineseConfidence(items: TextItem[]): number {
  const read = items.filter((it) => /[\u4e00-\u9fff]/.test(it.text)).map((it) => it.confidence ?? 0);
  return read.length > 0 ? read.reduce((a, b) => a + b, 0) / read.length : 1;
}

/** Upright labels read with high confidence; only a doubtful page is tried the other way up. */
const DOUBTFUL = 0.75;

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
  if (layout.pt.blank) return { grids: [], lines: [], unruled: false, upsideDown, status: "blank", skew: 0 };
  if (layout.pt.tables.length > 0) {
    const asIs = await labelConfidence(pool, layout.pt);
    if (asIs < DOUBTFUL) {
      const turned = layoutOf(rotate(image, 180));
      if (turned.pt.tables.length > 0 && (await labelConfidence(pool, turned.pt)) > asIs + 0.1) {
        layout = turned;
        upsideDown = true;
      }
    }
  }
  const titleLines = options.titleLines ?? 0;
  let plan = planWords(layout, titleLines);
  let probed = await readItems(pool, layout.pt, plan.probe);
  // Without rules, the widest words tell whether the page stands on its head (they are read
  // anyway, so an upright page pays nothing for the check).
  if (layout.pt.tables.length === 0 && chineseConfidence(probed) < DOUBTFUL) {
    const turned = layoutOf(rotate(image, 180));
    const turnedPlan = planWords(turned, titleLines);
    const turnedProbed = await readItems(pool, turned.pt, turnedPlan.probe);
    if (chineseConfidence(turnedProbed) > chineseConfidence(probed) + 0.1) {
      [layout, plan, probed, upsideDown] = [turned, turnedPlan, turnedProbed, true];
    }
  }
  const { pt } = layout;
  const rest = await readItems(
    pool,
    pt,
    plan.toRead.filter((w) => !plan.probe.includes(w)),
  );
  const lines = linesOf(pt, [...probed, ...rest], (b) => toOutput(b, upsideDown));
  const unruled = plan.unruled;
  const grids: OcrGrid[] = [];
  for (const [i, table] of pt.tables.entries()) {
    grids.push(
      await readTable(pool, pt, table, `${gridPrefix}:p${page}:t${i + 1}`, {
        page,
        toOutput: (b) => toOutput(b, upsideDown),
      }),
    );
  }
  const status = grids.length > 0 || unruled ? "read" : "no-table";
  return { grids, lines, unruled, status, skew: pt.skew, upsideDown };
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
