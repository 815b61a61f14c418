/**
 * Text items outside ruled tables → lines of text in reading order. Wide gaps between items on
 * one line become ` | ` so that an unruled table's aligned columns reach the text backend as
 * pipe rows, while prose (narrow gaps) stays prose.
 */
import { centre, type TextItem } from "./geometry.js";

/** A gap wider than this many font sizes separates table columns. */
const COLUMN_GAP = 1.5;
/** A gap wider than this many font sizes is a space. */
const WORD_GAP = 0.25;

export interface Line {
  y: number;
  text: string;
}

export function toLines(items: TextItem[]): Line[] {
  const sorted = [...items].sort((a, b) => centre(a.box)[1] - centre(b.box)[1] || a.box[0] - b.box[0]);
  const groups: TextItem[][] = [];
  for (const it of sorted) {
    const group = groups[groups.length - 1];
    const ref = group?.[0];
    if (ref && Math.abs(centre(ref.box)[1] - centre(it.box)[1]) <= Math.min(ref.size, it.size) * 0.5)
      group.push(it);
    else groups.push([it]);
  }
  return groups.map((g) => {
    const byX = g.sort((a, b) => a.box[0] - b.box[0]);
    let text = "";
    byX.forEach((it, i) => {
      const prev = byX[i - 1];
      if (prev) {
        const gap = it.box[0] - prev.box[2];
        const size = Math.max(it.size, prev.size);
        if (gap > size * COLUMN_GAP) text += " | ";
        else if (gap > size * WORD_GAP) text += " ";
      }
      text += it.text;
    });
    return { y: centre(byX[0]!.box)[1], text: text.trim() };
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
