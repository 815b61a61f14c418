/**
 * Unit tests for the single-report consistency rules (spec §6, src/pipeline/validate.ts).
 *
 * Two consistent reports are built from the template keys (a v2021 report for 2023 and a v2019
 * report for 2020); every test perturbs one cell (or one meta field) and checks the finding that
 * results: rule id, severity, origin, path, the full cell list, expected / actual / signed residual
 * (actual − expected) and the numbers in the Chinese message.
 */
import { describe, expect, it } from "vitest";
import type { Cell, CellSource, Finding, ReportMeta } from "../../src/model/report.js";
import {
  SECTIONS,
  T3_APPLICANT_COLUMNS,
  T3_COLUMN_KEYS,
  T4_COLUMNS,
  T4_GROUPS,
  T4_PATHS,
  t2Paths,
  t3Paths,
  t3ResultRows,
} from "../../src/model/template.js";
import { type ValidationInput, validate } from "../../src/pipeline/validate.js";

// ------------------------------------------------------------------------------------------------ factories

const C6 = T3_APPLICANT_COLUMNS;
const C7 = T3_COLUMN_KEYS;
const COL_LABEL: Record<string, string> = {
  natural_person: "自然人",
  commercial_enterprise: "商业企业",
  research_institution: "科研机构",
  social_welfare_org: "社会公益组织",
  legal_service_org: "法律服务机构",
  other_org: "其他",
  total: "总计",
};

/**
 * Table 3 of a small county department, per applicant column
 * (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他). Rows not listed are all zero.
 * Totals: new 12, carried over 2, concluded 11, carried forward 3 (12 + 2 = 11 + 3).
 */
const T3_BASE: Record<string, number[]> = {
  new_requests: [8, 2, 0, 0, 1, 1],
  carried_over: [1, 1, 0, 0, 0, 0],
  granted: [3, 1, 0, 0, 0, 0],
  partially_granted: [1, 0, 0, 0, 0, 0],
  "denied.third_party_rights": [1, 0, 0, 0, 0, 0],
  "unable.not_held": [1, 0, 0, 0, 0, 0],
  "not_processed.repeat": [0, 1, 0, 0, 0, 0],
  "other.no_correction": [1, 0, 0, 0, 0, 0],
  "other.fee_unpaid": [0, 0, 0, 0, 1, 0],
  "other.other": [0, 0, 0, 0, 0, 1],
  results_total: [7, 2, 0, 0, 1, 1],
  carried_forward: [2, 1, 0, 0, 0, 0],
};

/** Base value of table 3 at (row, column), `other.subtotal` being the sum of the three `other.*` rows. */
function t3Base(row: string, col: string): number {
  if (col === "total") return C6.reduce((a, c) => a + t3Base(row, c), 0);
  if (row === "other.subtotal") {
    return ["other.no_correction", "other.fee_unpaid", "other.other"].reduce((a, r) => a + t3Base(r, col), 0);
  }
  return T3_BASE[row]?.[C6.indexOf(col)] ?? 0;
}

const T4_BASE: Record<string, number[]> = {
  // upheld, corrected, other, pending, total
  review: [2, 1, 0, 1, 4],
  litigation_direct: [1, 0, 1, 0, 2],
  litigation_after_review: [1, 0, 0, 1, 2],
};
const t4Base = (group: string, col: string) => T4_BASE[group]![T4_COLUMNS.findIndex((c) => c.key === col)]!;

const T2_V2021: Record<string, number> = {
  "t2.regulations.issued": 2,
  "t2.regulations.repealed": 1,
  "t2.regulations.in_force": 15,
  "t2.normative_documents.issued": 8,
  "t2.normative_documents.repealed": 3,
  "t2.normative_documents.in_force": 40,
  "t2.licensing.decisions": 1234,
  "t2.penalty.decisions": 56,
  "t2.coercion.decisions": 7,
  "t2.admin_fees.amount_wan_yuan": 12.34,
};

const T2_V2019: Record<string, number> = {
  "t2.regulations.newly_made": 2,
  "t2.regulations.newly_published": 2,
  "t2.regulations.total_published": 30,
  "t2.normative_documents.newly_made": 10,
  "t2.normative_documents.newly_published": 9,
  "t2.normative_documents.total_published": 120,
  "t2.licensing.prev_year_items": 50,
  "t2.licensing.change": -3,
  "t2.licensing.decisions": 800,
  "t2.other_admin_services.prev_year_items": 20,
  "t2.other_admin_services.change": 2,
  "t2.other_admin_services.decisions": 150,
  "t2.penalty.prev_year_items": 30,
  "t2.penalty.change": 0,
  "t2.penalty.decisions": 45,
  "t2.coercion.prev_year_items": 5,
  "t2.coercion.change": 1,
  "t2.coercion.decisions": 3,
  "t2.admin_fees.prev_year_items": 10,
  "t2.admin_fees.change": -2,
  "t2.central_procurement.items": 12,
  "t2.central_procurement.amount": 345.67,
};

function cell(value: number | null, source: CellSource = "printed", raw?: string): Cell {
  return { value, raw: raw ?? (value === null ? "" : String(value)), source, loc: null };
}

/** Zero cells printed blank (Shanghai style) when `blankZeros`; they are still read as 0. */
function t3Cells(collapsed: boolean, blankZeros: boolean): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const p of t3Paths(collapsed)) {
    const col = p.slice(p.lastIndexOf(".") + 1);
    const row = p.slice(3, p.lastIndexOf("."));
    const v = t3Base(row, col);
    out[p] = v === 0 && blankZeros ? cell(0, "blank", "") : cell(v);
  }
  return out;
}

function t4Cells(): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const p of T4_PATHS) {
    const [, g, c] = p.split(".");
    out[p] = cell(t4Base(g!, c!));
  }
  return out;
}

function t2Cells(template: "v2019" | "v2021"): Record<string, Cell> {
  const values = template === "v2019" ? T2_V2019 : T2_V2021;
  const out: Record<string, Cell> = {};
  for (const { path, kind } of t2Paths(template)) {
    const v = values[path];
    if (v === undefined) throw new Error(`factory misses ${path}`);
    out[path] = kind === "money" ? { ...cell(v), decimal: v.toFixed(2) } : cell(v);
  }
  return out;
}

