/**
 * HTML made to be printed to PDF (by LibreOffice or Chromium), as a variant of render-html's clean markup.
 * render-html imitates what web pages serve; this module imitates what the PDF attachments look like:
 * A4 pages, a CJK font, ruled (or unruled) tables with the official spans, narrow columns whose header
 * words wrap, landscape table pages, table 三 breaking across a page, table 三 pasted as a picture.
 *
 * Both producers read the same markup, so every visual choice is written twice where LibreOffice's HTML
 * import ignores the CSS: borders as `border="1"` and CSS, column widths as `<col width>` (px) and CSS (mm),
 * alignment as `align=` and CSS. Chromium-only features (named pages, transforms, writing-mode) degrade
 * to plain portrait tables in LibreOffice, so the script never asks LibreOffice for them.
 */
import {
  type Block,
  documentBlocks,
  type GeneratedReport,
  type LayoutCell,
  type LayoutTable,
} from "./generator.js";

export interface PrintStyle {
  /** CSS font-family of the prose and the tables. */
  font: string;
  /** Font of headings (bold sans, as 黑体 in official documents). */
  headingFont: string;
  /** Visible 1px borders on every cell; otherwise no borders at all and numbers right-aligned. */
  ruled: boolean;
  /** Orientation of every page. */
  orientation: "portrait" | "landscape";
  /**
   * Where the tables go: `inline` in the flow; `landscape-pages` on CSS named landscape pages (Chromium);
   * `rotated` drawn turned by -90° on their own portrait pages, to be marked `/Rotate 90` afterwards so
   * they display upright (what some PDF printers make of a landscape section).
   */
  tablePages: "inline" | "landscape-pages" | "rotated";
  /** Fixed narrow value columns (~2 characters), so `商业企业` wraps to `商业` / `企业`. */
  narrow: boolean;
  /**
   * Header rows of tables 三 and 四 in `<thead>`: `repeat` keeps Chromium's table-header-group (repeated
   * on every page), `no-repeat` sets `display: table-row-group`; `none` puts them in `<tbody>`.
   */
  thead: "none" | "repeat" | "no-repeat";
  /** Section 三 starts a new page and gets this many extra paragraphs before its table (0 = none). */
  t3LeadParagraphs: number;
  /** `三、本年度办理结果` written vertically in its spanning cell (writing-mode, Chromium only). */
  verticalGroup: boolean;
  /** Grey background behind header cells, as WPS/Word table styles often have. */
  shadeHeaders: boolean;
  /**
   * Title, headings and table headers in bold. Without it they use the regular face: fewer distinct
   * glyphs to embed (Chromium writes every glyph as a Type 3 procedure, ~0.5 KB each).
   */
  bold: boolean;
  /** Table 三 replaced by this picture (file name or URL) printed at the given width. */
  t3Image?: { src: string; widthMm: number };
  /** Body font size in pt. */
  fontPt: number;
}

export const DEFAULT_PRINT_STYLE: PrintStyle = {
  font: '"Noto Serif CJK SC", serif',
  headingFont: '"Noto Sans CJK SC", sans-serif',
  ruled: true,
  orientation: "portrait",
  tablePages: "inline",
  narrow: false,
  thead: "none",
  t3LeadParagraphs: 0,
  verticalGroup: false,
  shadeHeaders: false,
  bold: true,
  fontPt: 12,
};

/** Page geometry in mm (A4, margins as in official documents: 37/35 mm top/bottom is typical, kept smaller). */
const A4 = { short: 210, long: 297, margin: 20 };
const PX_PER_MM = 96 / 25.4;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// ---------------------------------------------------------------- column widths

/** Relative widths per table (percent of the table width) when columns are not narrow. */
function relativeWidths(t: LayoutTable): number[] {
  if (t.id === "t2") return [34, 22, 22, 22];
  if (t.id === "t3") return [6, 11, 31, ...new Array<number>(7).fill(52 / 7)];
  return new Array<number>(15).fill(100 / 15);
}

/** Absolute widths in mm for the narrow style: value columns about two CJK characters wide. */
function narrowWidthsMm(t: LayoutTable, fontPt: number): number[] | undefined {
  const twoChars = (2 * fontPt * 25.4) / 72 + 2.2; // two ideographs plus cell padding
  if (t.id === "t3") return [9, 20, 48, ...new Array<number>(7).fill(twoChars)];
  if (t.id === "t4") return new Array<number>(15).fill(twoChars);
  return undefined;
}

