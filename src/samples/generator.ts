/**
 * Deterministic generator of synthetic annual reports (政府信息公开工作年度报告) with their ground truth.
 * Pure functions only; `scripts/generate-samples.ts` writes files, the benchmark calls `generateCorpus`.
 *
 * Determinism: every random choice comes from a seeded mulberry32 stream. Independent concerns (numbers,
 * injections, blanks, prose, renderer variation) use separate streams derived from the seed, so injecting a
 * defect or blanking zeros never changes the other numbers of the same seed.
 *
 * Convention for expected findings (`{rule, path, cells}`, same shape as the real truth files):
 *   - `path` is the cell on the left-hand side of the equation as spec §6 writes it:
 *       T3.R1     t3.new_requests.<col>       new_requests + carried_over = results_total + carried_forward
 *       T3.R2     t3.results_total.<col>      results_total = Σ result rows
 *       T3.R3     t3.<row>.total              total = Σ six applicant columns
 *       T4.R1     t4.<group>.total            total = upheld + corrected + other + pending
 *       T2.W1     t2.<row>.issued             issued ≤ in_force + repealed (v2021)
 *       T2v19.W1  t2.<row>.newly_published    newly_published ≤ total_published (v2019; checked, never injected)
 *   - `cells` lists every cell of the equation in the order the equation reads (for R2: the result rows,
 *     then results_total, as the pingtan-2020 truth does).
 *   - `expected_findings` is computed from the final cells by `consistencyFindings`, so it lists every
 *     broken instance. A single changed cell always sits in two equations (its row's R3 and its column's
 *     R1 or R2), so no injection can break exactly one instance; each injection is designed to break as few
 *     as possible and the list says exactly which:
 *       T3.R1  carried_over or carried_forward changed by k in one applicant column and in `total`
 *              → T3.R1 in that column and in `total` (R3 still holds for the row).
 *       T3.R2  one result row changed by k in one applicant column and in `total`
 *              → T3.R2 in that column and in `total` (like the real pingtan-2020 defect).
 *       T3.R3  one row's `total` printed off by k → T3.R3 for the row, plus R1 or R2 in the `total` column.
 *       T4.R1  one group total off by k → T4.R1 for that group only.
 *       T2.W1  (v2021) `issued` raised above in_force + repealed → T2.W1 for that row only.
 */
import {
  type RowDef,
  SECTIONS,
  type SectionKey,
  T3_APPLICANT_COLUMNS,
  T3_COLUMN_KEYS,
  T3_COLUMNS,
  T3_ROWS_V2019,
  T3_ROWS_V2021,
  T4_COLUMNS,
  T4_GROUPS,
  T4_PATHS,
  type TemplateId,
  t2Blocks,
  t2Paths,
  t3Paths,
  t3ResultRows,
} from "../model/template.js";
import { HTML_STYLES, type HtmlStyle, renderHtml } from "./render-html.js";
import { renderText, TEXT_STYLES, type TextStyle } from "./render-text.js";

// ---------------------------------------------------------------- PRNG

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for test data; returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for an independent stream (salted so streams of one report never overlap). */
export function deriveSeed(seed: number, salt: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < salt.length; i++) {
    h = Math.imul(h ^ salt.charCodeAt(i), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
  }
  return Math.imul(h ^ (h >>> 16), 0xc2b2ae35) >>> 0;
}

export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function pick<T>(rng: Rng, xs: readonly T[]): T {
  const x = xs[Math.floor(rng() * xs.length)];
  if (x === undefined) throw new Error("pick from an empty list");
  return x;
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

/** Log-uniform integer: real counts span orders of magnitude (3 licences or 9487). */
function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.round(Math.exp(Math.log(lo) + rng() * (Math.log(hi) - Math.log(lo))));
}

function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n < 40) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng() < p) k++;
    return k;
  }
  // Normal approximation keeps large reports cheap; exactness of the distribution does not matter here.
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const k = Math.round(n * p + z * Math.sqrt(n * p * (1 - p)));
  return Math.min(n, Math.max(0, k));
}

/** Split n into parts with the given weights; zero weights get zero. */
function multinomial(rng: Rng, n: number, weights: readonly number[]): number[] {
  let remaining = n;
  let left = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => {
    if (w <= 0 || left <= 0) return 0;
    const x = w >= left - 1e-9 ? remaining : binomial(rng, remaining, w / left);
    remaining -= x;
    left -= w;
    return x;
  });
}

// ---------------------------------------------------------------- types

export type Template = "v2019" | "v2021";
export type Injection = "T3.R1" | "T3.R2" | "T3.R3" | "T4.R1" | "T2.W1";
export const INJECTIONS: readonly Injection[] = ["T3.R1", "T3.R2", "T3.R3", "T4.R1", "T2.W1"];

export interface ExpectedFinding {
  rule: string;
  path: string;
  cells: string[];
}

export interface Section {
  key: SectionKey;
  heading: string;
  paragraphs: string[];
}