const ALL_SECTIONS = SECTIONS.map((s) => s.key as string);

function s1(year: number, received = 12, carriedOver = 2, carriedForward = 3): string {
  return (
    `${year}年，本机关共收到政府信息公开申请${received}件，上年结转政府信息公开申请${carriedOver}件，` +
    `全部依法按时答复，结转下年度继续办理${carriedForward}件。`
  );
}

/** A consistent v2021 report for 2023: 25 table-3 rows, split （六）其他处理. */
function v2021Report(): ValidationInput {
  const meta: ReportMeta = {
    title: "某某县市场监督管理局2023年政府信息公开工作年度报告",
    organ: "某某县市场监督管理局",
    year: 2023,
    published_at: "2024-01-20",
    period: "2023-01-01/2023-12-31",
    template: "v2021",
    templates: { t2: "v2021", t3: "v2021", t4: "v2021" },
  };
  return {
    cells: { ...t2Cells("v2021"), ...t3Cells(false, false), ...t4Cells() },
    meta,
    found: { t2: true, t3: true, t4: true },
    t3RowsPrinted: 25,
    sectionsPresent: [...ALL_SECTIONS],
    narrative: { s1: s1(2023) },
  };
}

/** A consistent v2019 report for 2020: 23 table-3 rows, single （六）其他处理 row, zeros printed blank. */
function v2019Report(): ValidationInput {
  const meta: ReportMeta = {
    title: "某某区人民政府2020年政府信息公开工作年度报告",
    organ: "某某区人民政府",
    year: 2020,
    published_at: "2021-01-25",
    period: "2020-01-01/2020-12-31",
    template: "v2019",
    templates: { t2: "v2019", t3: "v2019", t4: "v2021" },
  };
  return {
    cells: { ...t2Cells("v2019"), ...t3Cells(true, true), ...t4Cells() },
    meta,
    found: { t2: true, t3: true, t4: true },
    t3RowsPrinted: 23,
    sectionsPresent: [...ALL_SECTIONS],
    narrative: { s1: s1(2020) },
  };
}

/** A 2023 report whose table 3 kept the single v2019 （六） row (otherwise consistent). */
function collapsedReport(): ValidationInput {
  const r = v2021Report();
  r.cells = { ...t2Cells("v2021"), ...t3Cells(true, false), ...t4Cells() };
  r.meta.templates.t3 = "v2021-collapsed-other";
  r.meta.template = "v2021-collapsed-other";
  r.t3RowsPrinted = 23;
  return r;
}

/** Replaces one cell's value (raw follows the value unless given). */
function set(input: ValidationInput, path: string, value: number | null, extra: Partial<Cell> = {}) {
  if (!(path in input.cells)) throw new Error(`no cell ${path}`);
  input.cells[path] = { ...cell(value), ...extra };
  return input;
}
function bump(input: ValidationInput, path: string, delta: number) {
  const v = input.cells[path]?.value;
  if (v === null || v === undefined) throw new Error(`no value at ${path}`);
  return set(input, path, v + delta);
}

const ruleIds = (fs: Finding[]) => [...new Set(fs.map((f) => f.rule))].sort();
const ofRule = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);
function only(fs: Finding[], rule: string, path?: string | null): Finding {
  const hits = fs.filter((f) => f.rule === rule && (path === undefined || f.path === path));
  expect(hits, `${rule} ${path ?? ""} in ${JSON.stringify(fs, null, 1)}`).toHaveLength(1);
  return hits[0]!;
}

interface Expectation {
  rule: string;
  severity?: Finding["severity"];
  path: string | null;
  /** Exactly the cells of the equation (order free). */
  paths?: string[];
  expected: number | string | null;
  actual: number | string | null;
  /** Defaults to actual − expected for numeric expectations. */
  residual?: number | null;
  message: string[];
}

function expectFinding(f: Finding, e: Expectation) {
  expect(f.rule).toBe(e.rule);
  expect(f.severity).toBe(e.severity ?? "error");
  expect(f.origin).toBe("source");
  expect(f.path).toBe(e.path);
  expect([...f.paths].sort()).toEqual([...(e.paths ?? (e.path ? [e.path] : []))].sort());
  expect(f.expected).toBe(e.expected);
  expect(f.actual).toBe(e.actual);
  const residual =
    e.residual !== undefined
      ? e.residual
      : typeof e.actual === "number" && typeof e.expected === "number"
        ? e.actual - e.expected
        : null;
  expect(f.residual).toBe(residual);
  for (const part of e.message) expect(f.message).toContain(part);
}

const p3 = (row: string, col: string) => `t3.${row}.${col}`;

// ------------------------------------------------------------------------------------------------ tests

describe("factories", () => {
  it("cover every template key with numbers that satisfy all identities", () => {
    const a = v2021Report();
    const b = v2019Report();
    expect(Object.keys(a.cells).filter((p) => p.startsWith("t3."))).toHaveLength(25 * 7);
    expect(Object.keys(b.cells).filter((p) => p.startsWith("t3."))).toHaveLength(23 * 7);
    expect(Object.keys(a.cells).filter((p) => p.startsWith("t4."))).toHaveLength(15);
    expect(Object.keys(a.cells).filter((p) => p.startsWith("t2."))).toHaveLength(t2Paths("v2021").length);
    expect(Object.keys(b.cells).filter((p) => p.startsWith("t2."))).toHaveLength(t2Paths("v2019").length);
    expect(a.cells["t3.new_requests.total"]?.value).toBe(12);
    expect(a.cells["t3.carried_over.total"]?.value).toBe(2);
    expect(a.cells["t3.results_total.total"]?.value).toBe(11);
    expect(a.cells["t3.carried_forward.total"]?.value).toBe(3);
    expect(b.cells["t3.other.subtotal.total"]?.value).toBe(3);
    expect(b.cells["t3.granted.research_institution"]).toMatchObject({ value: 0, source: "blank" });
  });
});

