/**
 * Recovering cells that were glued together with no separator (`21710000218` = 217|1|0|0|0|0|218).
 * A run is cut into exactly k numbers, each valid for its column (no leading zeros, signs only
 * where a column is signed, decimals only in money), and the cuts are kept only if the row's own
 * equation holds. Spaces that survived in the run are tried as cell boundaries first.
 * Pure functions; no guessing: every admissible split is returned and the caller decides.
 */
import type { ValueKind } from "../model/template.js";

export interface SplitOptions {
  /** Kind of each of the k cells. */
  kinds: ValueKind[];
  /** Row equation over the parsed values; splits failing it are dropped. */
  check?: (values: number[]) => boolean;
  /** Stop after this many admissible splits (the run is then reported as unresolvable). */
  limit?: number;
}

export interface SplitResult {
  /** Each admissible split as k cell texts. */
  splits: string[][];
  /** True when the enumeration stopped at the limit. */
  truncated: boolean;
  /** Whether the surviving spaces were honoured as boundaries. */
  usedSpaces: boolean;
}

const COUNT = /^(?:0|[1-9]\d*)$/;
const SIGNED = /^[-+]?(?:0|[1-9]\d*)$/;
const MONEY = /^(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?$/;

function validPart(part: string, kind: ValueKind): boolean {
  if (kind === "count") return COUNT.test(part);
  if (kind === "signed") return SIGNED.test(part);
  return MONEY.test(part);
}

export function partValue(part: string): number {
  return Number(part.replace(/万元|元$/, ""));
}

function enumerate(
  tokens: string[],
  opts: SplitOptions,
  limit: number,
): { splits: string[][]; truncated: boolean } {
  const k = opts.kinds.length;
  const splits: string[][] = [];
  let truncated = false;
  const parts: string[] = [];
  // Characters left after token t, position p: used to prune when too few cells remain.
  const remainingChars = tokens.map((_, t) => tokens.slice(t).reduce((n, s) => n + s.length, 0));

  const visit = (t: number, p: number) => {
    if (truncated) return;
    if (t === tokens.length) {
      if (parts.length === k) {
        const values = parts.map(partValue);
        if (!opts.check || opts.check(values)) {
          splits.push([...parts]);
          if (splits.length >= limit) truncated = true;
        }
      }
      return;
    }
    const token = tokens[t]!;
    const col = parts.length;
    if (col >= k) return;
    const left = remainingChars[t]! - p;
    if (left < k - col) return; // each remaining cell needs at least one character
    for (let end = p + 1; end <= token.length; end++) {
      const part = token.slice(p, end);
      if (!validPart(part, opts.kinds[col]!)) {
        // A longer part can only become valid for money (`12.` → `12.5`) or signs (`-` → `-3`).
        if (/^[-+]$/.test(part) || /\.$/.test(part)) continue;
        if (part.length > 1 && part.startsWith("0") && !part.startsWith("0.")) break;
        continue;
      }
      parts.push(part);
      if (end === token.length) visit(t + 1, 0);
      else visit(t, end);
      parts.pop();
      if (truncated) return;
    }
  };
  visit(0, 0);
  return { splits, truncated };
}

/** Admissible splits of `run` into `opts.kinds.length` cells. */
export function splitRun(run: string, opts: SplitOptions): SplitResult {
  const limit = opts.limit ?? 2000;
  const clean = run.normalize("NFKC").replace(/,/g, "").trim();
  const tokens = clean.split(/[\s|]+/).filter(Boolean);
  const spaced = enumerate(tokens, opts, limit);
  if (spaced.splits.length > 0 || tokens.length <= 1) return { ...spaced, usedSpaces: tokens.length > 1 };
  // Stray spaces are not always cell boundaries; fall back to ignoring them.
  return { ...enumerate([tokens.join("")], opts, limit), usedSpaces: false };
}

/**
 * Chooses one split per row so that the most table equations hold.
 * Returns, per row, the indices of the splits that take part in some best solution; a row with
 * one index is determined, a row with several is ambiguous where those splits differ.
 */
export function solveRows(
  candidates: number[][][],
  score: (choice: number[][]) => number,
  maxCombinations = 200_000,
): { chosen: number[][]; bestScore: number; exhaustive: boolean } {
  const multi = candidates.map((c, i) => ({ i, n: c.length })).filter((x) => x.n > 1);
  let combos = 1;
  const searched: number[] = [];
  for (const m of multi.sort((a, b) => a.n - b.n)) {
    if (combos * m.n > maxCombinations) break;
    combos *= m.n;
    searched.push(m.i);
  }
  const exhaustive = searched.length === multi.length;
  const pick = candidates.map(() => 0);
  let bestScore = -1;
  let winners: number[][] = [];
  const walk = (d: number) => {
    if (d === searched.length) {
      const choice = candidates.map((c, i) => c[pick[i]!] ?? []);
      const s = score(choice);
      if (s > bestScore) {
        bestScore = s;
        winners = [[...pick]];
      } else if (s === bestScore) winners.push([...pick]);
      return;
    }
    const row = searched[d]!;
    for (let j = 0; j < candidates[row]!.length; j++) {
      pick[row] = j;
      walk(d + 1);
    }
    pick[row] = 0;
  };
  walk(0);
  const chosen = candidates.map((c, i) => {
    if (c.length <= 1) return c.length === 1 ? [0] : [];
    if (!searched.includes(i)) return c.map((_, j) => j);
    return [...new Set(winners.map((w) => w[i]!))];
  });
  return { chosen, bestScore, exhaustive };
}
