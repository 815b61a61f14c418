/**
 * Tolerant label matching. A row's own label is the text nearest its numbers: in a rowspan
 * layout the group label sits to the left, and in glued text headers and group labels come
 * before it in the same string. So cells are tried right to left, and inside a cell the keyword
 * that ends latest wins.
 */
import { normalizeLabel } from "../model/normalize.js";
import type { RowDef } from "../model/template.js";

const keywordCache = new WeakMap<RowDef, string[]>();

function keywordsOf(row: RowDef): string[] {
  let k = keywordCache.get(row);
  if (!k) {
    k = row.keywords.map(normalizeLabel);
    keywordCache.set(row, k);
  }
  return k;
}

export interface LabelMatch<R extends RowDef = RowDef> {
  row: R;
  /** Index of the label cell that matched (counted from the left). */
  cell: number;
  keyword: string;
}

/** Best matching row for the label cells of one grid row, or null. */
export function matchRowLabel<R extends RowDef>(labels: string[], rows: R[]): LabelMatch<R> | null {
  for (let c = labels.length - 1; c >= 0; c--) {
    const text = normalizeLabel(labels[c] ?? "");
    if (!text) continue;
    let best: { row: R; end: number; len: number; keyword: string } | null = null;
    for (const row of rows) {
      if (row.exclude?.some((x) => text.includes(normalizeLabel(x)))) continue;
      for (const kw of keywordsOf(row)) {
        const at = text.lastIndexOf(kw);
        if (at < 0) continue;
        const end = at + kw.length;
        if (!best || end > best.end || (end === best.end && kw.length > best.len)) {
          best = { row, end, len: kw.length, keyword: kw };
        }
      }
    }
    if (best) return { row: best.row, cell: c, keyword: best.keyword };
  }
  return null;
}

/** Caption block key (`art20_5`) named in a label, e.g. `第二十条第（五）项`. */
export function captionBlock(label: string): string | null {
  const m = /第二十条第\(([一二三四五六七八九十]+)\)项/.exec(normalizeLabel(label));
  if (!m) return null;
  const n = "一二三四五六七八九".indexOf(m[1] ?? "") + 1;
  return n > 0 ? `art20_${n}` : null;
}
