/**
 * Flattened table text → rows of cell texts. Handles the flattening styles met in the wild:
 * pipe rows (`a | b |||`), markdown (`| a | b |` + `|---|`), one cell per line (`规章 |` / `0 |`),
 * tab-separated rows, numbers aligned by spaces, and cells glued with no separator at all
 * (`…申请数量21710000218二、…`), where a value run is kept whole for the mapper to split.
 */

export interface TextCell {
  text: string;
  line: number;
}
export type TextRow = TextCell[];

const DIGIT = /[0-9０-９]/;
const DASH_CHARS = new Set(["—", "-", "－", "–", "―", "/", "／", "−"]);

function isDigit(c: string | undefined): boolean {
  return c !== undefined && DIGIT.test(c);
}

function isBoundary(c: string | undefined): boolean {
  return c === undefined || /[\s|]/.test(c);
}

/** A dash or slash standing alone between spaces is a printed "not applicable" cell. */
function isStandaloneDash(line: string, i: number): number {
  let j = i;
  while (j < line.length && DASH_CHARS.has(line[j] ?? "")) j++;
  if (j === i || j - i > 3) return 0;
  return isBoundary(line[i - 1]) && isBoundary(line[j]) ? j - i : 0;
}

/** Length of the number token starting at i (digits with inner `.`/`,` and an optional 元/万元), or 0. */
function numberTokenLength(line: string, i: number): number {
  let j = i;
  if ("+-−".includes(line[j] ?? "x") && isDigit(line[j + 1])) j++;
  if (!isDigit(line[j])) return 0;
  while (j < line.length) {
    const c = line[j];
    if (isDigit(c)) j++;
    else if ((c === "." || c === "．" || c === "," || c === "，") && isDigit(line[j + 1])) j++;
    else break;
  }
  if (line.startsWith("万元", j)) j += 2;
  else if (line[j] === "元") j += 1;
  return j - i;
}

interface Segment {
  kind: "text" | "run";
  text: string;
}

/**
 * Splits one line into alternating label text and value runs. A digit directly followed by
 * `.`/`、` and a non-digit is a list number (`2.其他法律…`) and belongs to the next label.
 */
export function segmentLine(line: string): Segment[] {
  const segments: Segment[] = [];
  let textStart = 0;
  let i = 0;
  const pushText = (end: number) => {
    const t = line.slice(textStart, end).trim();
    if (t) segments.push({ kind: "text", text: t });
  };
  while (i < line.length) {
    const tokenLen = numberTokenLength(line, i) || isStandaloneDash(line, i);
    if (!tokenLen) {
      i++;
      continue;
    }
    const runStart = i;
    let end = i + tokenLen;
    for (;;) {
      let k = end;
      while (k < line.length && /[ \t\u3000\u00a0]/.test(line[k] ?? "")) k++;
      const next = numberTokenLength(line, k) || isStandaloneDash(line, k);
      if (!next) break;
      end = k + next;
    }
    let runEnd = end;
    const after = line[end];
    if (
      (after === "." || after === "．" || after === "、") &&
      !isDigit(line[end + 1]) &&
      isDigit(line[end - 1])
    ) {
      runEnd = end - 1; // the last digit numbers the next label
    }
    const run = line.slice(runStart, runEnd).trim();
    if (run) {
      pushText(runStart);
      segments.push({ kind: "run", text: run });
      textStart = runEnd;
    }
    i = end;
  }
  pushText(line.length);
  return segments;
}

/** Rows from a line with no cell delimiters: each label with the value run that follows it. */
function glueRows(line: string, lineNo: number): TextRow[] {
  const rows: TextRow[] = [];
  let current: TextRow | null = null;
  for (const seg of segmentLine(line)) {
    if (seg.kind === "text") {
      current = [{ text: seg.text, line: lineNo }];
      rows.push(current);
    } else if (current && current.length === 1 && !isValueLike(current[0]?.text ?? "")) {
      current.push({ text: seg.text, line: lineNo });
      current = null;
    } else {
      rows.push([{ text: seg.text, line: lineNo }]);
      current = null;
    }
  }
  return rows;
}

function isValueLike(text: string): boolean {
  const t = text.trim();
  return t === "" || /^[-+]?[0-9０-９][0-9０-９.,，．\s]*(万元|元)?$/.test(t) || /^[—\-－–/／无]+$/.test(t);
}

const MD_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

function pipeCells(line: string): string[] {
  const trimmed = line.trim();
  const parts = trimmed.split("|").map((p) => p.trim());
  if (trimmed.startsWith("|")) parts.shift();
  return parts;
}

