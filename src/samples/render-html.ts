/**
 * HTML renderings of a generated report, imitating what government sites serve: clean CMS markup,
 * Word "save as web page" exports in GB2312, old GBK pages without any charset declaration, tables split
 * in two, tables buried in layout tables, and zero cells left blank or dashed.
 */

import { encodeGbk } from "./gbk.js";
import {
  type Block,
  deriveSeed,
  documentBlocks,
  type GeneratedReport,
  type LayoutCell,
  type LayoutTable,
  mulberry32,
  type Rendered,
  type Rng,
} from "./generator.js";

export { encodeGbk };

export const HTML_STYLES = [
  "html-clean",
  "html-word-gbk",
  "html-gbk-nodecl",
  "html-split-t3",
  "html-nested",
  "html-blanks",
] as const;
export type HtmlStyle = (typeof HTML_STYLES)[number];

// ---------------------------------------------------------------- markup helpers

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

interface Markup {
  /** Attributes for rowspan/colspan (quoted or IE-style unquoted). */
  span: (c: LayoutCell) => string;
  td: (c: LayoutCell, inner: string) => string;
  tableOpen: string;
  cellText: (c: LayoutCell) => string;
  para: (text: string) => string;
  heading: (text: string) => string;
  title: (text: string) => string;
}

const quotedSpan = (c: LayoutCell): string =>
  (c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : "") + (c.colspan > 1 ? ` colspan="${c.colspan}"` : "");

function tableHtml(t: LayoutTable, m: Markup, rows: LayoutCell[][] = t.rows): string {
  const trs = rows.map((row) => `<tr>${row.map((c) => m.td(c, m.cellText(c))).join("")}</tr>`);
  return `${m.tableOpen}\n<tbody>\n${trs.join("\n")}\n</tbody>\n</table>`;
}

function blockHtml(b: Block, m: Markup, table: (t: LayoutTable) => string): string {
  if (b.kind === "table") return table(b.table);
  if (b.kind === "title") return m.title(b.text);
  return b.kind === "heading" ? m.heading(b.text) : m.para(b.text);
}

function bodyHtml(blocks: Block[], m: Markup, table: (t: LayoutTable) => string): string {
  return blocks.map((b) => blockHtml(b, m, table)).join("\n");
}

function head(r: GeneratedReport, charsetMeta: string, extra = ""): string {
  return `<head>\n${charsetMeta}<title>${esc(r.title)}</title>\n<meta name="PubDate" content="${r.publishedAt}">\n${extra}</head>`;
}

// ---------------------------------------------------------------- clean CMS markup

const CLEAN: Markup = {
  span: quotedSpan,
  td: (c, inner) => `<td${quotedSpan(c)}>${inner}</td>`,
  tableOpen: '<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">',
  cellText: (c) => esc(c.text),
  para: (t) => `<p>${esc(t)}</p>`,
  heading: (t) => `<h3>${esc(t)}</h3>`,
  title: (t) => `<h1>${esc(t)}</h1>`,
};

function cleanPage(r: GeneratedReport, body: string): string {
  return `<!DOCTYPE html>\n<html lang="zh-CN">\n${head(r, '<meta charset="utf-8">\n')}\n<body>\n<div class="article">\n${body}\n</div>\n</body>\n</html>\n`;
}

function renderClean(r: GeneratedReport): string {
  return cleanPage(
    r,
    bodyHtml(documentBlocks(r), CLEAN, (t) => tableHtml(t, CLEAN)),
  );
}

// ---------------------------------------------------------------- Word export (GB2312)

/** Labels Word wraps inside narrow cells; the export keeps the break as `<br>`. */
const WORD_BREAKS: Record<string, string> = {
  本年新制作数量: "本年新<br>制作数量",
  本年新公开数量: "本年新<br>公开数量",
  本年制发件数: "本年制发<br>件数",
  商业企业: "商业<br>企业",
  科研机构: "科研<br>机构",
  社会公益组织: "社会<br>公益<br>组织",
  法律服务机构: "法律<br>服务<br>机构",
  尚未审结: "尚未<br>审结",
};

/** Word puts every run of ASCII (digits included) into `<span lang=EN-US>`. */
function wordRuns(text: string): string {
  return text.replace(/[\x20-\x7e]+/g, (run) => `<span lang=EN-US>${run}</span>`);
}

