/**
 * Ruled tables from line segments (the "lattice" method): segments that touch form a table;
 * their distinct x and y positions cut it into slots; two neighbouring slots belong to one
 * merged cell when no line separates them. Text items then drop into the cell under their centre.
 * Pure: geometry in, grid out.
 */
import type { Grid, GridCell } from "../../model/grid.js";
import { type Box, centre, round1, type Segment, type TextItem } from "./geometry.js";
import { groupLines, lineText } from "./lines.js";

const TOL = 2;

export interface Lattice {
  box: Box;
  xs: number[];
  ys: number[];
  /** Cells as slot ranges. */
  cells: { r0: number; c0: number; r1: number; c1: number }[];
}

/** Joins collinear pieces of the same ruling line (tables are often drawn cell by cell). */
export function mergeSegments(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const dir of ["h", "v"] as const) {
    const sorted = segments.filter((s) => s.dir === dir).sort((a, b) => a.at - b.at || a.from - b.from);
    const lines: Segment[][] = [];
    for (const s of sorted) {
      const line = lines.find((l) => Math.abs(l[0]!.at - s.at) <= TOL);
      if (line) line.push(s);
      else lines.push([s]);
    }
    for (const line of lines) {
      const at = line.reduce((sum, s) => sum + s.at, 0) / line.length;
      const pieces = line.sort((a, b) => a.from - b.from);
      let cur = { dir, at, from: pieces[0]!.from, to: pieces[0]!.to };
      for (const p of pieces.slice(1)) {
        if (p.from <= cur.to + TOL) cur.to = Math.max(cur.to, p.to);
        else {
          out.push(cur);
          cur = { dir, at, from: p.from, to: p.to };
        }
      }
      out.push(cur);
    }
  }
  return out;
}

function touches(h: Segment, v: Segment): boolean {
  return v.at >= h.from - TOL && v.at <= h.to + TOL && h.at >= v.from - TOL && h.at <= v.to + TOL;
}

function cluster(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1]! <= TOL) last.push(v);
    else out.push([v]);
  }
  return out.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
}

function covered(lines: Segment[], at: number, pos: number): boolean {
  return lines.some((l) => Math.abs(l.at - at) <= TOL && l.from - TOL <= pos && l.to + TOL >= pos);
}

/** Tables found among the segments of one page. */
export function findLattices(segments: Segment[]): Lattice[] {
  const merged = mergeSegments(segments);
  const parent = merged.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  merged.forEach((a, i) => {
    if (a.dir !== "h") return;
    merged.forEach((b, j) => {
      if (b.dir === "v" && touches(a, b)) parent[find(i)] = find(j);
    });
  });
  const groups = new Map<number, Segment[]>();
  merged.forEach((s, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), s]);
  });

  const lattices: Lattice[] = [];
  for (const group of groups.values()) {
    const hs = group.filter((s) => s.dir === "h");
    const vs = group.filter((s) => s.dir === "v");
    if (hs.length < 2 || vs.length < 2) continue;
    // At a page break the row cut off may lose its outer border while the column lines still
    // reach the page edge: close the table where the verticals end.
    const top = Math.min(...vs.map((s) => s.from));
    const bottom = Math.max(...vs.map((s) => s.to));
    const hy = hs.map((s) => s.at);
    const xsAll = vs.map((s) => s.at);
    const left = Math.min(...xsAll);
    const right = Math.max(...xsAll);
    if (top < Math.min(...hy) - 3 * TOL) hs.push({ dir: "h", at: top, from: left, to: right });
    if (bottom > Math.max(...hy) + 3 * TOL) hs.push({ dir: "h", at: bottom, from: left, to: right });
    const ys = cluster(hs.map((s) => s.at));
    const xs = cluster(vs.map((s) => s.at));
    if (ys.length < 2 || xs.length < 2) continue;
    const rows = ys.length - 1;
    const cols = xs.length - 1;
    const id = (r: number, c: number) => r * cols + c;
    const up = Array.from({ length: rows * cols }, (_, i) => i);
    const root = (i: number): number => {
      while (up[i] !== i) {
        up[i] = up[up[i]!]!;
        i = up[i]!;
      }
      return i;
    };
    for (let r = 0; r < rows; r++) {
      const ym = (ys[r]! + ys[r + 1]!) / 2;
      for (let c = 0; c < cols; c++) {
        const xm = (xs[c]! + xs[c + 1]!) / 2;
        if (c + 1 < cols && !covered(vs, xs[c + 1]!, ym)) up[root(id(r, c + 1))] = root(id(r, c));
        if (r + 1 < rows && !covered(hs, ys[r + 1]!, xm)) up[root(id(r + 1, c))] = root(id(r, c));
      }
    }
    const spans = new Map<number, { r0: number; c0: number; r1: number; c1: number }>();
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const k = root(id(r, c));
        const s = spans.get(k);
        if (!s) spans.set(k, { r0: r, c0: c, r1: r, c1: c });
        else {
          s.r0 = Math.min(s.r0, r);
          s.c0 = Math.min(s.c0, c);
          s.r1 = Math.max(s.r1, r);
          s.c1 = Math.max(s.c1, c);
        }
      }
    }
    lattices.push({ box: [xs[0]!, ys[0]!, xs[cols]!, ys[rows]!], xs, ys, cells: [...spans.values()] });
  }
  return lattices.sort((a, b) => a.box[1] - b.box[1]);
}