export interface GenerateOptions {
  template: Template;
  year?: number;
  organ?: string;
  inject?: readonly Injection[];
  /** Print some zero cells blank, `—` or `/` (recorded in blank_cells); used by the `html-blanks` style. */
  blanks?: boolean;
}

/** The truth of one synthetic report plus everything the renderers need. */
export interface GeneratedReport {
  seed: number;
  template: Template;
  organ: string;
  year: number;
  title: string;
  /** ISO date, always in late January of the following year. */
  publishedAt: string;
  templates: { t2: TemplateId; t3: TemplateId; t4: TemplateId };
  /** Every cell value by dotted path, in print order (t2, t3, t4). */
  cells: Record<string, number>;
  /** The text each cell is printed as (`7730.28`, `-18`, `+5`, `75394432.52元`, `` or `—` for blanks). */
  printed: Record<string, string>;
  blank_cells: string[];
  units: Record<string, string>;
  injections: Injection[];
  expected_findings: ExpectedFinding[];
  preamble: string[];
  sections: Section[];
}

// ---------------------------------------------------------------- organs

const PLACES = [
  "东川市",
  "西岭县",
  "南湖区",
  "北塘区",
  "临水县",
  "青峰市",
  "云岗区",
  "白沙县",
  "松溪市",
  "禾丰县",
];
const DEPARTMENTS = [
  "人民政府办公室",
  "教育局",
  "自然资源和规划局",
  "市场监督管理局",
  "生态环境局",
  "住房和城乡建设局",
  "交通运输局",
  "卫生健康委员会",
  "司法局",
  "财政局",
  "人力资源和社会保障局",
  "统计局",
  "审计局",
  "民政局",
  "农业农村局",
];

function generateOrgan(rng: Rng): string {
  const place = pick(rng, PLACES);
  if (chance(rng, 0.15)) return `${place}人民政府`;
  return place + pick(rng, DEPARTMENTS);
}

// ---------------------------------------------------------------- table 3

/** Relative frequency of each result row among concluded applications (real reports: mostly 予以公开 / 不掌握). */
const RESULT_WEIGHTS: Record<string, number> = {
  granted: 30,
  partially_granted: 8,
  "denied.state_secret": 0.3,
  "denied.prohibited_by_law": 1,
  "denied.security_stability": 0.5,
  "denied.third_party_rights": 2,
  "denied.internal_affairs": 1.5,
  "denied.process_information": 3,
  "denied.enforcement_case_file": 1,
  "denied.administrative_query": 2,
  "unable.not_held": 20,
  "unable.needs_creation": 5,
  "unable.unclear_after_correction": 2,
  "not_processed.petition_complaint": 4,
  "not_processed.repeat": 4,
  "not_processed.publication": 0.5,
  "not_processed.excessive": 1,
  "not_processed.confirm_or_reissue": 1,
  "other.no_correction": 4,
  "other.fee_unpaid": 0.5,
  "other.other": 5,
  "other.subtotal": 9,
};

function t3Rows(template: Template): RowDef[] {
  return template === "v2019" ? T3_ROWS_V2019 : T3_ROWS_V2021;
}

function applicationScale(rng: Rng): number {
  const r = rng();
  if (r < 0.3) return 0;
  if (r < 0.6) return randInt(rng, 1, 9);
  if (r < 0.85) return randInt(rng, 10, 80);
  if (r < 0.97) return randInt(rng, 80, 600);
  return randInt(rng, 600, 6000);
}

/** Applicant mix: natural persons dominate, a few organisation columns are populated. */
function applicantWeights(rng: Rng): number[] {
  return [
    1,
    chance(rng, 0.5) ? 0.05 + rng() * 0.3 : 0,
    chance(rng, 0.1) ? 0.02 + rng() * 0.05 : 0,
    chance(rng, 0.1) ? 0.02 + rng() * 0.05 : 0,
    chance(rng, 0.25) ? 0.03 + rng() * 0.1 : 0,
    chance(rng, 0.3) ? 0.03 + rng() * 0.1 : 0,
  ];
}

/** Which result rows this organ uses at all (most rows stay 0 in real reports). */
function activeResultWeights(rng: Rng, rows: string[]): number[] {
  const weights = rows.map((r): number => {
    const w = RESULT_WEIGHTS[r] ?? 1;
    return chance(rng, Math.min(0.95, 0.12 + w / 25)) ? w * (0.5 + rng()) : 0;
  });
  // Something must absorb the concluded applications.
  if (!weights.some((w) => w > 0)) weights[0] = 1;
  return weights;
}