describe("consistent reports", () => {
  it("a consistent v2021 report yields no finding at all", () => {
    expect(validate(v2021Report())).toEqual([]);
  });

  it("a consistent v2019 report (zeros printed blank) yields no finding at all", () => {
    expect(validate(v2019Report())).toEqual([]);
  });

  it("a v2019 report for 2019 is as clean as one for 2020", () => {
    const r = v2019Report();
    r.meta.year = 2019;
    r.meta.period = "2019-01-01/2019-12-31";
    r.meta.published_at = "2020-01-31";
    r.narrative.s1 = s1(2019);
    expect(validate(r)).toEqual([]);
  });
});

describe("T3.R1 (一 + 二 = 三 + 四, per column)", () => {
  it.each(C7)("column %s: a carried-over count one too high breaks the identity", (c) => {
    const r = bump(v2021Report(), p3("carried_over", c), 1);
    const fs = validate(r);
    const n = t3Base("new_requests", c);
    const o = t3Base("carried_over", c) + 1;
    const t = t3Base("results_total", c);
    const fw = t3Base("carried_forward", c);
    const f = only(fs, "T3.R1");
    expectFinding(f, {
      rule: "T3.R1",
      path: p3("new_requests", c),
      paths: ["new_requests", "carried_over", "results_total", "carried_forward"].map((row) => p3(row, c)),
      expected: t + fw,
      actual: n + o,
      residual: 1,
      message: [
        `“${COL_LABEL[c]}”列`,
        `本年新收(${n})+上年结转(${o})=${n + o}`,
        `办理结果总计(${t})+结转下年度(${fw})=${t + fw}`,
        "勾稽关系不成立",
      ],
    });
    // Diagnosis hint of §6.1: R2 holds, R3 fails only in the perturbed row (unless the total itself moved).
    expect(ofRule(fs, "T3.R2")).toEqual([]);
    const r3 = only(fs, "T3.R3");
    expect(r3.path).toBe(p3("carried_over", "total"));
    expect(r3.residual).toBe(c === "total" ? 1 : -1);
  });

  it("double counting (results + carried forward > new + carried over) gives a negative residual", () => {
    const r = v2021Report();
    // 自然人: one more granted and one more concluded in total, so R2 still holds.
    bump(r, p3("granted", "natural_person"), 1);
    bump(r, p3("results_total", "natural_person"), 1);
    bump(r, p3("granted", "total"), 1);
    bump(r, p3("results_total", "total"), 1);
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["T3.R1"]);
    expect(fs).toHaveLength(2);
    const np = only(fs, "T3.R1", p3("new_requests", "natural_person"));
    expectFinding(np, {
      rule: "T3.R1",
      path: p3("new_requests", "natural_person"),
      paths: ["new_requests", "carried_over", "results_total", "carried_forward"].map((row) =>
        p3(row, "natural_person"),
      ),
      expected: 10,
      actual: 9,
      message: ["自然人", "本年新收(8)+上年结转(1)=9", "办理结果总计(8)+结转下年度(2)=10"],
    });
    expect(np.residual).toBe(-1);
    expect(only(fs, "T3.R1", p3("new_requests", "total")).residual).toBe(-1);
  });

  it("also holds in v2019 reports with blank zero cells", () => {
    const r = set(v2019Report(), p3("carried_forward", "research_institution"), 2);
    const f = only(validate(r), "T3.R1");
    expectFinding(f, {
      rule: "T3.R1",
      path: p3("new_requests", "research_institution"),
      paths: ["new_requests", "carried_over", "results_total", "carried_forward"].map((row) =>
        p3(row, "research_institution"),
      ),
      expected: 2,
      actual: 0,
      message: ["科研机构", "本年新收(0)+上年结转(0)=0", "办理结果总计(0)+结转下年度(2)=2"],
    });
  });
});

