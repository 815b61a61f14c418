/**
 * HTML backend: bytes of a report page → positioned table grids + narrative with the tables cut out.
 *
 * One parse per document (cheerio with htmlparser2, see extractHtml), then one explicit-stack walk over
 * the tree that yields grids, narrative and page metadata together. Walks are iterative because Word junk such as thousands of unclosed `<font>` tags can nest
 * deeper than the call stack allows, and bad input must never throw.
 */
import * as cheerio from "cheerio";
import type { CellLocation, Grid, GridCell } from "../model/grid.js";
import { TABLE_SECTIONS } from "../model/template.js";
import { charsetFromContentType, charsetFromMeta, decodeBytes, junkRatio } from "./decode.js";
import { type ExtractedLayout, type ExtractInput, type OcrMark, UnreadableInputError } from "./types.js";

/** domhandler's node types, reached through cheerio's own signature so we need no extra dependency. */
type AnyNode = Exclude<Parameters<typeof cheerio.load>[0], string | Buffer | unknown[]>;
type Element = Extract<AnyNode, { attribs: Record<string, string> }>;

/** Never part of readable text, in cells or narrative. */
const SKIP = new Set([
  "head",
  "title",
  "script",
  "style",
  "noscript",
  "template",
  "xml", // Word's <xml><w:WordDocument>… islands
  "iframe",
  "object",
  "select",
  "textarea",
  "svg",
  "math",
]);

/** Elements that start a new line in the narrative (and a space inside a cell). */
const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "caption",
  "center",
  "dd",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);

/** HTML caps (WHATWG): colspan ≤ 1000, rowspan ≤ 65534. */
const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;
/** No statistics cell is this long; a cell this long is a page body placed in a layout table. */
const LAYOUT_CELL_CHARS = 1000;

const PUBDATE_META = new Set([
  "pubdate",
  "publishdate",
  "firstpublishedtime",
  "article:published_time",
  "publish_date",
]);

