/**
 * Label correction against the template's own wording. The report tables print a fixed set of
 * labels; a label read with one or two wrong characters (`湖章` for `规章`) is put back to the one
 * template label it is clearly closest to. Only labels, never numbers, and only when one label is
 * close and no other is nearly as close — otherwise the reading stays as it was.
 */
import { normalizeLabel } from "../../model/normalize.js";
import { T2_V2019, T2_V2021, T3_ALL_ROWS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS } from "../../model/template.js";

const HEADERS = [
  "申请人情况",
  "法人或其他组织",
  "信息内容",
  "三、本年度办理结果",
  "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
  "行政诉讼",
  "本年新收、办理政府信息公开申请数量",
];

function lexicon(): string[] {
  const out = new Set<string>(HEADERS);
  for (const r of T3_ALL_ROWS) {
    out.add(r.label);
    if (r.group) out.add(r.group);
  }
  for (const c of [...T3_COLUMNS, ...T4_COLUMNS]) out.add(c.label);
  for (const g of T4_GROUPS) out.add(g.label);
  for (const b of [...T2_V2021, ...T2_V2019]) {
    out.add(b.caption);
    for (const c of b.columns) out.add(c.label);
    for (const r of b.rows) out.add(r.label);
  }
  return [...out];
}

let words: { text: string; norm: string }[] | null = null;

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Is `norm` (normalised) exactly a word of the template? */
export function isTemplateWord(norm: string): boolean {
  if (!words) words = lexicon().map((t) => ({ text: t, norm: normalizeLabel(t) }));
  return words.some((w) => w.norm === norm);
}

/** The template label `text` was meant to be, or `text` itself when none is clearly meant. */
export function snapLabel(text: string): string {
  if (!words) words = lexicon().map((t) => ({ text: t, norm: normalizeLabel(t) }));
  const norm = normalizeLabel(text);
  if (norm.length === 0) return text;
  let best: { text: string; d: number } | null = null;
  let second = Number.POSITIVE_INFINITY;
  for (const w of words) {
    if (Math.abs(w.norm.length - norm.length) > Math.max(2, norm.length * 0.3)) continue;
    const d = editDistance(norm, w.norm);
    if (!best || d < best.d) {
      second = best?.d ?? second;
      best = { text: w.text, d };
    } else if (d < second) second = d;
  }
  if (!best || best.d === 0) return text;
  const allowed = Math.max(1, Math.floor(best.text.length * 0.25));
  return best.d <= allowed && second > best.d ? best.text : text;
}