describe("T3.R2 (（七）总计 = sum of the result rows, per column)", () => {
  const splitRows = t3ResultRows(false);
  const collapsedRows = t3ResultRows(true);

  it("uses the three split other.* rows in v2021 and other.subtotal in v2019", () => {
    expect(splitRows).toHaveLength(21);
    expect(splitRows).toEqual(
      expect.arrayContaining(["other.no_correction", "other.fee_unpaid", "other.other"]),
    );
    expect(splitRows).not.toContain("other.subtotal");
    expect(collapsedRows).toHaveLength(19);
    expect(collapsedRows).toContain("other.subtotal");
  });

  it.each(C7)("v2021, column %s: （七）总计 one too high", (c) => {
    const r = bump(v2021Report(), p3("results_total", c), 1);
    const fs = validate(r);
    const t = t3Base("results_total", c);
    const f = only(fs, "T3.R2");
    expectFinding(f, {
      rule: "T3.R2",
      path: p3("results_total", c),
      paths: [...splitRows, "results_total"].map((row) => p3(row, c)),
      expected: t,
      actual: t + 1,
      message: [`“${COL_LABEL[c]}”列`, `（七）总计为${t + 1}`, `各项办理结果之和为${t}`],
    });
    expect(f.paths).toHaveLength(22);
    // The same cell also breaks R1 of its column and R3 of its row.
    expect(only(fs, "T3.R1").path).toBe(p3("new_requests", c));
    expect(only(fs, "T3.R3").path).toBe(p3("results_total", "total"));
  });

  it.each(["other.no_correction", "other.fee_unpaid", "other.other"])(
    "v2021: a wrong %s count is caught (each split （六） row is summed)",
    (row) => {
      const r = bump(v2021Report(), p3(row, "social_welfare_org"), 2);
      const f = only(validate(r), "T3.R2");
      expectFinding(f, {
        rule: "T3.R2",
        path: p3("results_total", "social_welfare_org"),
        paths: [...splitRows, "results_total"].map((x) => p3(x, "social_welfare_org")),
        expected: 2,
        actual: 0,
        message: ["社会公益组织", "（七）总计为0", "各项办理结果之和为2"],
      });
      expect(f.residual).toBe(-2);
    },
  );

  it("v2021: a denied.* row inside the sum (8 denied, 3 unable, 5 not processed)", () => {
    const r = bump(v2021Report(), p3("not_processed.confirm_or_reissue", "natural_person"), 1);
    const f = only(validate(r), "T3.R2");
    expectFinding(f, {
      rule: "T3.R2",
      path: p3("results_total", "natural_person"),
      paths: [...splitRows, "results_total"].map((x) => p3(x, "natural_person")),
      expected: 8,
      actual: 7,
      message: ["自然人", "（七）总计为7", "各项办理结果之和为8"],
    });
    expect(f.paths).toEqual(
      expect.arrayContaining([
        p3("denied.state_secret", "natural_person"),
        p3("denied.administrative_query", "natural_person"),
        p3("unable.unclear_after_correction", "natural_person"),
        p3("not_processed.confirm_or_reissue", "natural_person"),
      ]),
    );
  });

  it.each(C7)("v2019, column %s: a wrong other.subtotal is summed instead of the three split rows", (c) => {
    const r = bump(v2019Report(), p3("other.subtotal", c), 1);
    const fs = validate(r);
    const t = t3Base("results_total", c);
    const f = only(fs, "T3.R2");
    expectFinding(f, {
      rule: "T3.R2",
      path: p3("results_total", c),
      paths: [...collapsedRows, "results_total"].map((row) => p3(row, c)),
      expected: t + 1,
      actual: t,
      message: [`“${COL_LABEL[c]}”列`, `（七）总计为${t}`, `各项办理结果之和为${t + 1}`],
    });
    expect(f.paths).toHaveLength(20);
    expect(f.paths).not.toContain(p3("other.other", c));
  });

  it("v2021-collapsed-other reports are summed with other.subtotal", () => {
    const clean = validate(collapsedReport());
    expect(ofRule(clean, "T3.R2")).toEqual([]);
    const r = bump(collapsedReport(), p3("other.subtotal", "legal_service_org"), 1);
    const f = only(validate(r), "T3.R2");
    expectFinding(f, {
      rule: "T3.R2",
      path: p3("results_total", "legal_service_org"),
      paths: [...collapsedRows, "results_total"].map((row) => p3(row, "legal_service_org")),
      expected: 2,
      actual: 1,
      message: ["法律服务机构", "（七）总计为1", "各项办理结果之和为2"],
    });
  });
});

describe("T3.R3 (row total = sum of the six applicant columns)", () => {
  it("a total one too high in a denied row", () => {
    const row = "denied.third_party_rights";
    const r = bump(v2021Report(), p3(row, "total"), 1);
    const fs = validate(r);
    const f = only(fs, "T3.R3");
    expectFinding(f, {
      rule: "T3.R3",
      path: p3(row, "total"),
      paths: [...C6, "total"].map((c) => p3(row, c)),
      expected: 1,
      actual: 2,
      message: [row, "总计为2", "各类申请人之和为1"],
    });
    expect(f.residual).toBe(1);
  });

  it("an applicant cell one too high: residual −1 at the total of its row", () => {
    const r = bump(v2021Report(), p3("new_requests", "commercial_enterprise"), 1);
    const fs = validate(r);
    const f = only(fs, "T3.R3");
    expectFinding(f, {
      rule: "T3.R3",
      path: p3("new_requests", "total"),
      paths: C7.map((c) => p3("new_requests", c)),
      expected: 13,
      actual: 12,
      message: ["new_requests", "总计为12", "各类申请人之和为13"],
    });
    expect(f.residual).toBe(-1);
  });

  it("is checked for every row, including v2019's other.subtotal", () => {
    const r = set(v2019Report(), p3("other.subtotal", "total"), 4);
    const f = only(validate(r), "T3.R3");
    expectFinding(f, {
      rule: "T3.R3",
      path: p3("other.subtotal", "total"),
      paths: C7.map((c) => p3("other.subtotal", c)),
      expected: 3,
      actual: 4,
      message: ["other.subtotal", "总计为4", "各类申请人之和为3"],
    });
  });

  it("is skipped when the total cell is derived (computed, not printed)", () => {
    const r = v2021Report();
    set(r, p3("granted", "total"), 5, { source: "derived", raw: "" });
    const fs = validate(r);
    expect(ofRule(fs, "T3.R3")).toEqual([]);
    // The derived total still takes part in the column equation.
    expect(only(fs, "T3.R2").path).toBe(p3("results_total", "total"));
  });

  it("a derived total skips only its own row", () => {
    const r = v2021Report();
    set(r, p3("granted", "total"), 4, { source: "derived", raw: "" });
    bump(r, p3("unable.not_held", "total"), 1);
    const fs = validate(r);
    const f = only(fs, "T3.R3");
    expect(f.path).toBe(p3("unable.not_held", "total"));
  });
});

describe("T3.R4 (every table-3 cell an integer ≥ 0)", () => {
  it("a negative cell", () => {
    const path = p3("unable.not_held", "legal_service_org");
    const r = set(v2021Report(), path, -1);
    const f = only(validate(r), "T3.R4");
    expectFinding(f, {
      rule: "T3.R4",
      path,
      expected: null,
      actual: -1,
      residual: null,
      message: [path, "-1", "不是非负整数"],
    });
  });

  it("a non-integer cell", () => {
    const path = p3("granted", "natural_person");
    const r = set(v2021Report(), path, 2.5);
    const fs = validate(r);
    const f = only(fs, "T3.R4");
    expectFinding(f, {
      rule: "T3.R4",
      path,
      expected: null,
      actual: 2.5,
      residual: null,
      message: [path, "2.5", "不是非负整数"],
    });
  });

  it("zeros (printed, blank or dash) are fine", () => {
    const r = v2021Report();
    set(r, p3("denied.state_secret", "natural_person"), 0, { source: "dash", raw: "—" });
    set(r, p3("denied.state_secret", "commercial_enterprise"), 0, { source: "none", raw: "无" });
    expect(validate(r)).toEqual([]);
  });
});