function slotOf(edges: number[], v: number): number {
  for (let i = 0; i < edges.length - 1; i++) if (v >= edges[i]! && v < edges[i + 1]!) return i;
  return -1;
}

export function insideBox(b: Box, x: number, y: number): boolean {
  return x >= b[0] - TOL && x <= b[2] + TOL && y >= b[1] - TOL && y <= b[3] + TOL;
}

/**
 * Some producers emit a whole row of numbers as one text run (`0 0 0 0 0 0 0`) across several
 * cells. Such an item is cut at its spaces and each piece placed by its share of the run's width
 * (glyphs of one run have near-equal advance), so every number lands in its own column.
 */
export function splitAcrossColumns(it: TextItem, xs: number[]): TextItem[] {
  const inside = xs.filter((x) => x > it.box[0] + TOL && x < it.box[2] - TOL);
  if (inside.length === 0 || it.vertical || !/\S\s+\S/.test(it.text)) return [it];
  const chars = [...it.text];
  const unit = (it.box[2] - it.box[0]) / chars.length;
  const pieces: TextItem[] = [];
  let start = -1;
  chars.forEach((ch, i) => {
    const space = /\s/.test(ch);
    if (!space && start < 0) start = i;
    if ((space || i === chars.length - 1) && start >= 0) {
      const end = space ? i : i + 1;
      pieces.push({
        ...it,
        text: chars.slice(start, end).join(""),
        box: [it.box[0] + start * unit, it.box[1], it.box[0] + end * unit, it.box[3]],
      });
      start = -1;
    }
  });
  return pieces;
}

/** Text of a cell's items in reading order: lines top to bottom, joined by spaces. */
export function itemsText(items: TextItem[]): string {
  return groupLines(items).map(lineText).join(" ").trim();
}

/** The lattice as a grid, with the text items under each cell; returns the items it took. */
export function latticeGrid(
  lattice: Lattice,
  items: TextItem[],
  page: number,
  index: number,
): { grid: Grid; taken: Set<TextItem> } {
  const id = `pdf:p${page}:t${index}`;
  const byCell = new Map<string, TextItem[]>();
  const taken = new Set<TextItem>();
  const cellAt = new Map<string, string>();
  for (const c of lattice.cells) {
    for (let r = c.r0; r <= c.r1; r++)
      for (let k = c.c0; k <= c.c1; k++) cellAt.set(`${r},${k}`, `${c.r0},${c.c0}`);
  }
  for (const it of items) {
    const [x, y] = centre(it.box);
    if (!insideBox(lattice.box, x, y)) continue;
    const r = slotOf(lattice.ys, y);
    const c = slotOf(lattice.xs, x);
    if (r < 0 || c < 0) continue;
    taken.add(it);
    for (const piece of splitAcrossColumns(it, lattice.xs)) {
      const pc = slotOf(lattice.xs, centre(piece.box)[0]);
      const key = cellAt.get(`${r},${pc < 0 ? c : pc}`)!;
      byCell.set(key, [...(byCell.get(key) ?? []), piece]);
    }
  }
  const cells: GridCell[] = lattice.cells.map((c) => {
    const box: Box = round1([
      lattice.xs[c.c0]!,
      lattice.ys[c.r0]!,
      lattice.xs[c.c1 + 1]!,
      lattice.ys[c.r1 + 1]!,
    ]);
    return {
      row: c.r0,
      col: c.c0,
      rowSpan: c.r1 - c.r0 + 1,
      colSpan: c.c1 - c.c0 + 1,
      text: itemsText(byCell.get(`${c.r0},${c.c0}`) ?? []),
      loc: { grid: id, row: c.r0, col: c.c0, page, bbox: box },
    };
  });
  return {
    grid: { id, origin: "pdf", rows: lattice.ys.length - 1, cols: lattice.xs.length - 1, cells },
    taken,
  };
}