/** One-cell-per-line text: cells stream in, rows end at pipe-only padding or when a label follows values. */
function streamRows(lines: { text: string; no: number }[]): TextRow[] {
  const rows: TextRow[] = [];
  let row: TextRow = [];
  let seenValue = false;
  const flush = () => {
    if (row.some((c) => c.text !== "")) rows.push(row);
    row = [];
    seenValue = false;
  };
  for (const { text, no } of lines) {
    const t = text.trim();
    if (t === "") continue;
    if (/^\|+$/.test(t)) {
      if (t.length === 1) {
        if (row.length > 0) {
          row.push({ text: "", line: no });
          seenValue = true;
        }
      } else flush();
      continue;
    }
    if (!t.includes("|")) {
      flush();
      for (const r of glueRows(t, no)) rows.push(r);
      continue;
    }
    const cells = pipeCells(t);
    const content = cells.filter((c) => c !== "");
    for (const c of content) {
      const value = isValueLike(c);
      if (!value && seenValue) flush();
      row.push({ text: c, line: no });
      if (value) seenValue = true;
    }
    // `X | |||` — a label followed by colspan padding ends its row.
    if (content.length > 0 && /\|\s*\|\s*\|?\s*$/.test(t) && !content.every(isValueLike)) flush();
  }
  flush();
  return rows;
}

type Style = "pipe-rows" | "pipe-stream" | "tabs" | "plain";

export function detectStyle(lines: string[]): Style {
  const nonEmpty = lines.map((l) => l.trim()).filter((l) => l !== "");
  if (nonEmpty.length === 0) return "plain";
  const piped = nonEmpty.filter((l) => l.includes("|"));
  if (piped.length >= nonEmpty.length * 0.3) {
    const contentful = piped.filter((l) => !/^\|+$/.test(l) && !MD_SEPARATOR.test(l));
    const single = contentful.filter((l) => pipeCells(l).filter((c) => c !== "").length <= 1);
    return contentful.length > 0 && single.length >= contentful.length * 0.8 ? "pipe-stream" : "pipe-rows";
  }
  if (nonEmpty.filter((l) => l.includes("\t")).length >= nonEmpty.length * 0.3) return "tabs";
  return "plain";
}

/** Rows of a table region. `firstLine` is the 1-based line number of the region's first line. */
export function regionRows(region: string, firstLine: number): { rows: TextRow[]; style: Style } {
  const lines = region.split("\n");
  const style = detectStyle(lines);
  if (style === "pipe-stream") {
    return { rows: streamRows(lines.map((text, i) => ({ text, no: firstLine + i }))), style };
  }
  const rows: TextRow[] = [];
  lines.forEach((raw, i) => {
    const no = firstLine + i;
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "" || MD_SEPARATOR.test(line)) return;
    if (line.includes("|")) {
      const cells = pipeCells(line);
      while (cells.length > 0 && cells[0] === "") cells.shift();
      if (cells.some((c) => c !== "")) rows.push(cells.map((text) => ({ text, line: no })));
    } else if (line.includes("\t")) {
      const cells = line.split("\t").map((c) => c.trim());
      while (cells.length > 0 && cells[0] === "") cells.shift();
      if (cells.some((c) => c !== "")) rows.push(cells.map((text) => ({ text, line: no })));
    } else {
      for (const r of glueRows(line, no)) rows.push(r);
    }
  });
  return { rows: joinCellLines(rows), style };
}

/** A number short enough to be one table cell (longer digit runs are glued rows of their own). */
const SINGLE_CELL = /^(?:[-+]?[0-9０-９][0-9０-９.,，．]{0,7}(?:万元|元)?|[—\-－–/／])$/;

/**
 * Cells copied out of a web page one per line, with no delimiter at all (`一、本年新收…` then `8`,
 * `0`, … each on its own line): a line holding a single short number continues the row above it
 * when that row has a label, instead of standing alone as an unlabelled one-value row.
 */
function joinCellLines(rows: TextRow[]): TextRow[] {
  const out: TextRow[] = [];
  for (const row of rows) {
    const prev = out[out.length - 1];
    const single = row.length === 1 && SINGLE_CELL.test(row[0]?.text.trim() ?? "");
    if (
      single &&
      prev &&
      !isValueLike(prev[0]?.text ?? "") &&
      prev.slice(1).every((c) => SINGLE_CELL.test(c.text.trim()))
    ) {
      prev.push(row[0]!);
    } else out.push(row);
  }
  return out;
}