function generateT3(rng: Rng, template: Template, cells: Record<string, number>): void {
  const resultRows = t3ResultRows(template === "v2019");
  const scale = applicationScale(rng);
  const perColumn = multinomial(rng, scale, applicantWeights(rng));
  const weights = activeResultWeights(rng, resultRows);
  const rowTotals = new Map<string, number>();
  const add = (row: string, col: string, v: number): void => {
    cells[`t3.${row}.${col}`] = v;
    rowTotals.set(row, (rowTotals.get(row) ?? 0) + v);
  };
  T3_APPLICANT_COLUMNS.forEach((col, i) => {
    const fresh = perColumn[i] ?? 0;
    const carriedOver = fresh > 0 && chance(rng, 0.35) ? randInt(rng, 0, Math.ceil(fresh * 0.1)) : 0;
    const pool = fresh + carriedOver;
    const carriedForward = pool > 0 && chance(rng, 0.45) ? randInt(rng, 0, Math.ceil(pool * 0.12)) : 0;
    const concluded = pool - carriedForward;
    add("new_requests", col, fresh);
    add("carried_over", col, carriedOver);
    multinomial(rng, concluded, weights).forEach((v, j) => {
      add(resultRows[j] ?? "", col, v);
    });
    add("results_total", col, concluded);
    add("carried_forward", col, carriedForward);
  });
  for (const r of t3Rows(template)) cells[`t3.${r.key}.total`] = rowTotals.get(r.key) ?? 0;
}

// ---------------------------------------------------------------- table 4

function generateT4(rng: Rng, cells: Record<string, number>): void {
  const active = !chance(rng, 0.6);
  const sizes = [active ? randInt(rng, 1, 8) : 0, active && chance(rng, 0.4) ? randInt(rng, 1, 5) : 0];
  sizes.push(active && chance(rng, 0.3) ? randInt(rng, 1, 3) : 0);
  T4_GROUPS.forEach((g, i) => {
    const parts = multinomial(rng, sizes[i] ?? 0, [5, 1, 2, 1]);
    T4_COLUMNS.slice(0, 4).forEach((c, j) => {
      cells[`t4.${g.key}.${c.key}`] = parts[j] ?? 0;
    });
    cells[`t4.${g.key}.total`] = sizes[i] ?? 0;
  });
}

// ---------------------------------------------------------------- table 2

interface T2Out {
  cells: Record<string, number>;
  printed: Record<string, string>;
  units: Record<string, string>;
}

function setCount(out: T2Out, path: string, v: number): void {
  out.cells[path] = v;
  out.printed[path] = String(v);
}

/** A decimal printed the way publishers do: 0–2 decimals, occasionally up to 6, trailing zeros kept. */
function moneyText(rng: Rng, maxInt: number, decimals?: number): string {
  const r = rng();
  const d = decimals ?? (r < 0.25 ? 0 : r < 0.4 ? 1 : r < 0.9 ? 2 : randInt(rng, 3, 6));
  const whole = d > 0 && chance(rng, 0.1) ? 0 : logUniform(rng, 1, maxInt);
  let frac = "";
  for (let i = 0; i < d; i++) frac += String(randInt(rng, i === d - 1 ? 1 : 0, 9));
  return d > 0 ? `${whole}.${frac}` : String(whole);
}

function generateT2V2021(rng: Rng, out: T2Out): void {
  const docs = (row: string, p: number, maxIssued: number, maxStock: number): void => {
    const on = chance(rng, p);
    const issued = on ? randInt(rng, 0, maxIssued) : 0;
    const repealed = on ? randInt(rng, 0, Math.ceil(maxIssued / 3)) : 0;
    // A document issued this year is still in force or was repealed: in_force ≥ issued keeps T2.W1.
    const inForce = on ? issued + (chance(rng, 0.3) ? 0 : randInt(rng, 0, maxStock)) : 0;
    setCount(out, `t2.${row}.issued`, issued);
    setCount(out, `t2.${row}.repealed`, repealed);
    setCount(out, `t2.${row}.in_force`, inForce);
  };
  docs("regulations", 0.12, 5, 40);
  docs("normative_documents", 0.7, 25, 120);
  setCount(out, "t2.licensing.decisions", chance(rng, 0.5) ? logUniform(rng, 1, 20000) : 0);
  setCount(out, "t2.penalty.decisions", chance(rng, 0.5) ? logUniform(rng, 1, 5000) : 0);
  setCount(out, "t2.coercion.decisions", chance(rng, 0.3) ? logUniform(rng, 1, 300) : 0);
  const fee = chance(rng, 0.4) ? moneyText(rng, 20000) : "0";
  out.cells["t2.admin_fees.amount_wan_yuan"] = Number(fee);
  out.printed["t2.admin_fees.amount_wan_yuan"] = fee;
}

/** v2019 `本年增/减`: signed, often 0, sometimes negative, rarely with an explicit `+`. */
function setChange(rng: Rng, out: T2Out, path: string, prev: number, maxUp: number): void {
  const r = rng();
  let v = 0;
  if (r < 0.3 && prev > 0) v = -randInt(rng, 1, Math.min(prev, 30));
  else if (r < 0.6) v = randInt(rng, 1, maxUp);
  out.cells[path] = v;
  out.printed[path] = v > 0 && chance(rng, 0.15) ? `+${v}` : String(v);
}