const WORD: Markup = {
  span: (c) =>
    (c.rowspan > 1 ? ` rowspan=${c.rowspan}` : "") + (c.colspan > 1 ? ` colspan=${c.colspan}` : ""),
  td: (c, inner) =>
    `<td${WORD.span(c)} valign=top><p class=MsoNormal align=center>${inner}<o:p></o:p></p></td>`,
  tableOpen:
    "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse'>",
  cellText: (c) => {
    if (c.text === "") return "<span lang=EN-US>&nbsp;</span>";
    const broken = WORD_BREAKS[c.text];
    return broken ?? wordRuns(esc(c.text));
  },
  para: (t) =>
    `<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>${wordRuns(esc(t))}</span><span lang=EN-US><o:p></o:p></span></p>`,
  heading: (t) =>
    `<p class=MsoNormal><b><span style='font-family:黑体'>${esc(t)}</span></b><span lang=EN-US><o:p></o:p></span></p>`,
  title: (t) =>
    `<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>${wordRuns(esc(t))}</span></b></p>\n<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>`,
};

function renderWord(r: GeneratedReport): string {
  const body = bodyHtml(documentBlocks(r), WORD, (t) => tableHtml(t, WORD));
  const meta =
    '<meta http-equiv=Content-Type content="text/html; charset=gb2312">\n<meta name=ProgId content=Word.Document>\n<meta name=Generator content="Microsoft Word 15">\n';
  return `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\n${head(r, meta, "<style>\np.MsoNormal{margin:0cm;font-size:10.5pt;font-family:等线}\n</style>\n")}\n<body lang=ZH-CN style='text-justify-trim:punctuation'>\n<div class=WordSection1>\n${body}\n</div>\n</body>\n</html>\n`;
}

// ---------------------------------------------------------------- old GBK page without a declaration

/** IE-era markup (uppercase tags, `rowSpan=3`), served as GBK with no charset anywhere. */
const LEGACY: Markup = {
  span: (c) =>
    (c.rowspan > 1 ? ` rowSpan=${c.rowspan}` : "") + (c.colspan > 1 ? ` colSpan=${c.colspan}` : ""),
  td: (c, inner) => `<TD${LEGACY.span(c)} align=center>${inner}</TD>`,
  tableOpen: '<TABLE cellSpacing=0 cellPadding=0 width="100%" border=1>',
  cellText: (c) => esc(c.text),
  para: (t) => `<P>${esc(t)}</P>`,
  heading: (t) => `<P><STRONG>${esc(t)}</STRONG></P>`,
  title: (t) => `<P align=center><FONT size=4><STRONG>${esc(t)}</STRONG></FONT></P>`,
};

function legacyTable(t: LayoutTable): string {
  return tableHtml(t, LEGACY)
    .replace(/<tr>/g, "<TR>")
    .replace(/<\/tr>/g, "</TR>")
    .replace(/tbody>/g, "TBODY>");
}

function renderLegacy(r: GeneratedReport): string {
  const body = bodyHtml(documentBlocks(r), LEGACY, legacyTable);
  return `<HTML>\n${head(r, "")}\n<BODY>\n<DIV id=zoom>\n${body}\n</DIV>\n</BODY>\n</HTML>\n`;
}

// ---------------------------------------------------------------- table 三 split in two

/**
 * Split rows at `at`: spans crossing the cut are shortened, and the second part starts with empty
 * continuation cells in their columns so the grid stays aligned (what page-split tables look like).
 */
export function splitRows(t: LayoutTable, at: number): [LayoutCell[][], LayoutCell[][]] {
  const first = t.rows.slice(0, at).map((row) => row.map((c) => ({ ...c })));
  const second = t.rows.slice(at).map((row) => row.map((c) => ({ ...c })));
  const carried: { col: number; cell: LayoutCell }[] = [];
  const occupied: number[] = new Array<number>(t.width).fill(0); // rows still covered, per column
  first.forEach((row, ri) => {
    let col = 0;
    for (const c of row) {
      while ((occupied[col] ?? 0) > 0) col++;
      const remaining = c.rowspan - (at - ri);
      if (remaining > 0) {
        c.rowspan = at - ri;
        carried.push({ col, cell: { text: "", role: c.role, rowspan: remaining, colspan: c.colspan } });
      }
      for (let k = 0; k < c.colspan; k++) occupied[col + k] = c.rowspan;
      col += c.colspan;
    }
    for (let k = 0; k < occupied.length; k++) occupied[k] = Math.max(0, (occupied[k] ?? 0) - 1);
  });
  // Continuation cells are the leading (group) columns, so they go first, in column order.
  carried.sort((a, b) => a.col - b.col);
  const [top, ...rest] = second;
  return [first, [[...carried.map((x) => x.cell), ...(top ?? [])], ...rest]];
}