describe("T4.R1 (group total = upheld + corrected + other + pending)", () => {
  it.each(T4_GROUPS.map((g) => [g.key, g.label] as const))("group %s", (key, label) => {
    const total = t4Base(key, "total");
    const r = bump(v2021Report(), `t4.${key}.total`, 1);
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["T4.R1"]);
    const f = only(fs, "T4.R1");
    expectFinding(f, {
      rule: "T4.R1",
      path: `t4.${key}.total`,
      paths: T4_COLUMNS.map((c) => `t4.${key}.${c.key}`),
      expected: total,
      actual: total + 1,
      message: [`“${label}”`, `总计为${total + 1}`, `维持、纠正、其他、尚未审结之和为${total}`],
    });
  });

  it("a component too high: negative residual", () => {
    const r = bump(v2019Report(), "t4.review.pending", 2);
    const f = only(validate(r), "T4.R1");
    expectFinding(f, {
      rule: "T4.R1",
      path: "t4.review.total",
      paths: T4_COLUMNS.map((c) => `t4.review.${c.key}`),
      expected: 6,
      actual: 4,
      message: ["行政复议", "总计为4", "之和为6"],
    });
    expect(f.residual).toBe(-2);
  });

  it("is skipped for a derived total", () => {
    const r = set(v2021Report(), "t4.litigation_direct.total", 3, { source: "derived", raw: "" });
    expect(validate(r)).toEqual([]);
  });

  it("never links table 4 to table 3 or review to litigation_after_review", () => {
    const r = v2021Report();
    for (const c of ["upheld", "corrected", "other", "pending", "total"]) {
      set(r, `t4.litigation_after_review.${c}`, t4Base("review", c) * 10);
    }
    expect(validate(r)).toEqual([]);
  });
});

describe("T4.R2 (every table-4 cell an integer ≥ 0)", () => {
  it("a negative cell", () => {
    const path = "t4.litigation_direct.pending";
    const r = set(v2021Report(), path, -1);
    const fs = validate(r);
    const f = only(fs, "T4.R2");
    expectFinding(f, {
      rule: "T4.R2",
      path,
      expected: null,
      actual: -1,
      residual: null,
      message: [path, "-1", "不是非负整数"],
    });
    expect(only(fs, "T4.R1").residual).toBe(1);
  });

  it("a non-integer cell", () => {
    const path = "t4.review.upheld";
    const r = set(v2019Report(), path, 1.5);
    const f = only(validate(r), "T4.R2");
    expectFinding(f, { rule: "T4.R2", path, expected: null, actual: 1.5, residual: null, message: ["1.5"] });
  });
});

describe("T2.R1 (v2021 table 2: counts integer ≥ 0, money ≥ 0)", () => {
  it("a negative count", () => {
    const path = "t2.regulations.issued";
    const r = set(v2021Report(), path, -1);
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["T2.R1"]);
    expectFinding(only(fs, "T2.R1"), {
      rule: "T2.R1",
      path,
      expected: null,
      actual: -1,
      residual: null,
      message: [path, "-1", "应为非负整数"],
    });
  });

  it("a non-integer count", () => {
    const path = "t2.penalty.decisions";
    const r = set(v2021Report(), path, 3.5);
    expectFinding(only(validate(r), "T2.R1"), {
      rule: "T2.R1",
      path,
      expected: null,
      actual: 3.5,
      residual: null,
      message: [path, "3.5", "应为非负整数"],
    });
  });

  it("a negative fee amount (万元)", () => {
    const path = "t2.admin_fees.amount_wan_yuan";
    const r = set(v2021Report(), path, -0.5, { decimal: "-0.5" });
    expectFinding(only(validate(r), "T2.R1"), {
      rule: "T2.R1",
      path,
      expected: null,
      actual: -0.5,
      residual: null,
      message: [path, "-0.5", "非负金额"],
    });
  });

  it("a decimal fee amount and a zero fee amount are fine", () => {
    const r = set(v2021Report(), "t2.admin_fees.amount_wan_yuan", 0.05, { decimal: "0.05" });
    expect(validate(r)).toEqual([]);
    expect(validate(set(v2021Report(), "t2.admin_fees.amount_wan_yuan", 0))).toEqual([]);
  });
});

describe("T2v19.R1 (v2019 table 2: counts ≥ 0, change signed, amount ≥ 0)", () => {
  it("a negative count", () => {
    const path = "t2.penalty.decisions";
    const r = set(v2019Report(), path, -2);
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["T2v19.R1"]);
    expectFinding(only(fs, "T2v19.R1"), {
      rule: "T2v19.R1",
      path,
      expected: null,
      actual: -2,
      residual: null,
      message: [path, "-2", "应为非负整数"],
    });
  });

  it("a negative 本年增/减 is allowed (the factory already has −3 and −2)", () => {
    const r = set(v2019Report(), "t2.coercion.change", -5);
    expect(validate(r)).toEqual([]);
  });

  it("a non-integer change is not", () => {
    const path = "t2.other_admin_services.change";
    const r = set(v2019Report(), path, -1.5);
    expectFinding(only(validate(r), "T2v19.R1"), {
      rule: "T2v19.R1",
      path,
      expected: null,
      actual: -1.5,
      residual: null,
      message: [path, "-1.5", "应为整数"],
    });
  });

  it("a negative procurement amount", () => {
    const path = "t2.central_procurement.amount";
    const r = set(v2019Report(), path, -10, { unit: "万元" });
    expectFinding(only(validate(r), "T2v19.R1"), {
      rule: "T2v19.R1",
      path,
      expected: null,
      actual: -10,
      residual: null,
      message: [path, "-10", "非负金额"],
    });
  });
});

