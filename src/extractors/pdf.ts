/**
 * PDF backend: tables rebuilt from the PDF's own text layer with pdfjs (legacy build, no eval,
 * no network; cMaps and standard fonts from the package). Ruled tables come from the drawn lines
 * (lattice.ts); tables without lines fall back to the text backend's anchors over the page text,
 * whose wide gaps were kept as column separators (lines.ts). Pages whose text layer is missing or
 * unusable are marked for OCR (quality.ts). The document is opened once and always destroyed;
 * pages are released as soon as they are read, so long PDFs stay bounded in memory.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { getDocument, type PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Grid } from "../model/grid.js";
import type { TableId } from "../model/template.js";
import { TITLE_BLOCK_LINES } from "./ocr/page.js";
import { ocrPdfPage } from "./ocr/pdf-page.js";
import { gridTop, type LineGeo, pageNarrative, tablesIn, textTables } from "./page-text.js";
import { joinSplitRow } from "./pdf/continuation.js";
import { findLattices, latticeGrid } from "./pdf/lattice.js";
import { type Line, toLines } from "./pdf/lines.js";
import { readPage } from "./pdf/page.js";
import { pageQuality } from "./pdf/quality.js";
import {
  type ExtractedLayout,
  type ExtractInput,
  type OcrMark,
  type OcrOutcome,
  UnreadableInputError,
} from "./types.js";

/** More pages than any annual report has: refuse rather than grind (PDF bombs). */
export const MAX_PAGES = 2000;
/** Pages read past the last page that held a report table (sections 五、六 follow the tables). */
const TAIL_PAGES = 12;

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
const ASSETS = {
  cMapUrl: `${pdfjsRoot}/cmaps/`,
  standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
  wasmUrl: `${pdfjsRoot}/wasm/`,
};

async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  if (bytes.length === 0) throw new UnreadableInputError("空文件 (empty file)", "empty");
  const task = getDocument({
    // pdfjs takes ownership of (and detaches) the buffer it is given.
    data: new Uint8Array(bytes),
    ...ASSETS,
    cMapPacked: true,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    stopAtErrors: false,
  });
  try {
    return await task.promise;
  } catch (err) {
    await task.destroy().catch(() => {});
    const name = (err as Error).name;
    if (name === "PasswordException") {
      throw new UnreadableInputError("PDF已加密，需要密码才能打开 (encrypted PDF)", "encrypted");
    }
    throw new UnreadableInputError(`无法解析的PDF文件：${(err as Error).message} (corrupt PDF)`, "corrupt");
  }
}

/**
 * pdfjs inflates every stream through the asynchronous DecompressionStream when one exists; for
 * the many small streams of real PDFs (Type 3 glyphs, content streams) its own synchronous inflate
 * is about twice as fast (bench/pdf.ts: chrome-ruled-v2021 367 → 184 ms). pdfjs falls back to it
 * when the constructor is missing, so it is hidden while any PDF is being read (counted, so
 * overlapping extractions restore it only when the last one ends).
 */
let hidden = 0;
let savedDecompressionStream: unknown;

async function withSyncInflate<T>(fn: () => Promise<T>): Promise<T> {
  const g = globalThis as { DecompressionStream?: unknown };
  if (hidden++ === 0) {
    savedDecompressionStream = g.DecompressionStream;
    g.DecompressionStream = undefined;
  }
  try {
    return await fn();
  } finally {
    if (--hidden === 0) g.DecompressionStream = savedDecompressionStream;
  }
}

export function extractPdf(input: ExtractInput): Promise<ExtractedLayout> {
  return withSyncInflate(() => readPdf(input));
}