function colgroup(t: LayoutTable, s: PrintStyle): { html: string; widthAttr: string } {
  const narrow = s.narrow ? narrowWidthsMm(t, s.fontPt) : undefined;
  if (narrow) {
    const cols = narrow.map(
      (mm) => `<col width="${Math.round(mm * PX_PER_MM)}" style="width:${mm.toFixed(1)}mm">`,
    );
    const total = narrow.reduce((a, b) => a + b, 0);
    return {
      html: `<colgroup>${cols.join("")}</colgroup>`,
      widthAttr: ` width="${Math.round(total * PX_PER_MM)}" style="width:${total.toFixed(1)}mm;table-layout:fixed"`,
    };
  }
  const cols = relativeWidths(t).map((p) => `<col width="${p.toFixed(1)}%" style="width:${p.toFixed(1)}%">`);
  return { html: `<colgroup>${cols.join("")}</colgroup>`, widthAttr: ' width="100%" style="width:100%"' };
}

// ---------------------------------------------------------------- cells and tables

const RESULT_GROUP_MIN_ROWS = 10;

const isHead = (c: LayoutCell): boolean => c.role === "header" || c.role === "caption";
const isResultGroup = (c: LayoutCell): boolean => c.role === "group" && c.rowspan >= RESULT_GROUP_MIN_ROWS;

/** Numbers centred in ruled tables (as in real reports), right-aligned without rules so columns show. */
function cellAlign(c: LayoutCell, s: PrintStyle): string {
  if (c.role === "value") return s.ruled ? "center" : "right";
  return c.role === "label" ? "left" : "center";
}

function cellHtml(c: LayoutCell, s: PrintStyle): string {
  const span =
    (c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : "") + (c.colspan > 1 ? ` colspan="${c.colspan}"` : "");
  const align = cellAlign(c, s);
  const styles = [`text-align:${align}`];
  const shaded = s.shadeHeaders && isHead(c);
  if (shaded) styles.push("background:#d9d9d9");
  if (s.verticalGroup && isResultGroup(c)) styles.push("writing-mode:vertical-rl", "letter-spacing:0.3em");
  if (s.bold && isHead(c)) styles.push("font-weight:bold");
  // LibreOffice's HTML import reads the attributes (align, bgcolor), Chromium the CSS.
  const bg = shaded ? ' bgcolor="#d9d9d9"' : "";
  return `<td${span} align="${align}" valign="middle"${bg} style="${styles.join(";")}">${esc(c.text)}</td>`;
}

function rowsHtml(rows: LayoutCell[][], s: PrintStyle): string {
  return rows.map((row) => `<tr>${row.map((c) => cellHtml(c, s)).join("")}</tr>`).join("\n");
}

function tableHtml(t: LayoutTable, s: PrintStyle): string {
  const { html: cols, widthAttr } = colgroup(t, s);
  const border = s.ruled ? ' border="1"' : ' border="0"';
  const open = `<table class="${t.id}"${border} cellspacing="0" cellpadding="2"${widthAttr}>`;
  const useThead = s.thead !== "none" && t.headerRows > 0;
  const head = useThead ? `<thead>\n${rowsHtml(t.rows.slice(0, t.headerRows), s)}\n</thead>\n` : "";
  const body = rowsHtml(useThead ? t.rows.slice(t.headerRows) : t.rows, s);
  return `${open}\n${cols}\n${head}<tbody>\n${body}\n</tbody>\n</table>`;
}

// ---------------------------------------------------------------- table placement

/** A portrait page holding the table turned by -90°: once the page gets /Rotate 90 it reads upright. */
function rotatedTable(inner: string): string {
  const boxW = A4.long - 2 * A4.margin; // the landscape box's width runs down the portrait page
  const boxH = A4.short - 2 * A4.margin;
  return `<div class="rot-page" style="height:${boxW}mm"><div class="rot-box" style="width:${boxW}mm;height:${boxH}mm;transform:translate(0,${boxW}mm) rotate(-90deg)">\n${inner}\n</div></div>`;
}