function generateT2V2019(rng: Rng, out: T2Out): void {
  const docs = (row: string, p: number, maxMade: number, maxStock: number): void => {
    const on = chance(rng, p);
    const made = on ? randInt(rng, 0, maxMade) : 0;
    const published = made - (chance(rng, 0.2) ? randInt(rng, 0, made) : 0);
    setCount(out, `t2.${row}.newly_made`, made);
    setCount(out, `t2.${row}.newly_published`, published);
    setCount(out, `t2.${row}.total_published`, on ? published + randInt(rng, 0, maxStock) : 0);
  };
  docs("regulations", 0.12, 5, 60);
  docs("normative_documents", 0.75, 90, 200);
  const items = (row: string, p: number, maxPrev: number, maxDecisions: number): void => {
    const prev = chance(rng, p) ? randInt(rng, 1, maxPrev) : 0;
    setCount(out, `t2.${row}.prev_year_items`, prev);
    setChange(rng, out, `t2.${row}.change`, prev, Math.max(1, Math.ceil(maxPrev / 10)));
    if (maxDecisions > 0) {
      setCount(
        out,
        `t2.${row}.decisions`,
        prev > 0 && chance(rng, 0.8) ? logUniform(rng, 1, maxDecisions) : 0,
      );
    }
  };
  items("licensing", 0.6, 600, 20000);
  items("other_admin_services", 0.4, 100, 2000);
  items("penalty", 0.6, 3000, 5000);
  items("coercion", 0.4, 150, 300);
  items("admin_fees", 0.5, 60, 0);
  const procures = chance(rng, 0.5);
  setCount(out, "t2.central_procurement.items", procures ? randInt(rng, 1, 400) : 0);
  const path = "t2.central_procurement.amount";
  if (!procures) {
    out.cells[path] = 0;
    out.printed[path] = "0";
    return;
  }
  // The template gives no unit, so publishers print one in the cell; most use 元 (`75394432.52元`).
  const unit = chance(rng, 0.15) ? "万元" : "元";
  const text = unit === "元" ? moneyText(rng, 90_000_000, 2) : moneyText(rng, 9000);
  out.cells[path] = Number(text);
  out.printed[path] = text + unit;
  out.units[path] = unit;
}

// ---------------------------------------------------------------- consistency rules

const sumOf = (cells: Record<string, number>, paths: string[]): number =>
  paths.reduce((s, p) => s + (cells[p] ?? 0), 0);

/** Checks the rules of spec §6 that a single report can break; the source of `expected_findings`. */
export function consistencyFindings(cells: Record<string, number>, template: Template): ExpectedFinding[] {
  const out: ExpectedFinding[] = [];
  for (const c of T3_COLUMN_KEYS) {
    const eq = ["new_requests", "carried_over", "results_total", "carried_forward"].map(
      (r) => `t3.${r}.${c}`,
    );
    const [a, b, d, e] = eq.map((p) => cells[p] ?? 0) as [number, number, number, number];
    if (a + b !== d + e) out.push({ rule: "T3.R1", path: eq[0] ?? "", cells: eq });
  }
  const resultRows = t3ResultRows(template === "v2019");
  for (const c of T3_COLUMN_KEYS) {
    const parts = resultRows.map((r) => `t3.${r}.${c}`);
    const path = `t3.results_total.${c}`;
    if (sumOf(cells, parts) !== (cells[path] ?? 0))
      out.push({ rule: "T3.R2", path, cells: [...parts, path] });
  }
  for (const r of t3Rows(template)) {
    const parts = T3_APPLICANT_COLUMNS.map((c) => `t3.${r.key}.${c}`);
    const path = `t3.${r.key}.total`;
    if (sumOf(cells, parts) !== (cells[path] ?? 0))
      out.push({ rule: "T3.R3", path, cells: [...parts, path] });
  }
  for (const g of T4_GROUPS) {
    const parts = T4_COLUMNS.slice(0, 4).map((c) => `t4.${g.key}.${c.key}`);
    const path = `t4.${g.key}.total`;
    if (sumOf(cells, parts) !== (cells[path] ?? 0))
      out.push({ rule: "T4.R1", path, cells: [...parts, path] });
  }
  for (const row of ["regulations", "normative_documents"]) {
    if (template === "v2021") {
      const eq = ["issued", "repealed", "in_force"].map((c) => `t2.${row}.${c}`);
      const [issued, repealed, inForce] = eq.map((p) => cells[p] ?? 0) as [number, number, number];
      if (issued > inForce + repealed) out.push({ rule: "T2.W1", path: eq[0] ?? "", cells: eq });
    } else {
      const eq = ["newly_published", "total_published"].map((c) => `t2.${row}.${c}`);
      const [published, total] = eq.map((p) => cells[p] ?? 0) as [number, number];
      if (published > total) out.push({ rule: "T2v19.W1", path: eq[0] ?? "", cells: eq });
    }
  }
  return out;
}

// ---------------------------------------------------------------- injections

/** Change a cell by ±k, never below 0 (negative counts would break R4 as well). */
function nudge(rng: Rng, cells: Record<string, number>, paths: string[]): void {
  const k = randInt(rng, 1, 3) * (chance(rng, 0.2) ? 10 : 1);
  const down = paths.every((p) => (cells[p] ?? 0) >= k) && chance(rng, 0.5);
  for (const p of paths) cells[p] = (cells[p] ?? 0) + (down ? -k : k);
}