describe("T2.W1 (v2021: issued ≤ in_force + repealed)", () => {
  it("more documents issued than in force plus repealed", () => {
    const r = set(v2021Report(), "t2.normative_documents.issued", 50);
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["T2.W1"]);
    expectFinding(only(fs, "T2.W1"), {
      rule: "T2.W1",
      severity: "warning",
      path: "t2.normative_documents.issued",
      paths: ["issued", "in_force", "repealed"].map((c) => `t2.normative_documents.${c}`),
      expected: 43,
      actual: 50,
      message: ["行政规范性文件", "本年制发50件", "现行有效40件", "本年废止3件"],
    });
  });

  it("regulations row, via a too small in_force", () => {
    const r = set(v2021Report(), "t2.regulations.in_force", 0);
    expectFinding(only(validate(r), "T2.W1"), {
      rule: "T2.W1",
      severity: "warning",
      path: "t2.regulations.issued",
      paths: ["issued", "in_force", "repealed"].map((c) => `t2.regulations.${c}`),
      expected: 1,
      actual: 2,
      message: ["“规章”", "本年制发2件", "现行有效0件", "本年废止1件"],
    });
  });

  it("equality is fine", () => {
    expect(validate(set(v2021Report(), "t2.normative_documents.issued", 43))).toEqual([]);
  });

  it("is not applied to v2019 reports", () => {
    const r = v2019Report();
    r.cells["t2.regulations.issued"] = cell(99);
    r.cells["t2.regulations.in_force"] = cell(0);
    r.cells["t2.regulations.repealed"] = cell(0);
    expect(ofRule(validate(r), "T2.W1")).toEqual([]);
  });
});

describe("T2v19.W1 (v2019: newly_published ≤ total_published)", () => {
  it("more newly published than published in total", () => {
    const r = set(v2019Report(), "t2.normative_documents.newly_published", 130);
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["T2v19.W1"]);
    expectFinding(only(fs, "T2v19.W1"), {
      rule: "T2v19.W1",
      severity: "warning",
      path: "t2.normative_documents.newly_published",
      paths: ["t2.normative_documents.newly_published", "t2.normative_documents.total_published"],
      expected: 120,
      actual: 130,
      message: ["本年新公开数量(130)", "对外公开总数量(120)"],
    });
  });

  it("regulations row", () => {
    const r = set(v2019Report(), "t2.regulations.total_published", 1);
    expectFinding(only(validate(r), "T2v19.W1"), {
      rule: "T2v19.W1",
      severity: "warning",
      path: "t2.regulations.newly_published",
      paths: ["t2.regulations.newly_published", "t2.regulations.total_published"],
      expected: 1,
      actual: 2,
      message: ["(2)", "(1)"],
    });
  });

  it("equality is fine, and newly_published > newly_made is not flagged", () => {
    expect(validate(set(v2019Report(), "t2.normative_documents.newly_published", 120))).toEqual([]);
    expect(validate(set(v2019Report(), "t2.normative_documents.newly_made", 1))).toEqual([]);
  });

  it("is not applied to v2021 reports", () => {
    const r = v2021Report();
    r.cells["t2.regulations.newly_published"] = cell(9);
    r.cells["t2.regulations.total_published"] = cell(1);
    expect(ofRule(validate(r), "T2v19.W1")).toEqual([]);
  });
});

describe("unread cells: equations with a null cell are skipped (blamed on extraction, not the source)", () => {
  const ambiguous = (candidates: number[], raw: string): Partial<Cell> => ({
    source: "ambiguous",
    raw,
    candidates,
  });

  it("a single ambiguous table-3 cell produces no source finding at all", () => {
    const r = set(v2021Report(), p3("new_requests", "natural_person"), null, ambiguous([8, 80], "80"));
    expect(validate(r)).toEqual([]);
  });

  it("T3.R1 / T3.R3 are skipped even when the rest of the equation is off", () => {
    const r = v2021Report();
    set(r, p3("carried_over", "natural_person"), null, { source: "unreadable", raw: "l" });
    bump(r, p3("new_requests", "natural_person"), 5);
    const fs = validate(r);
    // R1 of 自然人 and R3 of carried_over involve the null cell; R3 of new_requests does not.
    expect(ruleIds(fs)).toEqual(["T3.R3"]);
    expect(ofRule(fs, "T3.R3").map((f) => f.path)).toEqual([p3("new_requests", "total")]);
    expect(fs.some((f) => f.paths.includes(p3("carried_over", "natural_person")))).toBe(false);
  });

  it("T3.R2 is skipped when one result row is null, R1 on the same column still runs", () => {
    const r = v2021Report();
    set(r, p3("granted", "natural_person"), null, ambiguous([3, 30], "30"));
    bump(r, p3("results_total", "natural_person"), 1);
    const fs = validate(r);
    expect(ofRule(fs, "T3.R2")).toEqual([]);
    expect(ofRule(fs, "T3.R1").map((f) => f.path)).toEqual([p3("new_requests", "natural_person")]);
    expect(ofRule(fs, "T3.R3").map((f) => f.path)).toEqual([p3("results_total", "total")]);
  });

  it("T3.R3 is skipped when the total is null, T3.R4 ignores null cells", () => {
    const r = set(v2021Report(), p3("granted", "total"), null, { source: "unreadable", raw: "?" });
    bump(r, p3("granted", "research_institution"), 1);
    bump(r, p3("results_total", "research_institution"), 1);
    bump(r, p3("new_requests", "research_institution"), 1);
    const fs = validate(r);
    expect(
      ofRule(fs, "T3.R3")
        .map((f) => f.path)
        .sort(),
    ).toEqual([p3("new_requests", "total"), p3("results_total", "total")].sort());
    expect(ofRule(fs, "T3.R4")).toEqual([]);
  });

  it("a missing cell (no key at all) also skips the equation", () => {
    const r = v2021Report();
    delete r.cells[p3("carried_forward", "other_org")];
    bump(r, p3("carried_over", "other_org"), 1);
    bump(r, p3("carried_over", "total"), 1);
    const fs = validate(r);
    expect(ofRule(fs, "T3.R1").map((f) => f.path)).toEqual([p3("new_requests", "total")]);
  });

  it("T4.R1 is skipped when a component is null", () => {
    const r = set(v2021Report(), "t4.review.corrected", null, ambiguous([1, 11], "11"));
    bump(r, "t4.review.total", 7);
    expect(validate(r)).toEqual([]);
  });

  it("T2.W1 and T2v19.W1 are skipped when a cell is null", () => {
    const a = set(v2021Report(), "t2.normative_documents.in_force", null, { source: "unreadable", raw: "x" });
    set(a, "t2.normative_documents.issued", 500);
    expect(validate(a)).toEqual([]);
    const b = set(v2019Report(), "t2.regulations.total_published", null, { source: "unreadable", raw: "x" });
    set(b, "t2.regulations.newly_published", 500);
    expect(validate(b)).toEqual([]);
  });

  it("D.R1 is skipped when the table figure is null", () => {
    const r = set(v2021Report(), p3("new_requests", "total"), null, ambiguous([12, 120], "120"));
    r.narrative.s1 = s1(2023, 99);
    expect(validate(r)).toEqual([]);
  });
});