function t3Picture(img: { src: string; widthMm: number }): string {
  return `<p align="center" style="text-align:center;text-indent:0"><img src="${esc(img.src)}" style="width:${img.widthMm}mm" alt=""></p>`;
}

function placedTable(t: LayoutTable, s: PrintStyle): string {
  const inner = t.id === "t3" && s.t3Image ? t3Picture(s.t3Image) : tableHtml(t, s);
  if (s.tablePages === "rotated") return rotatedTable(inner);
  return inner;
}

// ---------------------------------------------------------------- prose

/** Filler for section 三 in the split style: plausible prose, deterministic, several lines each. */
const T3_LEAD = [
  "本机关严格按照《条例》规定的程序和时限办理政府信息公开申请，建立了申请登记、审核、答复、归档的全流程台账，对每一件申请均明确承办科室和责任人。",
  "对申请内容不明确的，及时一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限；对涉及第三方合法权益的，依法书面征求第三方意见。",
  "在答复环节，坚持“谁制作、谁公开，谁保存、谁公开”的原则，规范答复文书格式，列明法律依据和救济途径，确保答复内容准确、依据充分。",
  "本年度依申请公开工作中，申请内容主要集中在征地拆迁、行政许可、行政执法、财政资金使用等领域，与群众切身利益密切相关的事项占比较高。",
  "对于申请人通过信函、网络平台等不同渠道提交的申请，统一登记、统一编号、统一办理，做到件件有回音、事事有着落。",
  "同时，加强与法律顾问的沟通协作，对复杂疑难申请组织会商研判，防范答复风险，依申请公开工作的规范化水平进一步提高。",
];

function leadParagraphs(n: number): string[] {
  return Array.from({ length: n }, (_, i) => T3_LEAD[i % T3_LEAD.length] ?? "");
}

/** Section 三 of the split style starts a page so that the filler puts table 三 across the page end. */
function startsT3Lead(b: Block, s: PrintStyle): boolean {
  return s.t3LeadParagraphs > 0 && b.kind === "heading" && b.text.startsWith("三、");
}

function blockHtml(b: Block, s: PrintStyle): string {
  if (b.kind === "table") return placedTable(b.table, s);
  if (b.kind === "title") return `<p class="title" align="center">${esc(b.text)}</p>`;
  if (b.kind === "para") return `<p class="para">${esc(b.text)}</p>`;
  if (!startsT3Lead(b, s)) return `<p class="heading">${esc(b.text)}</p>`;
  const lead = leadParagraphs(s.t3LeadParagraphs).map((p) => `\n<p class="para">${esc(p)}</p>`);
  return `<p class="heading" style="page-break-before:always;break-before:page">${esc(b.text)}</p>${lead.join("")}`;
}

/** Sections 二 to 四 (the three tables and their prose) form the landscape part of a mixed document. */
function inLandscapePart(b: Block, inside: boolean): boolean {
  if (b.kind !== "heading") return inside;
  if (b.text.startsWith("二、")) return true;
  return b.text.startsWith("五、") ? false : inside;
}

function bodyHtml(r: GeneratedReport, s: PrintStyle): string {
  const out: string[] = [];
  let inside = false;
  for (const b of documentBlocks(r)) {
    const next: boolean = s.tablePages === "landscape-pages" && inLandscapePart(b, inside);
    if (next !== inside) out.push(next ? '<div class="land">' : "</div>");
    inside = next;
    out.push(blockHtml(b, s));
  }
  if (inside) out.push("</div>");
  return out.join("\n");
}

// ---------------------------------------------------------------- page

