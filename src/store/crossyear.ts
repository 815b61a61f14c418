/**
 * Cross-year rules (spec §6.1 T3.X1, §6.3 T2.X1, §6.5 D.R6 near-copies), which no single document can check.
 * They run over current reports only and pair reports by exact organ name and consecutive
 * years. When an organ has several current reports for one year (e.g. the same report
 * published as HTML and as PDF), every pairing is checked and reported with its report ids.
 */
import type Database from "better-sqlite3";
import type { Finding } from "../model/report.js";
import { T2_V2021, T3_COLUMN_KEYS, T3_COLUMNS } from "../model/template.js";
import { containment, shingles } from "./similarity.js";

export interface CrossYearFilter {
  /** The later year Y of the pair. */
  year?: number;
  /** Substring of the organ name. */
  organ?: string;
  rule?: "T3.X1" | "T2.X1" | "D.R6";
}

/** A spec finding that involves two reports: `reportId` (year Y) and `previousReportId` (year Y−1). */
export type CrossYearFinding = Finding & {
  reportId: number;
  previousReportId: number;
  organ: string;
  year: number;
};

/** Pairs (current report of Y, current report of Y−1) of the same organ. */
const PAIRS = `pairs AS (
  SELECT cur.id AS cur_id, prev.id AS prev_id, cur.organ AS organ, cur.year AS year
  FROM reports cur
  JOIN reports prev ON prev.organ = cur.organ AND prev.year = cur.year - 1 AND prev.is_current = 1
  WHERE cur.is_current = 1 AND cur.organ IS NOT NULL AND cur.year IS NOT NULL
    AND (@year IS NULL OR cur.year = @year)
    AND (@organ IS NULL OR instr(cur.organ, @organ) > 0)
)`;

const T3_SQL = `WITH ${PAIRS}
SELECT p.cur_id AS curId, p.prev_id AS prevId, p.organ AS organ, p.year AS year,
       a.col_key AS col, a.value AS actual, b.value AS expected
FROM pairs p
-- The path range lets the (report_id, path) primary key find the row's cells without a scan.
JOIN cells a ON a.report_id = p.cur_id AND a.path > 't3.carried_over.' AND a.path < 't3.carried_over/'
  AND a.tbl = 't3' AND a.row_key = 'carried_over'
JOIN cells b ON b.report_id = p.prev_id AND b.path = 't3.carried_forward.' || a.col_key
WHERE a.value IS NOT NULL AND b.value IS NOT NULL AND a.value <> b.value`;

/** The pairs themselves, for near-copy detection; each report's narrative is read once (TEXT_OF). */
const PAIRS_SQL = `WITH ${PAIRS} SELECT cur_id AS curId, prev_id AS prevId, organ, year FROM pairs`;
const TEXT_OF = "SELECT group_concat(text, char(10)) FROM sections WHERE report_id = ?";

/** Share of a report's narrative found in the previous year's above which it is a near-copy. */
export const NEAR_COPY_THRESHOLD = 0.5;
/** Too little narrative to judge (a report with empty sections is not a copy of anything). */
const MIN_SHINGLES = 200;

const T2_ROWS = ["regulations", "normative_documents"] as const;

const T2_SQL = `WITH ${PAIRS},
rowkeys(row_key) AS (VALUES ${T2_ROWS.map((r) => `('${r}')`).join(", ")})
SELECT p.cur_id AS curId, p.prev_id AS prevId, p.organ AS organ, p.year AS year, k.row_key AS row,
       f.value AS inForce, pf.value AS prevInForce, i.value AS issued, d.value AS repealed
FROM pairs p
CROSS JOIN rowkeys k
JOIN cells f  ON f.report_id  = p.cur_id  AND f.path  = 't2.' || k.row_key || '.in_force'
JOIN cells pf ON pf.report_id = p.prev_id AND pf.path = 't2.' || k.row_key || '.in_force'
JOIN cells i  ON i.report_id  = p.cur_id  AND i.path  = 't2.' || k.row_key || '.issued'
JOIN cells d  ON d.report_id  = p.cur_id  AND d.path  = 't2.' || k.row_key || '.repealed'
WHERE f.value IS NOT NULL AND pf.value IS NOT NULL AND i.value IS NOT NULL AND d.value IS NOT NULL
  AND f.value <> pf.value + i.value - d.value`;

interface PairRow {
  curId: number;
  prevId: number;
  organ: string;
  year: number;
}

interface Params {
  year: number | null;
  organ: string | null;
}
interface T3Row {
  curId: number;
  prevId: number;
  organ: string;
  year: number;
  col: string;
  actual: number;
  expected: number;
}
interface T2Row {
  curId: number;
  prevId: number;
  organ: string;
  year: number;
  row: string;
  inForce: number;
  prevInForce: number;
  issued: number;
  repealed: number;
}

const T3_LABEL = new Map(T3_COLUMNS.map((c) => [c.key, c.label]));
const T2_LABEL = new Map(T2_V2021.flatMap((b) => b.rows.map((r) => [r.key, r.label] as const)));