function inject(rng: Rng, template: Template, cells: Record<string, number>, what: Injection): void {
  switch (what) {
    case "T3.R1": {
      const row = pick(rng, ["carried_over", "carried_forward"]);
      const col = pick(rng, T3_APPLICANT_COLUMNS);
      nudge(rng, cells, [`t3.${row}.${col}`, `t3.${row}.total`]);
      return;
    }
    case "T3.R2": {
      const row = pick(rng, t3ResultRows(template === "v2019"));
      const col = pick(rng, T3_APPLICANT_COLUMNS);
      nudge(rng, cells, [`t3.${row}.${col}`, `t3.${row}.total`]);
      return;
    }
    case "T3.R3": {
      // new_requests stays intact: section 一 quotes it, and D.R1 must keep holding.
      const rows = [...t3ResultRows(template === "v2019"), "carried_over", "carried_forward"];
      nudge(rng, cells, [`t3.${pick(rng, rows)}.total`]);
      return;
    }
    case "T4.R1":
      nudge(rng, cells, [`t4.${pick(rng, T4_GROUPS).key}.total`]);
      return;
    case "T2.W1": {
      if (template !== "v2021") throw new Error("T2.W1 is a v2021 rule");
      const row = pick(rng, ["regulations", "normative_documents"]);
      const limit = (cells[`t2.${row}.in_force`] ?? 0) + (cells[`t2.${row}.repealed`] ?? 0);
      cells[`t2.${row}.issued`] = limit + randInt(rng, 1, 5);
      return;
    }
  }
}

// ---------------------------------------------------------------- blanks

const BLANK_MARKS = ["", "", "—", "/"];

/** Blank some zero cells, but never a whole table: a fully blank table means `unfilled`, not zeros. */
function applyBlanks(rng: Rng, report: Pick<GeneratedReport, "cells" | "printed" | "blank_cells">): void {
  for (const table of ["t2.", "t3.", "t4."]) {
    const paths = Object.keys(report.cells).filter((p) => p.startsWith(table));
    const chosen = paths.filter((p) => report.cells[p] === 0 && chance(rng, 0.45));
    if (chosen.length === paths.length) chosen.shift();
    for (const p of chosen) {
      report.printed[p] = pick(rng, BLANK_MARKS);
      report.blank_cells.push(p);
    }
  }
}

// ---------------------------------------------------------------- prose

const MGMT = [
  "严格落实政府信息公开属性源头认定机制，公文拟制时同步明确公开方式，未发现应公开未公开情形。",
  "建立政府信息发布审核制度，坚持“先审查、后公开”和“一事一审”原则，确保信息内容准确、规范。",
  "定期对已公开政府信息进行梳理，及时调整更新过时信息，保证信息的时效性和准确性。",
];
const PLATFORM = [
  "依托门户网站政府信息公开专栏，及时更新机构职能、政策文件、财政资金等栏目内容。",
  "加强政务新媒体管理，通过微信公众号发布工作动态和政策解读，拓宽信息公开渠道。",
  "优化政府信息公开平台栏目设置，完善站内检索功能，方便公众查阅。",
];
const OVERSIGHT = [
  "将政府信息公开工作纳入年度目标考核，明确分管领导和具体承办人员，本年度未发生责任追究情况。",
  "组织开展政府信息公开业务培训，提升工作人员依法公开意识和业务能力。",
  "主动接受社会监督，认真处理公众意见建议，本年度未收到涉及政府信息公开的投诉举报。",
];
const PROBLEMS = [
  "一是政策解读形式较为单一，图解、视频等解读方式运用不多；二是部分栏目更新不够及时。",
  "一是工作人员业务水平有待提高；二是主动公开的深度和广度还需进一步拓展。",
  "一是依申请公开答复的规范化程度有待提升；二是公开内容与群众需求的契合度还不够高。",
];
const IMPROVEMENTS = [
  "下一步，将加强业务培训，丰富解读形式，健全栏目巡查机制，确保信息公开及时、准确、全面。",
  "下一步，将进一步完善工作机制，细化公开目录，加强信息发布审核，持续提升政府信息公开质量。",
];

function t3Total(cells: Record<string, number>, row: string): number {
  return cells[`t3.${row}.total`] ?? 0;
}

function sectionOne(rng: Rng, r: Omit<GeneratedReport, "sections">): string[] {
  const c = r.cells;
  const proactive = randInt(rng, 20, 900);
  return [
    `${r.year}年，${r.organ}认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的部署要求，坚持“以公开为常态、不公开为例外”，扎实推进政府信息公开工作。`,
    `（一）主动公开。全年通过门户网站主动公开政府信息${proactive}条，及时发布政策文件、工作动态、财政预决算等信息。`,
    `（二）依申请公开。本年共收到政府信息公开申请${t3Total(c, "new_requests")}件，上年结转${t3Total(c, "carried_over")}件，办结${t3Total(c, "results_total")}件，结转下年度继续办理${t3Total(c, "carried_forward")}件，均在法定期限内答复。`,
    `（三）政府信息管理。${pick(rng, MGMT)}`,
    `（四）政府信息公开平台建设。${pick(rng, PLATFORM)}`,
    `（五）监督保障。${pick(rng, OVERSIGHT)}`,
  ];
}