function css(s: PrintStyle): string {
  const size = s.orientation === "landscape" ? "A4 landscape" : "A4";
  const cellBorder = s.ruled ? "1px solid #000" : "none";
  const weight = s.bold ? "bold" : "normal";
  const rules = [
    `@page { size: ${size}; margin: ${A4.margin}mm }`,
    `body { font-family: ${s.font}; font-size: ${s.fontPt}pt; line-height: 1.5; margin: 0 }`,
    `p { margin: 0 0 0.4em 0 }`,
    `p.para { text-indent: 2em; text-align: justify }`,
    `p.title { font-family: ${s.headingFont}; font-size: ${s.fontPt + 6}pt; font-weight: ${weight}; text-align: center; margin: 0 0 1em 0 }`,
    `p.heading { font-family: ${s.headingFont}; font-weight: ${weight}; margin: 0.8em 0 0.4em 0 }`,
    `table { border-collapse: collapse; font-size: ${s.fontPt - 1.5}pt; line-height: 1.25; margin: 0.4em 0 0.8em 0 }`,
    `td { border: ${cellBorder}; padding: 1pt 1pt; vertical-align: middle }`,
    // Rows stay whole, but a table may break inside a rowspan group (Chromium keeps a whole `tr` group
    // together when the rule is on `tr` and one cell spans 20 rows).
    `td:not([rowspan]) { page-break-inside: avoid; break-inside: avoid }`,
  ];
  if (s.thead === "no-repeat") rules.push("thead { display: table-row-group }");
  if (s.thead === "repeat") rules.push("thead { display: table-header-group }");
  if (s.tablePages === "landscape-pages") {
    rules.push("@page land { size: A4 landscape; margin: 15mm }", ".land { page: land }");
  }
  if (s.tablePages === "rotated") {
    rules.push(
      ".rot-page { position: relative; break-before: page; break-after: page; page-break-before: always; page-break-after: always }",
      ".rot-box { position: absolute; left: 0; top: 0; transform-origin: 0 0 }",
    );
  }
  return rules.join("\n");
}

function page(title: string, s: PrintStyle, body: string): string {
  return `<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>${esc(title)}</title>\n<style>\n${css(s)}\n</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

/** The whole report as a printable page. */
export function renderPrintHtml(r: GeneratedReport, s: PrintStyle): string {
  return page(r.title, s, bodyHtml(r, s));
}

/** Only table 三, on a white page of a fixed width in CSS px (for a screenshot that becomes a picture). */
export function renderT3Only(r: GeneratedReport, s: PrintStyle, widthPx: number): string {
  const t3 = documentBlocks(r).find(
    (b): b is Extract<Block, { kind: "table" }> => b.kind === "table" && b.table.id === "t3",
  );
  if (!t3) throw new Error("report has no table 三");
  const body = `<div style="width:${widthPx}px;padding:8px;background:#fff">\n${tableHtml(t3.table, s)}\n</div>`;
  return page(r.title, { ...s, orientation: "portrait" }, body);
}

// ---------------------------------------------------------------- OpenDocument (flat XML) for LibreOffice

/*
 * LibreOffice's HTML import lays tables out from their content and ignores <col> widths, so narrow
 * columns and a landscape section (portrait prose, landscape tables: a Word/WPS document with section
 * breaks) are written as a flat ODT instead, where column widths and page styles are exact.
 */

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
].join(" ");

function xmlEsc(s: string): string {
  return esc(s).replace(/"/g, "&quot;");
}

/** Table width in mm for the page the table sits on. */
function odtTableWidthsMm(t: LayoutTable, s: PrintStyle, landscape: boolean): number[] {
  const narrow = s.narrow ? narrowWidthsMm(t, s.fontPt) : undefined;
  if (narrow) return narrow;
  const width = (landscape ? A4.long : A4.short) - 2 * A4.margin;
  return relativeWidths(t).map((p) => (p * width) / 100);
}

function fontDecls(s: PrintStyle): string {
  const faces = [...new Set([firstFamily(s.font), firstFamily(s.headingFont)])];
  return faces.map((f) => `<style:font-face style:name="${f}" svg:font-family="'${f}'"/>`).join("\n");
}

function textProps(font: string, pt: number, bold: boolean): string {
  const weight = bold ? ' fo:font-weight="bold" style:font-weight-asian="bold"' : "";
  return `<style:text-properties style:font-name="${font}" style:font-name-asian="${font}" fo:font-size="${pt}pt" style:font-size-asian="${pt}pt" fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"${weight}/>`;
}

function paraStyle(name: string, master: string | undefined, para: string, text: string): string {
  const m = master ? ` style:master-page-name="${master}"` : "";
  return `<style:style style:name="${name}" style:family="paragraph"${m}><style:paragraph-properties ${para}/>${text}</style:style>`;
}

