/**
 * Text items outside ruled tables → lines of text in reading order. Wide gaps between items on
 * one line become ` | ` so that an unruled table's aligned columns reach the text backend as
 * pipe rows, while prose (narrow gaps) stays prose.
 */
import { type Box, centre, round1, type TextItem } from "./geometry.js";

/** A gap wider than this many font sizes separates table columns. */
const COLUMN_GAP = 1.5;
/** A gap wider than this many font sizes is a space. */
const WORD_GAP = 0.25;

export interface Line {
  y: number;
  text: string;
  /** Bounding box of the whole line. */
  box: Box;
  /** The ` | `-separated parts of the line with their boxes, in order (and OCR's confidence in each). */
  parts: LinePart[];
}

export interface LinePart {
  text: string;
  box: Box;
  /** The lowest confidence of the OCR words in the part; absent for text-layer parts. */
  confidence?: number;
}

function part(text: string, items: TextItem[]): LinePart {
  const read = items.filter((it) => it.confidence !== undefined).map((it) => it.confidence!);
  const box = round1(union(items.map((it) => it.box)));
  return read.length > 0
    ? { text: text.trim(), box, confidence: Math.min(...read) }
    : { text: text.trim(), box };
}

function union(boxes: Box[]): Box {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

/** Items grouped into visual lines (centres within half a font size), top to bottom, each left to right. */
export function groupLines<T extends Pick<TextItem, "box" | "size">>(items: T[]): T[][] {
  const sorted = [...items].sort((a, b) => centre(a.box)[1] - centre(b.box)[1] || a.box[0] - b.box[0]);
  const groups: T[][] = [];
  for (const it of sorted) {
    const group = groups[groups.length - 1];
    const ref = group?.[0];
    if (ref && Math.abs(centre(ref.box)[1] - centre(it.box)[1]) <= Math.min(ref.size, it.size) * 0.5)
      group.push(it);
    else groups.push([it]);
  }
  return groups.map((g) => g.sort((a, b) => a.box[0] - b.box[0]));
}

/** One line's items as text, a space where the gap is wider than a narrow space. */
export function lineText(items: TextItem[]): string {
  let text = "";
  items.forEach((it, i) => {
    const prev = items[i - 1];
    if (prev && it.box[0] - prev.box[2] > Math.max(it.size, prev.size) * WORD_GAP) text += " ";
    text += it.text;
  });
  return text.trim();
}

export function toLines(items: TextItem[]): Line[] {
  const groups = groupLines(items);
  return groups.map((byX) => {
    const parts: LinePart[] = [];
    let text = "";
    let items: TextItem[] = [];
    byX.forEach((it, i) => {
      const prev = byX[i - 1];
      if (prev) {
        const gap = it.box[0] - prev.box[2];
        const size = Math.max(it.size, prev.size);
        if (gap > size * COLUMN_GAP) {
          parts.push(part(text, items));
          text = "";
          items = [];
        } else if (gap > size * WORD_GAP) text += " ";
      }
      text += it.text;
      items.push(it);
    });
    parts.push(part(text, items));
    return {
      y: centre(byX[0]!.box)[1],
      text: parts.map((p) => p.text).join(" | "),
      box: round1(union(byX.map((it) => it.box))),
      parts,
    };
  });
}

/** Page furniture such as `— 3 —`, `- 3 -`, `第 3 页` or `3/12`. */
export function isPageNumber(text: string): boolean {
  return (
    /^[-—–－\s]*\d{1,4}[-—–－\s]*$/.test(text) ||
    /^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$/.test(text) ||
    /^\d+\s*\/\s*\d+$/.test(text)
  );
}