describe("D.R2 (template version matches the report year)", () => {
  it("a 2020 report in the v2021 format is an error", () => {
    const r = v2021Report();
    r.meta.year = 2020;
    r.meta.period = "2020-01-01/2020-12-31";
    r.meta.published_at = "2021-01-20";
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["D.R2"]);
    expectFinding(only(fs, "D.R2"), {
      rule: "D.R2",
      path: null,
      expected: "v2019",
      actual: "v2021",
      residual: null,
      message: ["2020年度报告", "应使用v2019格式", "实际使用v2021格式"],
    });
  });

  it("a 2021 report in the v2019 format is an error", () => {
    const r = v2019Report();
    r.meta.year = 2021;
    r.meta.period = "2021-01-01/2021-12-31";
    r.meta.published_at = "2022-01-20";
    const f = only(validate(r), "D.R2");
    expectFinding(f, {
      rule: "D.R2",
      path: null,
      expected: "v2021",
      actual: "v2019",
      residual: null,
      message: ["2021年度报告", "应使用v2021格式"],
    });
  });

  it("a hybrid (t2 = v2019, t3 = v2021) is an error, reported once", () => {
    const r = v2021Report();
    r.meta.templates.t2 = "v2019";
    r.meta.template = "hybrid";
    const fs = validate(r);
    expectFinding(only(fs, "D.R2"), {
      rule: "D.R2",
      path: null,
      expected: null,
      actual: "t2=v2019, t3=v2021",
      residual: null,
      message: ["表二使用v2019格式", "表三使用v2021格式", "混用"],
    });
  });

  it("a hybrid is flagged whatever the year", () => {
    const r = v2019Report();
    r.meta.templates.t3 = "v2021";
    expect(only(validate(r), "D.R2").actual).toBe("t2=v2019, t3=v2021");
  });

  it("table 4 alone never triggers it", () => {
    const r = v2021Report();
    r.meta.year = 2020;
    r.meta.period = null;
    r.meta.published_at = null;
    r.meta.templates = { t2: null, t3: null, t4: "v2021" };
    r.found = { t2: false, t3: false, t4: true };
    expect(ofRule(validate(r), "D.R2")).toEqual([]);
    const s = v2019Report();
    s.meta.templates.t4 = "v2019";
    expect(validate(s)).toEqual([]);
    const t = v2021Report();
    t.meta.templates.t4 = "v2019";
    expect(validate(t)).toEqual([]);
  });

  it("v2021-collapsed-other counts as the v2021 family (no D.R2, but D.R3)", () => {
    const fs = validate(collapsedReport());
    expect(ruleIds(fs)).toEqual(["D.R3"]);
  });

  it("an unknown year or a year before 2019 is not checked", () => {
    const r = v2021Report();
    r.meta.year = null;
    expect(validate(r)).toEqual([]);
    r.meta.year = 2018;
    r.meta.period = null;
    r.meta.published_at = null;
    expect(validate(r)).toEqual([]);
  });
});

describe("D.R3 (all three tables, all table-3 rows)", () => {
  it("a missing table", () => {
    const r = v2021Report();
    r.found.t4 = false;
    r.meta.templates.t4 = null;
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["D.R3"]);
    expectFinding(only(fs, "D.R3"), {
      rule: "D.R3",
      path: null,
      expected: null,
      actual: "t4",
      residual: null,
      message: ["缺少统计表", "表四（复议诉讼）"],
    });
  });

  it("two missing tables are listed together, without a row-count finding for table 3", () => {
    const r = v2021Report();
    r.found.t2 = false;
    r.found.t3 = false;
    r.t3RowsPrinted = 0;
    const fs = validate(r);
    const f = only(fs, "D.R3");
    expect(f.actual).toBe("t2,t3");
    expect(f.message).toContain("表二（主动公开）、表三（依申请公开）");
  });

  it("23 table-3 rows in a v2021 report", () => {
    const r = v2021Report();
    r.t3RowsPrinted = 23;
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["D.R3"]);
    expectFinding(only(fs, "D.R3"), {
      rule: "D.R3",
      path: null,
      expected: 25,
      actual: 23,
      // Row counts and years are not equations: no residual is reported for them.
      residual: null,
      message: ["表三应有25行", "实际找到23行"],
    });
  });

  it("24 rows in a v2019 report (23 expected)", () => {
    const r = v2019Report();
    r.t3RowsPrinted = 24;
    expectFinding(only(validate(r), "D.R3"), {
      rule: "D.R3",
      path: null,
      expected: 23,
      actual: 24,
      residual: null,
      message: ["表三应有23行", "实际找到24行"],
    });
  });

  it("a v2021 report that kept the single （六）其他处理 row says so", () => {
    const fs = validate(collapsedReport());
    expectFinding(only(fs, "D.R3"), {
      rule: "D.R3",
      path: null,
      expected: 25,
      actual: 23,
      residual: null,
      message: ["表三应有25行，实际23行", "（六）其他处理", "未按2021年格式拆分为三项"],
    });
  });
});