/** The first family of a CSS font-family list, as ODF names fonts. */
function firstFamily(css: string): string {
  return css.split(",")[0]?.replace(/"/g, "").trim() ?? css;
}

/** Paragraph styles; the title's style names the first page style (`first`). */
function odtParagraphStyles(s: PrintStyle, first: string): string {
  const body = firstFamily(s.font);
  const head = firstFamily(s.headingFont);
  const cellPt = s.fontPt - 1.5;
  const line = 'fo:line-height="150%" fo:margin-bottom="0.1cm"';
  const headP = 'fo:margin-top="0.3cm" fo:margin-bottom="0.15cm"';
  return [
    paraStyle(
      "Ptitle",
      first,
      'fo:text-align="center" fo:margin-bottom="0.5cm"',
      textProps(head, s.fontPt + 6, s.bold),
    ),
    paraStyle(
      "Pbody",
      undefined,
      `fo:text-indent="${(2 * s.fontPt * 25.4) / 72}mm" fo:text-align="justify" ${line}`,
      textProps(body, s.fontPt, false),
    ),
    paraStyle("Phead", undefined, headP, textProps(head, s.fontPt, s.bold)),
    // Page-style switches: a paragraph whose style names a master page starts a new page of that style.
    paraStyle("PheadLand", "Landscape", headP, textProps(head, s.fontPt, s.bold)),
    paraStyle("PheadPort", "Standard", headP, textProps(head, s.fontPt, s.bold)),
    paraStyle("PheadBreak", undefined, `fo:break-before="page" ${headP}`, textProps(head, s.fontPt, s.bold)),
    paraStyle("Pc", undefined, 'fo:text-align="center"', textProps(body, cellPt, false)),
    paraStyle("Pcb", undefined, 'fo:text-align="center"', textProps(body, cellPt, true)),
    paraStyle("Pl", undefined, 'fo:text-align="start"', textProps(body, cellPt, false)),
    paraStyle("Pr", undefined, 'fo:text-align="end"', textProps(body, cellPt, false)),
  ].join("\n");
}

function odtCellStyles(s: PrintStyle): string {
  const border = s.ruled ? "0.5pt solid #000000" : "none";
  const cell = (name: string, extra: string): string =>
    `<style:style style:name="${name}" style:family="table-cell"><style:table-cell-properties fo:border="${border}" fo:padding="0.04cm" style:vertical-align="middle"${extra}/></style:style>`;
  return [
    cell("Cell", ""),
    cell("CellHead", s.shadeHeaders ? ' fo:background-color="#d9d9d9"' : ""),
    cell("CellVert", ' style:writing-mode="tb-rl"'),
  ].join("\n");
}

function odtTableStyles(id: string, widths: number[]): string {
  const total = widths.reduce((a, b) => a + b, 0);
  const cols = widths.map(
    (w, i) =>
      `<style:style style:name="${id}.C${i}" style:family="table-column"><style:table-column-properties style:column-width="${w.toFixed(2)}mm"/></style:style>`,
  );
  return [
    `<style:style style:name="${id}" style:family="table"><style:table-properties style:width="${total.toFixed(2)}mm" table:align="center" fo:margin-top="0.1cm" fo:margin-bottom="0.2cm"/></style:style>`,
    ...cols,
  ].join("\n");
}

function pageLayouts(): string {
  const layout = (name: string, w: number, h: number, orient: string): string =>
    `<style:page-layout style:name="${name}"><style:page-layout-properties fo:page-width="${w}mm" fo:page-height="${h}mm" style:print-orientation="${orient}" fo:margin-top="${A4.margin}mm" fo:margin-bottom="${A4.margin}mm" fo:margin-left="${A4.margin}mm" fo:margin-right="${A4.margin}mm"/></style:page-layout>`;
  return [
    layout("pmPortrait", A4.short, A4.long, "portrait"),
    layout("pmLandscape", A4.long, A4.short, "landscape"),
  ].join("\n");
}

function odtCellStyleName(c: LayoutCell, s: PrintStyle): string {
  if (s.verticalGroup && isResultGroup(c)) return "CellVert";
  return isHead(c) ? "CellHead" : "Cell";
}

function odtParaName(c: LayoutCell, s: PrintStyle): string {
  if (c.role === "value") return s.ruled ? "Pc" : "Pr";
  if (c.role === "label") return "Pl";
  return s.bold && isHead(c) ? "Pcb" : "Pc";
}

/** One ODF row: every grid slot is a cell or a covered cell, so spans are explicit. */
function odtRows(t: LayoutTable, s: PrintStyle): string[] {
  const covered: boolean[][] = t.rows.map(() => new Array<boolean>(t.width).fill(false));
  return t.rows.map((row, ri) => {
    const slots: string[] = new Array<string>(t.width).fill("");
    let col = 0;
    for (const c of row) {
      while (covered[ri]?.[col]) col++;
      for (let dr = 0; dr < c.rowspan; dr++)
        for (let dc = 0; dc < c.colspan; dc++) {
          const line = covered[ri + dr];
          if (line) line[col + dc] = true;
        }
      const spans =
        (c.rowspan > 1 ? ` table:number-rows-spanned="${c.rowspan}"` : "") +
        (c.colspan > 1 ? ` table:number-columns-spanned="${c.colspan}"` : "");
      slots[col] =
        `<table:table-cell table:style-name="${odtCellStyleName(c, s)}"${spans} office:value-type="string"><text:p text:style-name="${odtParaName(c, s)}">${xmlEsc(c.text)}</text:p></table:table-cell>`;
      col += c.colspan;
    }
    const cells = slots.map((x) => x || "<table:covered-table-cell/>");
    return `<table:table-row>${cells.join("")}</table:table-row>`;
  });
}

function odtTable(t: LayoutTable, s: PrintStyle): string {
  const cols = Array.from(
    { length: t.width },
    (_, i) => `<table:table-column table:style-name="${t.id}.C${i}"/>`,
  );
  const rows = odtRows(t, s);
  const n = s.thead !== "none" ? t.headerRows : 0;
  const head =
    n > 0 ? `<table:table-header-rows>${rows.slice(0, n).join("\n")}</table:table-header-rows>\n` : "";
  return `<table:table table:name="${t.id}" table:style-name="${t.id}">\n${cols.join("")}\n${head}${rows.slice(n).join("\n")}\n</table:table>`;
}

function odtHeadingStyle(b: Block, s: PrintStyle): string {
  if (startsT3Lead(b, s)) return "PheadBreak";
  if (s.tablePages !== "landscape-pages" || b.kind !== "heading") return "Phead";
  if (b.text.startsWith("二、")) return "PheadLand";
  return b.text.startsWith("五、") ? "PheadPort" : "Phead";
}

function odtBlock(b: Block, s: PrintStyle): string {
  if (b.kind === "table") return odtTable(b.table, s);
  if (b.kind === "title") return `<text:p text:style-name="Ptitle">${xmlEsc(b.text)}</text:p>`;
  if (b.kind === "para") return `<text:p text:style-name="Pbody">${xmlEsc(b.text)}</text:p>`;
  const lead = startsT3Lead(b, s)
    ? leadParagraphs(s.t3LeadParagraphs).map((p) => `\n<text:p text:style-name="Pbody">${xmlEsc(p)}</text:p>`)
    : [];
  return `<text:p text:style-name="${odtHeadingStyle(b, s)}">${xmlEsc(b.text)}</text:p>${lead.join("")}`;
}

/** The whole report as a flat ODT (`.fodt`) that LibreOffice converts to PDF. */
export function renderFodt(r: GeneratedReport, s: PrintStyle): string {
  const blocks = documentBlocks(r);
  const landscape = s.tablePages === "landscape-pages" || s.orientation === "landscape";
  const tables = blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []));
  const tableStyles = tables.map((t) => odtTableStyles(t.id, odtTableWidthsMm(t, s, landscape)));
  const first = s.orientation === "landscape" ? "Landscape" : "Standard";
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document ${NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><meta:title>${xmlEsc(r.title)}</meta:title></office:meta>
<office:font-face-decls>
${fontDecls(s)}
</office:font-face-decls>
<office:automatic-styles>
${pageLayouts()}
${odtParagraphStyles(s, first)}
${odtCellStyles(s)}
${tableStyles.join("\n")}
</office:automatic-styles>
<office:master-styles>
<style:master-page style:name="Standard" style:page-layout-name="pmPortrait"/>
<style:master-page style:name="Landscape" style:page-layout-name="pmLandscape"/>
</office:master-styles>
<office:body><office:text>
${blocks.map((b) => odtBlock(b, s)).join("\n")}
</office:text></office:body>
</office:document>
`;
}