function splitT3(t: LayoutTable, rng: Rng): string {
  if (t.id !== "t3") return tableHtml(t, CLEAN);
  // Cut somewhere inside 三、本年度办理结果 (data rows start after the 3 header rows).
  const at = t.headerRows + 2 + Math.floor(rng() * (t.rows.length - t.headerRows - 5));
  const [a, b] = splitRows(t, at);
  const repeatHeader = rng() < 0.5 ? t.rows.slice(0, t.headerRows) : [];
  return `${tableHtml(t, CLEAN, a)}\n<p>&nbsp;</p>\n${tableHtml(t, CLEAN, [...repeatHeader, ...b])}`;
}

function renderSplit(r: GeneratedReport): string {
  const rng = mulberry32(deriveSeed(r.seed, "render-split"));
  return cleanPage(
    r,
    bodyHtml(documentBlocks(r), CLEAN, (t) => splitT3(t, rng)),
  );
}

// ---------------------------------------------------------------- nested layout tables

function renderNested(r: GeneratedReport): string {
  const body = bodyHtml(documentBlocks(r), CLEAN, (t) => tableHtml(t, CLEAN));
  const nav = "<ul><li>首页</li><li>政务公开</li><li>政府信息公开年报</li></ul>";
  return `<!DOCTYPE html>\n<html>\n${head(r, '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n')}\n<body>\n<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td width="200" valign="top">${nav}</td>\n<td valign="top"><table width="100%" border="0"><tr><td class="pos">当前位置：首页 &gt; 政务公开 &gt; 年度报告</td></tr>\n<tr><td class="content">\n${body}\n</td></tr></table></td></tr></table>\n</body>\n</html>\n`;
}

// ---------------------------------------------------------------- blanks and dashes

/** Like clean markup; blank cells alternate between `<td></td>` and `<td>&nbsp;</td>` as CMS editors leave them. */
function renderBlanks(r: GeneratedReport): string {
  let n = 0;
  const m: Markup = {
    ...CLEAN,
    cellText: (c) => (c.text === "" && c.role === "value" ? (n++ % 2 ? "&nbsp;" : "") : esc(c.text)),
  };
  return cleanPage(
    r,
    bodyHtml(documentBlocks(r), m, (t) => tableHtml(t, m)),
  );
}

// ---------------------------------------------------------------- entry points

const PAGES: Record<HtmlStyle, { page: (r: GeneratedReport) => string; gbk: boolean; contentType: string }> =
  {
    "html-clean": { page: renderClean, gbk: false, contentType: "text/html; charset=utf-8" },
    "html-word-gbk": { page: renderWord, gbk: true, contentType: "text/html" },
    "html-gbk-nodecl": { page: renderLegacy, gbk: true, contentType: "text/html" },
    "html-split-t3": { page: renderSplit, gbk: false, contentType: "text/html; charset=utf-8" },
    "html-nested": { page: renderNested, gbk: false, contentType: "text/html" },
    "html-blanks": { page: renderBlanks, gbk: false, contentType: "text/html; charset=utf-8" },
  };

/** The page as a string, before encoding (GBK styles are encoded from exactly this text). */
export function renderHtmlString(r: GeneratedReport, style: HtmlStyle): string {
  return PAGES[style].page(r);
}

export function renderHtml(r: GeneratedReport, style: HtmlStyle): Rendered {
  const p = PAGES[style];
  const html = p.page(r);
  return {
    bytes: p.gbk ? encodeGbk(html) : new TextEncoder().encode(html),
    ext: "html",
    contentType: p.contentType,
  };
}