function sectionFour(c: Record<string, number>): string {
  const review = c["t4.review.total"] ?? 0;
  const suits = (c["t4.litigation_direct.total"] ?? 0) + (c["t4.litigation_after_review.total"] ?? 0);
  if (review === 0 && suits === 0)
    return "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。";
  return `本年度因政府信息公开工作被申请行政复议${review}件，被提起行政诉讼${suits}件。`;
}

function sectionSix(r: Omit<GeneratedReport, "sections">): string {
  const unpaid = r.cells["t3.other.fee_unpaid.total"] ?? 0;
  if (unpaid > 0) {
    return `本年度依据《政府信息公开信息处理费管理办法》发出收费通知${unpaid}件，申请人均逾期未缴纳，未实际收取信息处理费。`;
  }
  return "本年度未收取政府信息公开信息处理费。无其他需要报告的事项。";
}

function generateSections(rng: Rng, r: Omit<GeneratedReport, "sections">): Section[] {
  const body: Record<SectionKey, string[]> = {
    s1_overview: sectionOne(rng, r),
    s2_proactive: [`${r.year}年${r.organ}主动公开政府信息情况如下：`],
    s3_applications: [
      `${r.year}年，本机关共办结政府信息公开申请${t3Total(r.cells, "results_total")}件，具体情况如下：`,
    ],
    s4_review_litigation: [sectionFour(r.cells)],
    s5_problems: [
      `${r.year}年，我单位政府信息公开工作仍存在一些不足：${pick(rng, PROBLEMS)}`,
      pick(rng, IMPROVEMENTS),
    ],
    s6_other: [sectionSix(r)],
  };
  return SECTIONS.map((s) => ({ key: s.key, heading: s.heading, paragraphs: body[s.key] }));
}

function preambleFor(organ: string, year: number, rng: Rng): string[] {
  const phone = `0${randInt(rng, 100, 999)}-${randInt(rng, 2000000, 8999999)}`;
  return [
    `本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定编制，由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项组成。本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。本报告电子版可在${organ}门户网站下载。如对本报告有疑问，请与${organ}办公室联系（电话：${phone}）。`,
  ];
}

// ---------------------------------------------------------------- the report

export function reportTitle(organ: string, year: number): string {
  return `${organ}${year}年政府信息公开工作年度报告`;
}

function defaultYear(rng: Rng, template: Template): number {
  return template === "v2019" ? randInt(rng, 2019, 2020) : randInt(rng, 2021, 2024);
}

export function generateReport(seed: number, opts: GenerateOptions): GeneratedReport {
  const { template } = opts;
  const rng = mulberry32(deriveSeed(seed, "numbers"));
  const organ = opts.organ ?? generateOrgan(rng);
  const year = opts.year ?? defaultYear(rng, template);
  const t2: T2Out = { cells: {}, printed: {}, units: {} };
  if (template === "v2021") generateT2V2021(rng, t2);
  else generateT2V2019(rng, t2);
  const t34: Record<string, number> = {};
  generateT3(rng, template, t34);
  generateT4(rng, t34);

  // Print order, like the truth files: t2, t3, t4.
  const cells: Record<string, number> = {};
  for (const { path } of t2Paths(template)) cells[path] = t2.cells[path] ?? 0;
  for (const path of [...t3Paths(template === "v2019"), ...T4_PATHS]) cells[path] = t34[path] ?? 0;

  const injections = [...(opts.inject ?? [])];
  const injRng = mulberry32(deriveSeed(seed, "inject"));
  for (const what of injections) inject(injRng, template, cells, what);

  const printed: Record<string, string> = {};
  for (const [p, v] of Object.entries(cells)) printed[p] = t2.printed[p] ?? String(v);
  // An injection may have changed a t2 count: print what the cell now holds.
  for (const p of Object.keys(t2.printed)) if (cells[p] !== t2.cells[p]) printed[p] = String(cells[p]);

  const base = {
    seed,
    template,
    organ,
    year,
    title: reportTitle(organ, year),
    publishedAt: `${year + 1}-01-${randInt(mulberry32(deriveSeed(seed, "date")), 20, 29)}`,
    templates: { t2: template, t3: template, t4: "v2021" as TemplateId },
    cells,
    printed,
    blank_cells: [] as string[],
    units: t2.units,
    injections,
    expected_findings: consistencyFindings(cells, template),
    preamble: preambleFor(organ, year, mulberry32(deriveSeed(seed, "preamble"))),
  };
  if (injections.length === 0 && base.expected_findings.length > 0) {
    throw new Error(`generator bug: seed ${seed} is inconsistent without injections`);
  }
  for (const what of injections) {
    if (!base.expected_findings.some((f) => f.rule === what)) {
      throw new Error(`generator bug: injection ${what} (seed ${seed}) broke nothing`);
    }
  }
  if (opts.blanks) applyBlanks(mulberry32(deriveSeed(seed, "blanks")), base);
  return { ...base, sections: generateSections(mulberry32(deriveSeed(seed, "prose")), base) };
}

