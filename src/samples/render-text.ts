/**
 * Text renderings of a generated report (UTF-8), imitating the ways real pages reach us as text:
 * HTML tables flattened by archivers, copy-paste from browsers, markdown dumps and PDF text layers.
 */
import {
  type Block,
  deriveSeed,
  documentBlocks,
  expandGrid,
  type GeneratedReport,
  type LayoutCell,
  type LayoutTable,
  mulberry32,
  type Rendered,
} from "./generator.js";

export const TEXT_STYLES = [
  "text-pipe",
  "text-markdown",
  "text-cell-lines",
  "text-tsv",
  "text-aligned",
] as const;
export type TextStyle = (typeof TEXT_STYLES)[number];

const encoder = new TextEncoder();

/**
 * Header words some pages print with spaces inside (cell line breaks turned into spaces), e.g. the seed's
 * `自 然 人` and `尚未 审结`; only the pipe style uses them, as the seed does.
 */
const SPACED: Record<string, string> = {
  自然人: "自 然 人",
  尚未审结: "尚未 审结",
  "三、本年度办理结果": "三、 本年度办理结果",
};

/**
 * The pipe flattening of the seed: each `<td>` becomes `text |`, cells joined by a space, and a row with
 * fewer `<td>`s than the grid is wide gets one bare `|` per missing slot (`行政许可 | 0 | ||`).
 */
function pipeRow(cells: LayoutCell[], width: number, spaced: boolean): string[] {
  const texts = cells.map((c) => `${spaced && c.role !== "value" ? (SPACED[c.text] ?? c.text) : c.text} |`);
  const pad = width - cells.length;
  return pad > 0 ? [...texts, "|".repeat(pad)] : texts;
}

function pipeTable(t: LayoutTable, spaced: boolean): string[] {
  return t.rows.map((row, i) => {
    // The seed leaves the last row of a table unpadded.
    const parts = pipeRow(row, i === t.rows.length - 1 ? row.length : t.width, spaced);
    return parts.join(" ");
  });
}

/** One `<td>` per line (`规章 |`), the padding run on a line of its own, as some archivers print it. */
function cellLinesTable(t: LayoutTable): string[] {
  return t.rows.flatMap((row) => pipeRow(row, t.width, false));
}

function markdownTable(t: LayoutTable): string[] {
  const grid = expandGrid(t);
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  const [head, ...rest] = grid;
  return ["", line(head ?? []), `|${"---|".repeat(t.width)}`, ...rest.map(line), ""];
}

function tsvTable(t: LayoutTable): string[] {
  return expandGrid(t).map((row) => row.join("\t"));
}

/** Display width: CJK and full-width forms take two columns in a monospaced layout. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) > 0x2e7f ? 2 : 1;
  return w;
}

function padEnd(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - displayWidth(s)));
}

/**
 * PDF-text-like layout: spanning group labels on a line of their own, then `label   n   n   n` with the
 * numbers right-aligned in columns separated by at least two spaces.
 */
function alignedTable(t: LayoutTable): string[] {
  const labelWidth = Math.max(
    ...t.rows.map((row) =>
      displayWidth(
        row
          .filter((c) => c.role === "label")
          .map((c) => c.text)
          .join(""),
      ),
    ),
  );
  const out: string[] = [];
  for (const row of t.rows) {
    const values = row.filter((c) => c.role === "value");
    if (values.length === 0) {
      out.push(row.map((c) => c.text).join("  "));
      continue;
    }
    for (const g of row.filter((c) => c.role === "group")) out.push(g.text);
    const label = row
      .filter((c) => c.role === "label")
      .map((c) => c.text)
      .join("");
    const nums = values.map((v) => v.text.padStart(Math.max(6, v.text.length + 2))).join("");
    out.push(label ? padEnd(label, labelWidth) + nums : nums.trimStart());
  }
  return out;
}

interface TextFlavor {
  table: (t: LayoutTable) => string[];
  heading: (s: string) => string;
  title: (s: string) => string;
  /** Blank line between blocks. */
  gap: boolean;
  nfkc: boolean;
}

const FLAVORS: Record<TextStyle, TextFlavor> = {
  // NFKC like the seed, whose text came through a normalising archiver (`(一)`, `:`, `,`).
  "text-pipe": {
    table: (t) => pipeTable(t, true),
    heading: (s) => s,
    title: (s) => s,
    gap: false,
    nfkc: true,
  },
  "text-markdown": {
    table: markdownTable,
    heading: (s) => `## ${s}`,
    title: (s) => `# ${s}`,
    gap: true,
    nfkc: false,
  },
  "text-cell-lines": { table: cellLinesTable, heading: (s) => s, title: (s) => s, gap: false, nfkc: true },
  "text-tsv": { table: tsvTable, heading: (s) => s, title: (s) => s, gap: false, nfkc: false },
  "text-aligned": { table: alignedTable, heading: (s) => s, title: (s) => s, gap: true, nfkc: false },
};

function blockLines(b: Block, f: TextFlavor, indent: string): string[] {
  switch (b.kind) {
    case "title":
      return [f.title(b.text)];
    case "heading":
      return [f.heading(b.text)];
    case "para":
      return [indent + b.text];
    case "table":
      return f.table(b.table);
  }
}

export function renderTextString(r: GeneratedReport, style: TextStyle): string {
  const f = FLAVORS[style];
  const rng = mulberry32(deriveSeed(r.seed, `render-${style}`));
  // Some sites indent paragraphs with two ideographic spaces; an extractor must not care.
  const indent = rng() < 0.4 ? "\u3000\u3000" : "";
  const chunks: string[][] = [];
  for (const [i, b] of documentBlocks(r).entries()) {
    chunks.push(blockLines(b, f, indent));
    if (i === 0) chunks.push([`发布时间: ${r.publishedAt}`]);
  }
  const text = `${chunks.map((c) => c.join("\n")).join(f.gap ? "\n\n" : "\n")}\n`;
  return f.nfkc ? text.normalize("NFKC") : text;
}

export function renderText(r: GeneratedReport, style: TextStyle): Rendered {
  return {
    bytes: encoder.encode(renderTextString(r, style)),
    ext: style === "text-markdown" ? "md" : "txt",
    contentType: "text/plain; charset=utf-8",
  };
}