describe("D.R7 (title year, statistical period and publication date agree)", () => {
  it("a statistical period of another year", () => {
    const r = v2021Report();
    r.meta.period = "2022-01-01/2022-12-31";
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["D.R7"]);
    expectFinding(only(fs, "D.R7"), {
      rule: "D.R7",
      path: null,
      expected: 2023,
      actual: 2022,
      residual: null,
      message: ["标题年度为2023年", "统计期限却是2022年"],
    });
  });

  it("a publication date inside the report year", () => {
    const r = v2021Report();
    r.meta.published_at = "2023-12-15";
    expectFinding(only(validate(r), "D.R7"), {
      rule: "D.R7",
      path: null,
      expected: "> 2023-12-31",
      actual: "2023-12-15",
      residual: null,
      message: ["2023年度报告", "2023-12-15", "早于报告年度结束"],
    });
  });

  it("31 December is still inside the year; 1 January of the next year is fine", () => {
    const r = v2021Report();
    r.meta.published_at = "2023-12-31";
    expect(only(validate(r), "D.R7").actual).toBe("2023-12-31");
    r.meta.published_at = "2024-01-01";
    expect(validate(r)).toEqual([]);
  });

  it("both defects at once give two findings; unknown period or date gives none", () => {
    const r = v2021Report();
    r.meta.period = "2024-01-01/2024-12-31";
    r.meta.published_at = "2023-06-30";
    expect(ofRule(validate(r), "D.R7")).toHaveLength(2);
    r.meta.period = null;
    r.meta.published_at = null;
    expect(validate(r)).toEqual([]);
  });
});

describe("D.R8 (six section headings)", () => {
  it("missing headings are listed", () => {
    const r = v2021Report();
    r.sectionsPresent = ["s1_overview", "s2_proactive", "s3_applications", "s4_review_litigation"];
    const fs = validate(r);
    expect(ruleIds(fs)).toEqual(["D.R8"]);
    expectFinding(only(fs, "D.R8"), {
      rule: "D.R8",
      severity: "warning",
      path: null,
      expected: null,
      actual: "s5_problems,s6_other",
      residual: null,
      message: ["缺少以下部分的标题", "五、存在的主要问题及改进情况；六、其他需要报告的事项"],
    });
  });

  it("no heading at all: all six listed", () => {
    const r = v2021Report();
    r.sectionsPresent = [];
    const f = only(validate(r), "D.R8");
    expect(f.actual).toBe(ALL_SECTIONS.join(","));
    for (const s of SECTIONS) expect(f.message).toContain(s.heading);
  });
});

describe("D.R1 (section-一 figures agree with table 3)", () => {
  const withS1 = (text: string) => {
    const r = v2021Report();
    r.narrative.s1 = text;
    return r;
  };

  it("本年共收到政府信息公开申请12件 vs new_requests.total 12: no finding", () => {
    expect(validate(withS1("本年共收到政府信息公开申请12件。"))).toEqual([]);
  });

  it("13 against 12: a warning with residual 1", () => {
    const fs = validate(withS1("本年共收到政府信息公开申请13件。"));
    expect(ruleIds(fs)).toEqual(["D.R1"]);
    expectFinding(only(fs, "D.R1"), {
      rule: "D.R1",
      severity: "warning",
      path: "t3.new_requests.total",
      expected: 12,
      actual: 13,
      message: ["收到申请数为13件", "表三为12件", "收到政府信息公开申请13件"],
    });
    expect(fs[0]!.residual).toBe(1);
  });

  it("a count equal to new + carried over (12 + 2) is accepted", () => {
    expect(validate(withS1("本年共受理政府信息公开申请14件（含上年结转2件）。"))).toEqual([]);
  });

  it("a smaller count gives a negative residual; whitespace inside the figure is ignored", () => {
    const f = only(validate(withS1("本年度新收 政府信息公开申请 10 件。")), "D.R1");
    expect(f).toMatchObject({ expected: 12, actual: 10, residual: -2, path: "t3.new_requests.total" });
  });

  it("结转下年度继续办理3件 vs carried_forward 3: no finding; 4: warning", () => {
    expect(validate(withS1("结转下年度继续办理3件。"))).toEqual([]);
    const fs = validate(withS1("结转下年度继续办理4件。"));
    expectFinding(only(fs, "D.R1"), {
      rule: "D.R1",
      severity: "warning",
      path: "t3.carried_forward.total",
      expected: 3,
      actual: 4,
      message: ["结转下年度数为4件", "表三为3件", "结转下年度继续办理4件"],
    });
  });

  it("上年结转 figure vs carried_over", () => {
    const fs = validate(withS1("上年结转政府信息公开申请5件。"));
    expectFinding(only(fs, "D.R1"), {
      rule: "D.R1",
      severity: "warning",
      path: "t3.carried_over.total",
      expected: 2,
      actual: 5,
      message: ["上年结转数为5件", "表三为2件"],
    });
  });

  it("all three figures wrong: three warnings", () => {
    const fs = validate(withS1(s1(2023, 20, 7, 9)));
    expect(ofRule(fs, "D.R1").map((f) => [f.path, f.residual])).toEqual([
      ["t3.new_requests.total", 8],
      ["t3.carried_over.total", 5],
      ["t3.carried_forward.total", 6],
    ]);
  });

  it("prose without these figures gives nothing", () => {
    expect(validate(withS1("本机关认真贯彻落实《条例》，全年未收到行政复议申请。"))).toEqual([]);
  });

  // Word-made reports print figures in the prose with full-width digits.
  it("full-width digits in the prose are read too (１３ vs 12 → warning)", () => {
    const fs = validate(withS1("本年共收到政府信息公开申请１３件。"));
    expect(only(fs, "D.R1")).toMatchObject({ expected: 12, actual: 13, residual: 1 });
  });

  // Spec §6.5 D.R1: "答复N件" is compared with `results_total.total`.
  it("答复N件 is compared with results_total.total (10 vs 11 → warning)", () => {
    const fs = validate(withS1("本年共收到政府信息公开申请12件，已答复政府信息公开申请10件。"));
    expect(only(fs, "D.R1")).toMatchObject({
      path: "t3.results_total.total",
      expected: 11,
      actual: 10,
      residual: -1,
    });
  });
});