function t3Finding(r: T3Row): CrossYearFinding {
  const prev = r.year - 1;
  return {
    rule: "T3.X1",
    severity: "warning",
    origin: "source",
    path: `t3.carried_over.${r.col}`,
    paths: [`${r.year}:t3.carried_over.${r.col}`, `${prev}:t3.carried_forward.${r.col}`],
    expected: r.expected,
    actual: r.actual,
    residual: r.actual - r.expected,
    message:
      `上年结转数与上一年度报告的结转下年度数不一致：${r.year}年“上年结转”（${T3_LABEL.get(r.col) ?? r.col}）` +
      `为${r.actual}，${prev}年“结转下年度继续办理”为${r.expected}`,
    reportId: r.curId,
    previousReportId: r.prevId,
    organ: r.organ,
    year: r.year,
  };
}

function t2Finding(r: T2Row): CrossYearFinding {
  const prev = r.year - 1;
  const base = `t2.${r.row}`;
  const expected = r.prevInForce + r.issued - r.repealed;
  return {
    rule: "T2.X1",
    severity: "warning",
    origin: "source",
    path: `${base}.in_force`,
    paths: [
      `${r.year}:${base}.in_force`,
      `${prev}:${base}.in_force`,
      `${r.year}:${base}.issued`,
      `${r.year}:${base}.repealed`,
    ],
    expected,
    actual: r.inForce,
    residual: r.inForce - expected,
    message:
      `现行有效件数与上一年度不衔接（${T2_LABEL.get(r.row) ?? r.row}）：${prev}年现行有效${r.prevInForce}件` +
      `＋${r.year}年制发${r.issued}件－废止${r.repealed}件＝${expected}件，但${r.year}年现行有效为${r.inForce}件`,
    reportId: r.curId,
    previousReportId: r.prevId,
    organ: r.organ,
    year: r.year,
  };
}

const COLUMN_ORDER = new Map(T3_COLUMN_KEYS.map((k, i) => [k, i]));
const ROW_ORDER = new Map(T2_ROWS.map((k, i) => [k as string, i]));

interface PairKey {
  organ: string;
  year: number;
  curId: number;
  prevId: number;
}
function byPair(a: PairKey, b: PairKey): number {
  return (
    (a.organ < b.organ ? -1 : a.organ > b.organ ? 1 : 0) ||
    a.year - b.year ||
    a.curId - b.curId ||
    a.prevId - b.prevId
  );
}

export class CrossYearChecks {
  private readonly t3: Database.Statement<Params, T3Row>;
  private readonly t2: Database.Statement<Params, T2Row>;
  private readonly pairs: Database.Statement<Params, PairRow>;
  private readonly textOf: Database.Statement<[number], string | null>;

  constructor(db: Database.Database) {
    this.t3 = db.prepare<Params, T3Row>(T3_SQL);
    this.t2 = db.prepare<Params, T2Row>(T2_SQL);
    this.pairs = db.prepare<Params, PairRow>(PAIRS_SQL);
    this.textOf = db.prepare<[number], string | null>(TEXT_OF).pluck();
  }

  private nearCopies(params: Params): CrossYearFinding[] {
    const out: CrossYearFinding[] = [];
    // A report takes part in many pairs when an organ has several reports a year: shingle it once.
    const cache = new Map<number, Set<string>>();
    const shinglesOf = (id: number) => {
      let set = cache.get(id);
      if (!set) {
        set = shingles(this.textOf.get(id) ?? "");
        cache.set(id, set);
      }
      return set;
    };
    for (const r of this.pairs.all(params).sort(byPair)) {
      const later = shinglesOf(r.curId);
      if (later.size < MIN_SHINGLES) continue;
      const share = containment(later, shinglesOf(r.prevId));
      if (share <= NEAR_COPY_THRESHOLD) continue;
      const pct = Math.round(share * 100);
      out.push({
        rule: "D.R6",
        severity: "warning",
        origin: "source",
        path: null,
        paths: [`${r.year}:sections`, `${r.year - 1}:sections`],
        expected: `≤ ${NEAR_COPY_THRESHOLD * 100}%`,
        actual: `${pct}%`,
        residual: null,
        message: `${r.year}年报告正文有${pct}%与${r.year - 1}年报告相同（超过50%，疑似照抄上年报告）`,
        reportId: r.curId,
        previousReportId: r.prevId,
        organ: r.organ,
        year: r.year,
      });
    }
    return out;
  }

  /** Warnings for T3.X1, T2.X1, then D.R6, each ordered by organ, year, report pair, then print order. */
  run(filter: CrossYearFilter = {}): CrossYearFinding[] {
    const params: Params = { year: filter.year ?? null, organ: filter.organ ?? null };
    const out: CrossYearFinding[] = [];
    if (filter.rule === undefined || filter.rule === "T3.X1") {
      const rows = this.t3.all(params);
      rows.sort((a, b) => byPair(a, b) || (COLUMN_ORDER.get(a.col) ?? 99) - (COLUMN_ORDER.get(b.col) ?? 99));
      out.push(...rows.map(t3Finding));
    }
    if (filter.rule === undefined || filter.rule === "T2.X1") {
      const rows = this.t2.all(params);
      rows.sort((a, b) => byPair(a, b) || (ROW_ORDER.get(a.row) ?? 99) - (ROW_ORDER.get(b.row) ?? 99));
      out.push(...rows.map(t2Finding));
    }
    if (filter.rule === undefined || filter.rule === "D.R6") out.push(...this.nearCopies(params));
    return out;
  }
}