// ---------------------------------------------------------------- layout (shared by the renderers)

/** Exact texts printed in the tables that template.ts does not carry (spec §3.2, §3.3). */
export const T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
export const T3_APPLICANTS = "申请人情况";
export const T3_ORGS = "法人或其他组织";
export const T2_CONTENT = "信息内容";
export const T4_LITIGATION = "行政诉讼";

export type CellRole = "caption" | "header" | "note" | "group" | "label" | "value";

export interface LayoutCell {
  text: string;
  role: CellRole;
  rowspan: number;
  colspan: number;
  /** Dotted path of a value cell. */
  path?: string;
}

export interface LayoutTable {
  id: "t2" | "t3" | "t4";
  width: number;
  /** Header rows at the top (repeated when a split table repeats its header). */
  headerRows: number;
  rows: LayoutCell[][];
}

function lc(text: string, role: CellRole, rowspan = 1, colspan = 1): LayoutCell {
  return { text, role, rowspan, colspan };
}

function valueCell(r: GeneratedReport, path: string, colspan = 1): LayoutCell {
  return { text: r.printed[path] ?? "", role: "value", rowspan: 1, colspan, path };
}

/** Table 2 as one 4-column grid of blocks; a block with fewer columns lets its last column span the rest. */
export function t2Layout(r: GeneratedReport): LayoutTable {
  const rows: LayoutCell[][] = [];
  for (const b of t2Blocks(r.template)) {
    const spanLast = 4 - b.columns.length;
    const span = (i: number): number => (i === b.columns.length - 1 ? spanLast : 1);
    rows.push([lc(b.caption, "caption", 1, 4)]);
    rows.push([lc(T2_CONTENT, "header"), ...b.columns.map((c, i) => lc(c.label, "header", 1, span(i)))]);
    for (const row of b.rows) {
      rows.push([
        lc(row.label, "label"),
        ...b.columns.map((c, i) => valueCell(r, `t2.${row.key}.${c.key}`, span(i))),
      ]);
    }
  }
  return { id: "t2", width: 4, headerRows: 0, rows };
}

/** Table 3 exactly as the official layout: 3 header rows, group labels spanning their items. */
export function t3Layout(r: GeneratedReport): LayoutTable {
  const defs = t3Rows(r.template);
  const rows: LayoutCell[][] = [
    [lc(T3_NOTE, "note", 3, 3), lc(T3_APPLICANTS, "header", 1, 7)],
    [
      lc(T3_COLUMNS[0]?.label ?? "", "header", 2),
      lc(T3_ORGS, "header", 1, 5),
      lc(T3_COLUMNS[6]?.label ?? "", "header", 2),
    ],
    T3_COLUMNS.slice(1, 6).map((c) => lc(c.label, "header")),
  ];
  const resultGroup = defs.find((d) => d.key === "granted")?.group ?? "";
  const resultCount = defs.filter((d) => d.group !== undefined).length;
  defs.forEach((d, i) => {
    const lead: LayoutCell[] = [];
    const prev = defs[i - 1];
    if (d.group === undefined) {
      lead.push(lc(d.label, "label", 1, 3));
    } else {
      if (prev?.group === undefined) lead.push(lc(resultGroup, "group", resultCount));
      if (d.group === resultGroup) {
        lead.push(lc(d.label, "label", 1, 2));
      } else {
        if (prev?.group !== d.group)
          lead.push(lc(d.group, "group", defs.filter((x) => x.group === d.group).length));
        lead.push(lc(d.label, "label"));
      }
    }
    rows.push([...lead, ...T3_COLUMN_KEYS.map((c) => valueCell(r, `t3.${d.key}.${c}`))]);
  });
  return { id: "t3", width: 10, headerRows: 3, rows };
}

/** Table 4: three header rows and one data row of 15 numbers. */
export function t4Layout(r: GeneratedReport): LayoutTable {
  const [review, direct, after] = T4_GROUPS;
  const subLabels = T4_COLUMNS.map((c) => c.label);
  return {
    id: "t4",
    width: 15,
    headerRows: 3,
    rows: [
      [lc(review?.label ?? "", "header", 1, 5), lc(T4_LITIGATION, "header", 1, 10)],
      [
        ...subLabels.map((l) => lc(l, "header", 2)),
        lc(direct?.label ?? "", "header", 1, 5),
        lc(after?.label ?? "", "header", 1, 5),
      ],
      [...subLabels, ...subLabels].map((l) => lc(l, "header")),
      T4_PATHS.map((p) => valueCell(r, p)),
    ],
  };
}

export type Block =
  | { kind: "title"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "para"; text: string }
  | { kind: "table"; table: LayoutTable };

const SECTION_TABLE: Partial<Record<SectionKey, (r: GeneratedReport) => LayoutTable>> = {
  s2_proactive: t2Layout,
  s3_applications: t3Layout,
  s4_review_litigation: t4Layout,
};