export function extractHtml(input: ExtractInput): ExtractedLayout {
  if (input.bytes.length === 0) throw new UnreadableInputError(`${input.locator}: empty input`, "empty");
  const decoded = decodeBytes(input.bytes, { contentType: input.contentType, html: true });
  const layout: ExtractedLayout = {
    grids: [],
    narrative: "",
    title: null,
    charset: decoded.charset,
    charsetEvidence: decoded.evidence,
    publishedAt: null,
    warnings: [],
  };
  const declared = declaredCharsetMismatch(input, decoded.charset, decoded.evidence);
  // A wrong declaration that the fallback decoded cleanly is how many sites are, not a problem with
  // the document: it is recorded as charset evidence, and only lossy decoding is a warning.
  if (declared) layout.charsetEvidence = `${decoded.evidence}; ${declared}`;
  if (decoded.evidence.startsWith("lossy")) {
    layout.warnings.push(`charset: ${decoded.evidence}; text may contain replacement characters`);
  }
  const junk = junkRatio(decoded.text);
  if (junk > 0.1) {
    layout.warnings.push(
      `input does not look like HTML text (${Math.round(junk * 100)}% control or undecodable characters)`,
    );
  }
  try {
    // htmlparser2 rather than parse5: about twice as fast on table-heavy pages and it repairs the usual
    // CMS/Word breakage (implied </td>, </tr>, </p>) the same way; parse5's foster parenting of stray
    // table text is mimicked by tableParts.
    const $ = cheerio.load(decoded.text, { xml: { xmlMode: false } });
    const root = $.root()[0];
    if (!root) throw new Error("parser returned no document");
    const { grids, narrative, tableCount, page } = walkDocument(root);
    layout.title = findTitle(page);
    layout.publishedAt = findPublishedAt(page);
    layout.grids = grids;
    layout.narrative = narrative;
    const pictured = picturedTables($, narrative, grids.length, layout.title);
    if (pictured) layout.needsOcr = [pictured];
    if (grids.length === 0) {
      layout.warnings.push(
        tableCount === 0
          ? "no <table> in HTML page"
          : `no data table in HTML page (${tableCount} <table> elements, all layout or empty)`,
      );
    }
  } catch (err) {
    // The parser is meant to accept anything; if it still fails, report it rather than lose the document.
    layout.warnings.push(`HTML parse failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return layout;
}

/**
 * Report pages whose tables were pasted in as pictures: no data table and images on the page, with
 * the table headings in the text, or a page titled as an annual report that is nothing but its
 * pictures (the whole report scanned into images). Marked for the OCR path with the image
 * addresses, instead of failing as "no tables".
 */
function picturedTables(
  $: cheerio.CheerioAPI,
  narrative: string,
  dataTables: number,
  title: string | null,
): OcrMark | null {
  if (dataTables > 0) return null;
  const headings = TABLE_SECTIONS.some((t) => t.heading.test(narrative));
  const imageStack =
    /(?:政府信息|政务)?公开.{0,8}(?:年度报告|年报)/.test(title ?? "") &&
    narrative.replace(/\s+/g, "").length < 400;
  if (!headings && !imageStack) return null;
  const sources = $("img[src]")
    .map((_, el) => $(el).attr("src") ?? "")
    .get()
    .filter((src) => src && !/logo|icon|banner|ewm|qrcode|gh_|\.gif$/i.test(src));
  if (sources.length === 0) return null;
  return {
    page: 1,
    reason: "image-table",
    images: sources,
    detail: `${headings ? "统计表" : "报告全文"}以图片形式发布（${sources.length}张图片：${sources.slice(0, 5).join("、")}${sources.length > 5 ? "…" : ""}）`,
  };
}

/**
 * A declared charset the bytes contradict (GBK pages labelled utf-8 are common). Decoding already
 * recovered; the warning keeps the page's defect visible in the report.
 */
function declaredCharsetMismatch(input: ExtractInput, used: string, evidence: string): string | null {
  if (evidence === "bom" || evidence === "http-header" || evidence === "meta") return null;
  const header = charsetFromContentType(input.contentType);
  const meta = charsetFromMeta(input.bytes);
  const [charset, where] = header && header !== used ? [header, "HTTP header"] : [meta, "<meta>"];
  if (!charset || charset === used) return null;
  return `charset: ${where} declares ${charset} but the bytes are not valid ${charset}; decoded as ${used}`;
}

// ---------------------------------------------------------------------------------------------------------
// Metadata (collected during the document walk: CSS selectors over the whole tree cost more than the walk)

interface PageMeta {
  /** Lower-cased `name`/`property` → first non-empty `content`. */
  meta: Map<string, string>;
  title: string | null;
  firstHeading: string | null;
}

function recordMeta(el: Element, page: PageMeta): void {
  const name = (el.attribs.name ?? el.attribs.property ?? "").trim().toLowerCase();
  const content = collapse(el.attribs.content ?? "");
  if (name && content && !page.meta.has(name)) page.meta.set(name, content);
}

/** `<head>` holds no narrative; only its `<meta>` and `<title>` matter. */
function scanHead(head: Element, page: PageMeta): void {
  const stack: AnyNode[] = [...head.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isElement(node)) continue;
    if (node.name === "meta") recordMeta(node, page);
    else if (node.name === "title") page.title ??= collapse(textOf(node)) || null;
    else stack.push(...node.children);
  }
}

function findTitle(page: PageMeta): string | null {
  // The CMS ArticleTitle meta is the bare article title; <title> usually appends the site name.
  return page.meta.get("articletitle") ?? page.title ?? page.firstHeading;
}

function findPublishedAt(page: PageMeta): string | null {
  for (const name of PUBDATE_META) {
    const raw = page.meta.get(name);
    const date = raw ? normaliseDate(raw) : null;
    if (date) return date;
  }
  return null;
}

/** `2024-01-15 10:00`, `2024/1/5`, `2024年1月5日`, `20240115` → `YYYY-MM-DD`; anything else → null. */
export function normaliseDate(raw: string): string | null {
  const m =
    /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(raw) ?? /^\s*(\d{4})(\d{2})(\d{2})/.exec(raw);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  // Reject 2024-02-30 and friends instead of letting Date roll them over.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------------------
// Tree helpers

function isElement(node: AnyNode): node is Element {
  return "attribs" in node;
}

function childrenOf(node: AnyNode): AnyNode[] {
  return "children" in node ? node.children : [];
}

/** Both of cheerio's parsers already lower-case HTML tag names. */
function tagName(el: Element): string {
  return el.name;
}

function isHidden(el: Element): boolean {
  const style = el.attribs.style;
  return style !== undefined && /display\s*:\s*none/i.test(style);
}

/** Skipped subtrees: non-text elements and things the reader never sees. */
function isSkipped(el: Element): boolean {
  return SKIP.has(tagName(el)) || isHidden(el);
}

/** Collapse all whitespace (incl. NBSP and U+3000) to single spaces and trim. */
function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------------------
// Tables

interface RawCell {
  text: string;
  rowSpan: number; // 0 = "to the end of the table", resolved at placement
  colSpan: number;
}

type TableVerdict = { kind: "data"; grid: Grid; stray: AnyNode[] } | { kind: "layout" } | { kind: "empty" };

interface TableParts {
  /** The table's own rows: `tr` children of the table or of its thead/tbody/tfoot, never a nested table's. */
  rows: Element[][];
  /**
   * Everything else: `<caption>`, and text or elements misplaced between rows and cells. A browser
   * (and parse5) moves the misplaced content out in front of the table; htmlparser2 leaves it in place,
   * so we hand it back to the narrative.
   */
  stray: AnyNode[];
}

const ROW_GROUPS = new Set(["thead", "tbody", "tfoot"]);

function tableParts(table: Element): TableParts {
  const parts: TableParts = { rows: [], stray: [] };
  const addRow = (tr: Element): void => {
    const cells: Element[] = [];
    for (const c of tr.children) {
      if (isElement(c) && (c.name === "td" || c.name === "th")) cells.push(c);
      else parts.stray.push(c);
    }
    parts.rows.push(cells);
  };
  for (const child of table.children) {
    if (isElement(child) && child.name === "tr") addRow(child);
    else if (isElement(child) && ROW_GROUPS.has(child.name)) {
      for (const tr of child.children) {
        if (isElement(tr) && tr.name === "tr") addRow(tr);
        else parts.stray.push(tr);
      }
    } else parts.stray.push(child);
  }
  return parts;
}

function spanAttr(value: string | undefined, zeroAllowed: boolean, max: number): number {
  // HTML parses the leading digits (`3px` → 3); junk or out of range falls back to 1.
  const n = Number.parseInt(value ?? "", 10);
  if (Number.isNaN(n) || n < 0) return 1;
  if (n === 0) return zeroAllowed ? 0 : 1;
  return Math.min(n, max);
}

/** Flat text of an element (title, heading). */
function textOf(el: Element): string {
  return cellText(el) ?? "";
}

/** Cell text, or null when the cell holds a nested table (so the outer table is a layout wrapper). */
function cellText(cell: Element): string | null {
  const parts: string[] = [];
  // A string on the stack is literal text to emit (the space that closes a block).
  const stack: (AnyNode | string)[] = [...cell.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node === "string") {
      parts.push(node);
      continue;
    }
    if (node.type === "text") {
      parts.push(node.data);
      continue;
    }
    if (!isElement(node)) continue; // comments (incl. Word's <!--[if …]> blocks), directives
    if (isSkipped(node)) continue;
    const name = tagName(node);
    if (name === "table") return null;
    if (name === "br") {
      parts.push(" ");
      continue;
    }
    // A block boundary separates words (`<p>本年新</p><p>制作数量</p>`); push a space on both sides.
    const block = BLOCK.has(name);
    if (block) parts.push(" ");
    const kids = node.children;
    if (block) stack.push(" ");
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return collapse(parts.join(""));
}

/** Decide what a `<table>` is and, for data tables, build its grid with spans expanded. */
function analyseTable(table: Element, id: string): TableVerdict {
  const rows: RawCell[][] = [];
  let anyText = false;
  const { rows: trs, stray } = tableParts(table);
  for (const tds of trs) {
    const row: RawCell[] = [];
    for (const td of tds) {
      const text = cellText(td);
      if (text === null) return { kind: "layout" };
      if (text.length > LAYOUT_CELL_CHARS) return { kind: "layout" };
      if (text) anyText = true;
      row.push({
        text,
        rowSpan: spanAttr(td.attribs.rowspan, true, MAX_ROWSPAN),
        colSpan: spanAttr(td.attribs.colspan, false, MAX_COLSPAN),
      });
    }
    rows.push(row);
  }
  if (!anyText) return { kind: "empty" };
  const grid = placeCells(rows, id);
  // One column cannot pair a label with a value: it is a text box drawn as a table, keep it as prose.
  if (grid.cols <= 1) return { kind: "layout" };
  return { kind: "data", grid, stray };
}

/**
 * The HTML table algorithm: each cell goes to the first column not already covered by a rowspan from
 * above. Rowspans are clamped to the table's last row; all row groups are treated as one sequence, since
 * CMS editors wrap rows in stray `<tbody>`s and the template's rowspans must survive that.
 */
function placeCells(rows: RawCell[][], id: string): Grid {
  const nRows = rows.length;
  const occupied: Uint8Array[] = [];
  const taken = (r: number, c: number): boolean => (occupied[r]?.[c] ?? 0) === 1;
  const mark = (r: number, c: number): void => {
    let line = occupied[r];
    if (!line || c >= line.length) {
      const grown = new Uint8Array(Math.max(16, (c + 1) * 2));
      if (line) grown.set(line);
      occupied[r] = grown;
      line = grown;
    }
    line[c] = 1;
  };
  const cells: GridCell[] = [];
  let cols = 0;
  rows.forEach((row, r) => {
    let c = 0;
    for (const raw of row) {
      while (taken(r, c)) c++;
      const rowSpan = raw.rowSpan === 0 ? nRows - r : Math.min(raw.rowSpan, nRows - r);
      const colSpan = raw.colSpan;
      for (let rr = r; rr < r + rowSpan; rr++) for (let cc = c; cc < c + colSpan; cc++) mark(rr, cc);
      const loc: CellLocation = { grid: id, row: r, col: c };
      cells.push({ row: r, col: c, rowSpan, colSpan, text: raw.text, loc });
      c += colSpan;
      cols = Math.max(cols, c);
    }
  });
  return { id, origin: "html", rows: nRows, cols, cells };
}

// ---------------------------------------------------------------------------------------------------------
// Document walk: narrative + grids in one pass

/** Builds narrative text from inline text and break requests, merging adjacent block boundaries. */
class NarrativeWriter {
  private out: string[] = [];
  private pending = 0; // newlines owed before the next visible text
  private started = false;

  text(data: string): void {
    if (!/\S/.test(data)) {
      // Whitespace between inline elements is a word gap; at a line start it is nothing.
      if (this.pending === 0 && this.started) this.out.push(" ");
      return;
    }
    if (this.started && this.pending > 0) this.out.push("\n".repeat(Math.min(this.pending, 2)));
    this.pending = 0;
    this.started = true;
    // Source newlines inside a text node are plain whitespace in HTML, not line breaks.
    this.out.push(data.replace(/\s+/g, " "));
  }

  /** A block boundary: at least one line break, never stacking with its neighbours. */
  block(): void {
    this.pending = Math.max(this.pending, 1);
  }

  /** `<br>`: each one is a line break of its own, so `<br><br>` leaves a blank line. */
  lineBreak(): void {
    this.pending += 1;
  }

  /** A removed data table: a blank line. */
  gap(): void {
    this.pending = Math.max(this.pending, 2);
  }

  finish(): string {
    return this.out
      .join("")
      .split("\n")
      .map((line) => line.replace(/\s+/g, " ").trim())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  }
}

/** Enter a node; leave a block element (line break); or end a removed data table (blank line). */
type Frame = { node: AnyNode; exit: false } | { node: Element; exit: true } | "table-end";

interface WalkResult {
  grids: Grid[];
  narrative: string;
  tableCount: number;
  page: PageMeta;
}

function walkDocument(root: AnyNode): WalkResult {
  const page: PageMeta = { meta: new Map(), title: null, firstHeading: null };
  const grids: Grid[] = [];
  const writer = new NarrativeWriter();
  let tableCount = 0;
  const stack: Frame[] = [{ node: root, exit: false }];
  const pushChildren = (node: AnyNode): void => {
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, exit: false });
  };
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame === "table-end") {
      writer.gap();
      continue;
    }
    if (frame.exit) {
      writer.block();
      continue;
    }
    const node = frame.node;
    if (node.type === "text") {
      writer.text(node.data);
      continue;
    }
    if (!isElement(node)) {
      pushChildren(node); // document root, CDATA; comments have no children
      continue;
    }
    const name = tagName(node);
    // Metadata first: CMS templates also put <meta> and <title> in the body.
    if (name === "head") scanHead(node, page);
    else if (name === "meta") recordMeta(node, page);
    else if (name === "title") page.title ??= collapse(textOf(node)) || null;
    else if ((name === "h1" || name === "h2") && page.firstHeading === null) {
      page.firstHeading = collapse(textOf(node)) || null;
    }
    if (isSkipped(node)) continue;
    if (name === "br") {
      writer.lineBreak();
      continue;
    }
    if (name === "table") {
      // Ids follow the page's own `<table>` order (1-based, like XPath `(//table)[n]`), so an id can be
      // traced back to the page even when wrappers and empty tables are not emitted. Tables inside
      // skipped subtrees (hidden, <noscript>) are never met and so not counted.
      tableCount++;
      const verdict = analyseTable(node, `html:table[${tableCount}]`);
      if (verdict.kind === "data") {
        grids.push(verdict.grid);
        // Caption and misplaced text read before the table, as a browser shows them.
        writer.block();
        stack.push("table-end");
        for (let i = verdict.stray.length - 1; i >= 0; i--)
          stack.push({ node: verdict.stray[i]!, exit: false });
        continue;
      }
      // Layout wrappers (and empty tables) read as ordinary blocks; inner tables are met on the way down.
    }
    if (BLOCK.has(name)) {
      writer.block();
      stack.push({ node, exit: true });
    }
    pushChildren(node);
  }
  return { grids, narrative: writer.finish(), tableCount, page };
}
