/**
 * Near-copy detection (spec D.R6): how much of one report's narrative reappears in another.
 * Texts are compared as sets of 8-character shingles after dropping whitespace and punctuation
 * and masking digits, so a report copied with only the year and the figures changed (the 东莞
 * 2010/2008 case, spec §7.8) still scores as a copy.
 */

const SHINGLE = 8;

export function shingles(text: string): Set<string> {
  const norm = text
    .normalize("NFKC")
    .replace(/[\s\p{P}\p{S}]+/gu, "")
    .replace(/\d/g, "0");
  const out = new Set<string>();
  const chars = [...norm];
  for (let i = 0; i + SHINGLE <= chars.length; i++) out.add(chars.slice(i, i + SHINGLE).join(""));
  return out;
}

/** Share of `later`'s shingles also found in `earlier` (0–1); 0 when `later` has none. */
export function containment(later: Set<string>, earlier: Set<string>): number {
  if (later.size === 0) return 0;
  let shared = 0;
  for (const s of later) if (earlier.has(s)) shared++;
  return shared / later.size;
}