/** The document in reading order: title, preamble, then each section with its table after its prose. */
export function documentBlocks(r: GeneratedReport): Block[] {
  const blocks: Block[] = [{ kind: "title", text: r.title }];
  for (const p of r.preamble) blocks.push({ kind: "para", text: p });
  for (const s of r.sections) {
    blocks.push({ kind: "heading", text: s.heading });
    for (const p of s.paragraphs) blocks.push({ kind: "para", text: p });
    const table = SECTION_TABLE[s.key];
    if (table) blocks.push({ kind: "table", table: table(r) });
  }
  return blocks;
}

/** Expand spans: every grid slot gets the text of the cell that starts there, or "" if covered by a span. */
export function expandGrid(t: LayoutTable): string[][] {
  const grid: (string | undefined)[][] = t.rows.map(() => new Array<string | undefined>(t.width));
  t.rows.forEach((row, ri) => {
    let col = 0;
    for (const cell of row) {
      while (grid[ri]?.[col] !== undefined) col++;
      for (let dr = 0; dr < cell.rowspan; dr++) {
        for (let dc = 0; dc < cell.colspan; dc++) {
          const target = grid[ri + dr];
          if (target) target[col + dc] = dr === 0 && dc === 0 ? cell.text : "";
        }
      }
      col += cell.colspan;
    }
  });
  return grid.map((row) => Array.from(row, (x) => x ?? ""));
}

// ---------------------------------------------------------------- truth files and corpus

export type Style = HtmlStyle | TextStyle;
export const STYLES: readonly Style[] = [...HTML_STYLES, ...TEXT_STYLES];

export interface Rendered {
  bytes: Uint8Array;
  ext: string;
  contentType?: string;
}

/** The ground-truth file, same format as ../shared/samples/real/*.truth.json. */
export interface TruthFile {
  id: string;
  file: string;
  kind: "html" | "text";
  year: number;
  organ: string;
  templates: { t2: TemplateId; t3: TemplateId; t4: TemplateId };
  cells: Record<string, number>;
  blank_cells: string[];
  expected_findings: ExpectedFinding[];
  unscored_findings: never[];
  units: Record<string, string>;
  source: string;
  notes: string;
}

export function isHtmlStyle(style: Style): style is HtmlStyle {
  return (HTML_STYLES as readonly string[]).includes(style);
}

export function renderReport(r: GeneratedReport, style: Style): Rendered {
  return isHtmlStyle(style) ? renderHtml(r, style) : renderText(r, style);
}

/** Every style of one report (for a quick look or a format-robustness benchmark). */
export function renderAll(r: GeneratedReport): { style: Style; rendered: Rendered }[] {
  return STYLES.map((style) => ({ style, rendered: renderReport(r, style) }));
}

export function toTruth(r: GeneratedReport, id: string, style: Style, ext: string): TruthFile {
  const injected = r.injections.length ? `; injected ${r.injections.join(", ")}` : "; consistent";
  return {
    id,
    file: `${id}.${ext}`,
    kind: isHtmlStyle(style) ? "html" : "text",
    year: r.year,
    organ: r.organ,
    templates: r.templates,
    cells: r.cells,
    blank_cells: r.blank_cells,
    expected_findings: r.expected_findings,
    unscored_findings: [],
    units: r.units,
    source: "synthetic: nianbao src/samples/generator.ts",
    notes: `synthetic report; style=${style}; seed=${r.seed}; template=${r.template}${injected}`,
  };
}

export interface CorpusItem {
  id: string;
  style: Style;
  bytes: Uint8Array;
  ext: string;
  contentType?: string;
  truth: TruthFile;
}

/** Generate and render one report for a style (the `html-blanks` style gets blank cells). */
export function generateSample(
  id: string,
  seed: number,
  style: Style,
  opts: Omit<GenerateOptions, "blanks">,
): CorpusItem {
  const report = generateReport(seed, { ...opts, blanks: style === "html-blanks" });
  const { bytes, ext, contentType } = renderReport(report, style);
  const item: CorpusItem = { id, style, bytes, ext, truth: toTruth(report, id, style, ext) };
  if (contentType !== undefined) item.contentType = contentType;
  return item;
}

/**
 * n reports in memory, styles round-robin, ~70 % v2021, ~20 % with one injected defect.
 * Deterministic in (n, seed).
 */
export function generateCorpus(n: number, seed: number): CorpusItem[] {
  const rng = mulberry32(deriveSeed(seed, "corpus"));
  const items: CorpusItem[] = [];
  for (let i = 0; i < n; i++) {
    const template: Template = chance(rng, 0.7) ? "v2021" : "v2019";
    const style = STYLES[i % STYLES.length] ?? "html-clean";
    const candidates = INJECTIONS.filter((x) => template === "v2021" || x !== "T2.W1");
    const inject = chance(rng, 0.2) ? [pick(rng, candidates)] : [];
    const reportSeed = deriveSeed(seed, `report-${i}`);
    items.push(generateSample(`corpus-${seed}-${i}`, reportSeed, style, { template, inject }));
  }
  return items;
}
