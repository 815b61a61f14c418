/**
 * Ruling lines in a binarised page: the skew angle from the projection profile of the ink, then
 * horizontal lines as long runs of ink (short gaps from noise or JPEG bridged, neighbouring rows of
 * one thick or slightly slanted line joined), and vertical lines as runs that are either long or
 * reach from one horizontal rule to another, so the strokes of characters never pass for rules.
 * Output is the PDF backend's segment type, so its lattice builder cuts the cells.
 */
import type { Segment } from "../pdf/geometry.js";

/** Skew of the page in degrees (positive: lines fall to the right), from −max to +max. */
export function estimateSkew(ink: Uint8Array, width: number, height: number, max = 3): number {
  // Sample the ink on a coarse lattice: the profile needs thousands of points, not millions.
  const step = Math.max(1, Math.round(Math.sqrt((width * height) / 400_000)));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y += step)
    for (let x = 0; x < width; x += step) {
      if (ink[y * width + x]) {
        xs.push(x);
        ys.push(y);
      }
    }
  if (xs.length < 100) return 0;
  const binSize = step;
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    const bins = new Map<number, number>();
    for (let i = 0; i < xs.length; i++) {
      const b = Math.round((ys[i]! - xs[i]! * t) / binSize);
      bins.set(b, (bins.get(b) ?? 0) + 1);
    }
    let s = 0;
    for (const v of bins.values()) s += v * v;
    return s;
  };
  let best = 0;
  let bestScore = score(0);
  for (let d = -max; d <= max + 1e-9; d += 0.1) {
    const s = score(d);
    if (s > bestScore) {
      bestScore = s;
      best = d;
    }
  }
  const coarse = best;
  for (let d = coarse - 0.1; d <= coarse + 0.1 + 1e-9; d += 0.02) {
    const s = score(d);
    if (s > bestScore) {
      bestScore = s;
      best = d;
    }
  }
  return Math.round(best * 100) / 100;
}

interface Run {
  at: number;
  from: number;
  to: number;
}

/** Runs of ink along one axis with gaps up to `gap` bridged; `long(i)` reads pixel j of line i. */
function runs(
  lines: number,
  length: number,
  pixel: (line: number, j: number) => number,
  minLen: number,
  gap: number,
): Run[] {
  const out: Run[] = [];
  for (let i = 0; i < lines; i++) {
    let start = -1;
    let last = -1;
    for (let j = 0; j <= length; j++) {
      const on = j < length && pixel(i, j) === 1;
      if (on) {
        if (start < 0) start = j;
        else if (j - last - 1 > gap) {
          if (last - start + 1 >= minLen) out.push({ at: i, from: start, to: last });
          start = j;
        }
        last = j;
      } else if (j === length && start >= 0 && last - start + 1 >= minLen) {
        out.push({ at: i, from: start, to: last });
      }
    }
  }
  return out;
}

/** Joins runs of neighbouring lines that overlap into one segment (a thick or slanted rule). */
function joinRuns(all: Run[], dir: "h" | "v"): Segment[] {
  const open: { sum: number; n: number; last: number; from: number; to: number }[] = [];
  const done: Segment[] = [];
  const close = (o: (typeof open)[number]) => done.push({ dir, at: o.sum / o.n, from: o.from, to: o.to });
  let cursor = -1;
  for (const r of all) {
    if (r.at !== cursor) {
      cursor = r.at;
      for (let k = open.length - 1; k >= 0; k--) {
        if (cursor - open[k]!.last > 2) close(open.splice(k, 1)[0]!);
      }
    }
    const o = open.find((s) => r.at - s.last <= 2 && r.from <= s.to + 3 && r.to >= s.from - 3);
    if (o) {
      o.sum += r.at * (r.to - r.from + 1);
      o.n += r.to - r.from + 1;
      o.last = r.at;
      o.from = Math.min(o.from, r.from);
      o.to = Math.max(o.to, r.to);
    } else
      open.push({
        sum: r.at * (r.to - r.from + 1),
        n: r.to - r.from + 1,
        last: r.at,
        from: r.from,
        to: r.to,
      });
  }
  for (const o of open) close(o);
  return done;
}

export interface Rules {
  h: Segment[];
  v: Segment[];
}

/**
 * Ruling lines in pixel coordinates. Horizontal rules are looked for in the `faint` mask (thin grey rules
 * fade in a scan or JPEG; speckle it lets in never forms long runs), vertical ones in the ordinary ink
 * (the faint mask shows JPEG block edges as straight vertical streaks). `textHeight` (px) is a typical character height: horizontal rules
 * must be longer than a few characters, vertical ones longer than a wrapped label or end on rules.
 */