async function readPdf(input: ExtractInput): Promise<ExtractedLayout> {
  const doc = await openPdf(input.bytes);
  try {
    if (doc.numPages > MAX_PAGES) {
      throw new UnreadableInputError(
        `PDF页数过多（${doc.numPages}页，上限${MAX_PAGES}） (too many pages)`,
        "limit",
      );
    }
    const grids: Grid[] = [];
    const narrative: string[] = [];
    const geo: (LineGeo | null)[] = [];
    const needsOcr: OcrMark[] = [];
    const ocr: OcrOutcome[] = [];
    const warnings: string[] = [];
    const proseUnread: number[] = [];
    let lastTablePage = 0;
    let pagesRead = 0;
    // Which tables the grids so far hold; recomputed only when a page adds grids, not per page.
    let found = new Set<TableId>();
    let scanned = false;
    for (let p = 1; p <= doc.numPages; p++) {
      if (found.size === 3 && p > lastTablePage + TAIL_PAGES) {
        warnings.push(
          `第${p}页及以后（共${doc.numPages}页）在报告表格之后，未读取 (pages after the tables skipped)`,
        );
        break;
      }
      const page = await doc.getPage(p);
      let geometry: Awaited<ReturnType<typeof readPage>>;
      try {
        geometry = await readPage(
          page,
          // A scanned document's later pages are measured too, so they are marked for OCR.
          found.size === 3 && !scanned ? "never" : lastTablePage === p - 1 ? "always" : "auto",
        );
      } finally {
        page.cleanup();
      }
      pagesRead = p;
      const pageGrids: Grid[] = [];
      const tableTops: number[] = [];
      let remaining = geometry.items;
      findLattices(geometry.segments).forEach((lattice, i) => {
        const { grid, taken } = latticeGrid(lattice, remaining, p, i + 1);
        if (taken.size === 0) return; // a drawn box with nothing in it (frame, underline)
        remaining = remaining.filter((it) => !taken.has(it));
        pageGrids.push(grid);
        tableTops.push(lattice.box[1]);
      });
      // Any ruled table counts: a continuation page holds rows without the anchors.
      const ruledHere = pageGrids.length > 0;
      if (ruledHere) {
        const prev = grids[grids.length - 1];
        if (
          prev &&
          lastTablePage === p - 1 &&
          joinSplitRow(prev, pageGrids[0]!) &&
          pageGrids[0]!.rows === 0
        ) {
          pageGrids.shift();
        }
        lastTablePage = p;
      }
      grids.push(...pageGrids);
      // Also when the page's only grid was a split row joined to the one before.
      if (ruledHere) found = tablesIn(grids);
      const mark = pageQuality(geometry, pageGrids.length);
      if (mark) needsOcr.push(mark);
      if (mark?.reason === "no-text") scanned = true;
      // The page's lines come from its text layer, unless OCR read the page instead.
      let ocrLines: Line[] | null = null;
      // A picture of a page with OCR turned off: its prose is not there to check.
      if (mark && mark.reason !== "image-table" && input.ocr === false) proseUnread.push(p);
      if (mark && input.ocr !== false) {
        // A scan's first page: its title block names the organ and the year.
        const titleLines = p === 1 && mark.reason !== "image-table" ? TITLE_BLOCK_LINES : 0;
        const read = await ocrPdfPage(doc, mark, geometry, { titleLines });
        ocr.push(read.outcome);
        if (read.outcome.status === "failed") warnings.push(`第${p}页OCR失败：${read.outcome.detail}`);
        // What OCR read outside ruled tables is the page's text: beside the text layer when the
        // picture is one part of the page, instead of a garbled text layer.
        if (read.outcome.status !== "failed")
          ocrLines =
            mark.reason === "image-table"
              ? [...toLines(remaining), ...read.lines].sort((a, b) => a.y - b.y)
              : read.lines;
        if (mark.reason !== "image-table" && !read.unruled && read.outcome.status !== "blank")
          proseUnread.push(p);
        for (const g of read.grids) tableTops.push(gridTop(g));
        if (read.grids.length > 0) {
          // A garbled text layer's grids hold mojibake: the picture's reading replaces them.
          if (mark.reason === "garbled-text") grids.splice(grids.length - pageGrids.length, pageGrids.length);
          const prev = grids[grids.length - 1];
          // A table continued from the page before, as with the text layer.
          if (prev && lastTablePage === p - 1) joinSplitRow(prev, read.grids[0]!);
          grids.push(...read.grids.filter((g) => g.rows > 0));
          lastTablePage = p;
          found = tablesIn(grids);
        }
      }
      if (narrative.length > 0) geo.push(null); // the blank line between pages
      narrative.push(pageNarrative(p, ocrLines ?? toLines(remaining), tableTops, geometry.height, geo));
    }

    // Tables without ruling lines: the text backend's anchors over the page text.
    // `found` is what the grids hold: kept up to date whenever grids were added.
    const fromText = textTables(found, narrative, geo);
    const meta = await doc.getMetadata().catch(() => null);
    const info = (meta?.info ?? {}) as Record<string, unknown>;
    const title = typeof info.Title === "string" && info.Title.trim() ? info.Title.trim() : null;
    return {
      grids: [...grids, ...fromText.grids],
      narrative: fromText.narrative,
      title,
      charset: null,
      charsetEvidence: null,
      // The document's own creation date is not a publication date; only the page can say that.
      publishedAt: null,
      warnings,
      needsOcr,
      ocr,
      proseUnread,
      pages: pagesRead,
    };
  } finally {
    await doc.destroy();
  }
}