export function findRules(
  ink: Uint8Array,
  faint: Uint8Array,
  width: number,
  height: number,
  textHeight: number,
): Rules {
  const minH = Math.max(30, Math.round(textHeight * 2.5));
  const h = joinRuns(
    // Gaps are bridged only up to 5 px: more glues the characters of a line into a run.
    runs(height, width, (y, x) => faint[y * width + x]!, minH, 5),
    "h",
  ).filter((s) => s.to - s.from >= minH);
  // A seal's ring (paper after the red is dropped) or a blot cuts a rule into pieces along one
  // line; pieces in line with a short gap between them are one rule again.
  const bridge = Math.max(8, Math.round(textHeight * 0.8));
  const hBridged = bridgeGaps(h, bridge);
  const vRuns = joinRuns(
    runs(width, height, (x, y) => ink[y * width + x]!, Math.max(6, Math.round(textHeight * 0.6)), 3),
    "v",
  );
  // Only pieces longer than any character stroke are bridged: strokes of the characters stacked in
  // a column (the "1." of numbered labels) must not join into a rule.
  const longV = (s: Segment) => s.to - s.from > textHeight * 1.5;
  const vCandidates = [...bridgeGaps(vRuns.filter(longV), bridge), ...vRuns.filter((s) => !longV(s))];
  const nearRule = (x: number, y: number) =>
    hBridged.some((s) => Math.abs(s.at - y) <= 4 && x >= s.from - 4 && x <= s.to + 4);
  const tol = Math.max(5, textHeight * 0.4);
  const spans = (s: Segment) => nearRule(s.at, s.from) && nearRule(s.at, s.to);
  const inkV = vCandidates.filter((s) => s.to - s.from >= textHeight * 4 || spans(s));
  // A thin grey rule can fade out of the ordinary ink after JPEG. In the faint mask only a run from
  // one horizontal rule to the next, taller than a line of text, counts (block edges and the halo
  // of characters do not reach both rules).
  const faintV = joinRuns(
    runs(width, height, (x, y) => faint[y * width + x]!, Math.round(textHeight * 1.2), 2),
    "v",
  ).filter(
    (s) =>
      s.to - s.from >= textHeight * 1.2 &&
      spans(s) &&
      // Only where the ink has no rule: a rule seen in both stays where the ink puts it.
      !inkV.some((o) => Math.abs(o.at - s.at) < tol && o.from < s.to && o.to > s.from),
  );
  const v = [...inkV, ...faintV];
  // A rule runs from one vertical rule to another; a run of text strokes (blurred characters side
  // by side) stops short of them, unless it is as long as no label is.
  const nearVertical = (x: number, y: number) =>
    v.some((s) => Math.abs(s.at - x) <= 6 && y >= s.from - 6 && y <= s.to + 6);
  const ruled = hBridged.filter(
    (s) => s.to - s.from >= width * 0.3 || (nearVertical(s.from, s.at) && nearVertical(s.to, s.at)),
  );
  const hr = mergeClose(ruled, tol);
  const vr = mergeClose(v, tol);
  return { h: hr, v: [...vr, ...openSides(hr, vr, tol)] };
}

/**
 * The missing outer rules of an open-sided table (no left or right border, or a table running off
 * the page): where horizontal rules end at the same x with no vertical rule through their ends,
 * while a vertical rule inside spans the same rows (it is a table, not underlines), a rule is drawn
 * through the ends — from the first to the last of three or more such rules in a row — so the
 * outer column stays a column.
 */
export function openSides(h: Segment[], v: Segment[], tol: number): Segment[] {
  const out: Segment[] = [];
  const spans = (s: Segment, top: number, bottom: number) => s.from <= top + tol && s.to >= bottom - tol;
  for (const side of ["from", "to"] as const) {
    const byEnd = [...h].sort((a, b) => a[side] - b[side]);
    for (let i = 0; i < byEnd.length; ) {
      let j = i;
      while (j + 1 < byEnd.length && byEnd[j + 1]![side] - byEnd[i]![side] <= tol) j++;
      const group = byEnd.slice(i, j + 1).sort((a, b) => a.at - b.at);
      i = j + 1;
      const x = group.reduce((sum, s) => sum + s[side], 0) / group.length;
      let run: Segment[] = [];
      const flush = () => {
        // Drawn at the innermost end, so every rule of the run reaches it.
        const ends = run.map((s) => s[side]);
        if (run.length >= 3)
          out.push({
            dir: "v",
            at: side === "to" ? Math.min(...ends) : Math.max(...ends),
            from: run[0]!.at,
            to: run[run.length - 1]!.at,
          });
        run = [];
      };
      for (let k = 0; k + 1 < group.length; k++) {
        const a = group[k]!;
        const b = group[k + 1]!;
        const closed = v.some((s) => Math.abs(s.at - x) <= tol && spans(s, a.at, b.at));
        const inner = v.some(
          (s) => spans(s, a.at, b.at) && (side === "to" ? s.at < x - tol : s.at > x + tol),
        );
        if (closed || !inner) flush();
        else run.push(...(run.length === 0 ? [a, b] : [b]));
      }
      flush();
    }
  }
  return out;
}

/**
 * Segments on one line (`at` within 2 px) whose ends are at most `gap` apart become one segment.
 * Characters never form runs as long as a rule piece, so only rule pieces are joined.
 */
export function bridgeGaps(segments: Segment[], gap: number): Segment[] {
  const out: Segment[] = [];
  for (const s of [...segments].sort((a, b) => a.from - b.from)) {
    const prev = out.find((o) => Math.abs(o.at - s.at) <= 2 && s.from - o.to <= gap && s.to >= o.from);
    if (!prev) {
      out.push({ ...s });
      continue;
    }
    const wp = prev.to - prev.from;
    const ws = s.to - s.from;
    prev.at = (prev.at * wp + s.at * ws) / Math.max(1, wp + ws);
    prev.to = Math.max(prev.to, s.to);
  }
  return out;
}

/**
 * Parallel rules closer than `tol` that overlap are one rule (a double or blurred border): two
 * would cut a sliver of a column or row that holds nothing, and shift the cells beside it.
 */
export function mergeClose(segments: Segment[], tol: number): Segment[] {
  const out: (Segment & { weight: number })[] = [];
  for (const s of [...segments].sort((a, b) => a.at - b.at)) {
    const near = out.find((o) => Math.abs(o.at - s.at) < tol && s.from <= o.to && s.to >= o.from);
    if (!near) {
      out.push({ ...s, weight: s.to - s.from });
      continue;
    }
    const w = s.to - s.from;
    near.at = (near.at * near.weight + s.at * w) / (near.weight + w);
    near.weight += w;
    near.from = Math.min(near.from, s.from);
    near.to = Math.max(near.to, s.to);
  }
  return out.map(({ weight: _, ...s }) => s);
}
