/**
 * Single-report consistency rules (spec §6). Pure: a report's cells and meta in, findings out.
 * Integer identities have zero tolerance. An equation is only checked when all its cells were
 * read; cells we could not read already carry an extraction finding and must not also be blamed
 * on the source.
 */
import type { Cell, Finding, ReportMeta } from "../model/report.js";
import {
  SECTIONS,
  T3_COLUMN_KEYS,
  T3_COLUMNS,
  T4_COLUMNS,
  T4_GROUPS,
  t3ResultRows,
} from "../model/template.js";
import { finding } from "./findings.js";

export interface ValidationInput {
  cells: Record<string, Cell>;
  meta: ReportMeta;
  found: { t2: boolean; t3: boolean; t4: boolean };
  t3RowsPrinted: number;
  sectionsPresent: string[];
  narrative: { s1: string };
  /** The organ's level from a catalogue; without it the level is read from the organ's name. */
  organLevel?: "department" | "government";
}

const COL_LABEL = Object.fromEntries(T3_COLUMNS.map((c) => [c.key, c.label]));

function values(cells: Record<string, Cell>, paths: string[]): number[] | null {
  const out: number[] = [];
  for (const p of paths) {
    const v = cells[p]?.value;
    if (v === null || v === undefined) return null;
    out.push(v);
  }
  return out;
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function equation(
  rule: string,
  cells: Record<string, Cell>,
  lhs: string,
  rhs: string[],
  message: (expected: number, actual: number) => string,
): Finding | null {
  const l = values(cells, [lhs]);
  const r = values(cells, rhs);
  if (!l || !r) return null;
  const expected = sum(r);
  const actual = l[0]!;
  if (expected === actual) return null;
  return finding({
    rule,
    severity: "error",
    origin: "source",
    path: lhs,
    paths: [...rhs, lhs],
    expected,
    actual,
    residual: actual - expected,
    message: message(expected, actual),
  });
}

/** Every read cell of a count table is a non-negative integer (T3.R4, T4.R2). */
function nonNegativeIntegers(
  cells: Record<string, Cell>,
  table: string,
  rule: string,
  name: string,
): Finding[] {
  return Object.entries(cells)
    .filter(([path, cell]) => path.startsWith(`${table}.`) && cell.value !== null)
    .filter(([, cell]) => !Number.isInteger(cell.value) || (cell.value ?? 0) < 0)
    .map(([path, cell]) =>
      finding({
        rule,
        severity: "error",
        origin: "source",
        path,
        actual: cell.value,
        message: `${name}单元格 ${path} 的值 ${cell.raw} 不是非负整数`,
      }),
    );
}

function t3Rules(cells: Record<string, Cell>, collapsedOther: boolean): Finding[] {
  const out: Finding[] = [];
  const rows = [
    ...new Set(
      Object.keys(cells)
        .filter((p) => p.startsWith("t3."))
        .map((p) => p.slice(3, p.lastIndexOf("."))),
    ),
  ];
  for (const c of T3_COLUMN_KEYS) {
    const p = (r: string) => `t3.${r}.${c}`;
    const v = values(cells, [p("new_requests"), p("carried_over"), p("results_total"), p("carried_forward")]);
    if (v && v[0]! + v[1]! !== v[2]! + v[3]!) {
      out.push(
        finding({
          rule: "T3.R1",
          severity: "error",
          origin: "source",
          path: p("new_requests"),
          paths: [p("new_requests"), p("carried_over"), p("results_total"), p("carried_forward")],
          expected: v[2]! + v[3]!,
          actual: v[0]! + v[1]!,
          residual: v[0]! + v[1]! - (v[2]! + v[3]!),
          message: `表三“${COL_LABEL[c]}”列：本年新收(${v[0]})+上年结转(${v[1]})=${v[0]! + v[1]!}，不等于办理结果总计(${v[2]})+结转下年度(${v[3]})=${v[2]! + v[3]!}（勾稽关系不成立）`,
        }),
      );
    }
    const r2 = equation(
      "T3.R2",
      cells,
      p("results_total"),
      t3ResultRows(collapsedOther).map(p),
      (e, a) => `表三“${COL_LABEL[c]}”列：（七）总计为${a}，而各项办理结果之和为${e}`,
    );
    if (r2) out.push(r2);
  }
  for (const r of rows) {
    const total = cells[`t3.${r}.total`];
    if (total?.source === "derived") continue;
    const f = equation(
      "T3.R3",
      cells,
      `t3.${r}.total`,
      T3_COLUMN_KEYS.slice(0, 6).map((c) => `t3.${r}.${c}`),
      (e, a) => `表三“${r}”行：总计为${a}，而各类申请人之和为${e}`,
    );
    if (f) out.push(f);
  }
  out.push(...nonNegativeIntegers(cells, "t3", "T3.R4", "表三"));
  return out;
}

function t4Rules(cells: Record<string, Cell>): Finding[] {
  const out: Finding[] = [];
  for (const g of T4_GROUPS) {
    const parts = T4_COLUMNS.slice(0, 4).map((c) => `t4.${g.key}.${c.key}`);
    if (cells[`t4.${g.key}.total`]?.source === "derived") continue;
    const f = equation(
      "T4.R1",
      cells,
      `t4.${g.key}.total`,
      parts,
      (e, a) => `表四“${g.label}”：总计为${a}，而维持、纠正、其他、尚未审结之和为${e}`,
    );
    if (f) out.push(f);
  }
  out.push(...nonNegativeIntegers(cells, "t4", "T4.R2", "表四"));
  return out;
}

function t2Rules(cells: Record<string, Cell>, template: string | null): Finding[] {
  const out: Finding[] = [];
  const rule = template === "v2019" ? "T2v19.R1" : "T2.R1";
  for (const [path, cell] of Object.entries(cells)) {
    if (!path.startsWith("t2.") || cell.value === null) continue;
    const signed = path.endsWith(".change");
    const money = path.endsWith(".amount") || path.endsWith(".amount_wan_yuan");
    const bad = money ? cell.value < 0 : !Number.isInteger(cell.value) || (!signed && cell.value < 0);
    if (bad) {
      out.push(
        finding({
          rule,
          severity: "error",
          origin: "source",
          path,
          actual: cell.value,
          message: `表二单元格 ${path} 的值 ${cell.raw} 不符合要求（应为${money ? "非负金额" : signed ? "整数" : "非负整数"}）`,
        }),
      );
    }
  }
  if (template === "v2021") {
    for (const r of ["regulations", "normative_documents"]) {
      const v = values(cells, [`t2.${r}.issued`, `t2.${r}.in_force`, `t2.${r}.repealed`]);
      if (v && v[0]! > v[1]! + v[2]!) {
        out.push(
          finding({
            rule: "T2.W1",
            severity: "warning",
            origin: "source",
            path: `t2.${r}.issued`,
            paths: [`t2.${r}.issued`, `t2.${r}.in_force`, `t2.${r}.repealed`],
            expected: v[1]! + v[2]!,
            actual: v[0]!,
            residual: v[0]! - (v[1]! + v[2]!),
            message: `表二“${r === "regulations" ? "规章" : "行政规范性文件"}”：本年制发${v[0]}件，多于现行有效${v[1]}件与本年废止${v[2]}件之和`,
          }),
        );
      }
    }
  } else if (template === "v2019") {
    for (const r of ["regulations", "normative_documents"]) {
      const v = values(cells, [`t2.${r}.newly_published`, `t2.${r}.total_published`]);
      if (v && v[0]! > v[1]!) {
        out.push(
          finding({
            rule: "T2v19.W1",
            severity: "warning",
            origin: "source",
            path: `t2.${r}.newly_published`,
            paths: [`t2.${r}.newly_published`, `t2.${r}.total_published`],
            expected: v[1]!,
            actual: v[0]!,
            residual: v[0]! - v[1]!,
            message: `表二：本年新公开数量(${v[0]})大于对外公开总数量(${v[1]})`,
          }),
        );
      }
    }
  }
  return out;
}

function documentRules(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  const { meta, found } = input;
  const year = meta.year;
  // D.R2 — template against year; table 4 is identical in both templates and cannot tell.
  const t2 = meta.templates.t2;
  const t3 = meta.templates.t3;
  const family = (t: string | null) => (t === null ? null : t === "v2019" ? "v2019" : "v2021");
  if (family(t2) && family(t3) && family(t2) !== family(t3)) {
    out.push(
      finding({
        rule: "D.R2",
        severity: "error",
        origin: "source",
        actual: `t2=${t2}, t3=${t3}`,
        message: `表二使用${t2}格式而表三使用${t3}格式，新旧模板混用`,
      }),
    );
  } else if (year !== null && year >= 2019) {
    const expected = year <= 2020 ? "v2019" : "v2021";
    const used = family(t2) ?? family(t3);
    if (used && used !== expected) {
      out.push(
        finding({
          rule: "D.R2",
          severity: "error",
          origin: "source",
          expected,
          actual: used,
          message: `${year}年度报告应使用${expected}格式，实际使用${used}格式`,
        }),
      );
    }
  }
  // D.R3 — all tables, all rows.
  const missing = (["t2", "t3", "t4"] as const).filter((t) => !found[t]);
  if (missing.length > 0) {
    out.push(
      finding({
        rule: "D.R3",
        severity: "error",
        origin: "source",
        actual: missing.join(","),
        message: `缺少统计表：${missing.map((t) => ({ t2: "表二（主动公开）", t3: "表三（依申请公开）", t4: "表四（复议诉讼）" })[t]).join("、")}`,
      }),
    );
  }
  if (found.t3) {
    const expectedRows = t3 === "v2021" || t3 === "v2021-collapsed-other" ? 25 : 23;
    if (input.t3RowsPrinted !== expectedRows) {
      out.push(
        finding({
          rule: "D.R3",
          severity: "error",
          origin: "source",
          expected: expectedRows,
          actual: input.t3RowsPrinted,
          message:
            t3 === "v2021-collapsed-other"
              ? `表三应有${expectedRows}行，实际${input.t3RowsPrinted}行：“（六）其他处理”未按2021年格式拆分为三项`
              : `表三应有${expectedRows}行，实际找到${input.t3RowsPrinted}行`,
        }),
      );
    }
  }
  // D.R4 — published by the Art. 49 deadline.
  const late = deadlineFinding(meta, input.organLevel);
  if (late) out.push(late);
  // D.R7 — year, statistical period and publication date agree.
  if (year !== null) {
    const periodYear = meta.period ? Number(meta.period.slice(0, 4)) : null;
    if (periodYear !== null && periodYear !== year) {
      out.push(
        finding({
          rule: "D.R7",
          severity: "error",
          origin: "source",
          expected: year,
          actual: periodYear,
          message: `标题年度为${year}年，统计期限却是${periodYear}年`,
        }),
      );
    }
    if (meta.published_at && meta.published_at <= `${year}-12-31`) {
      out.push(
        finding({
          rule: "D.R7",
          severity: "error",
          origin: "source",
          expected: `> ${year}-12-31`,
          actual: meta.published_at,
          message: `${year}年度报告的发布日期${meta.published_at}早于报告年度结束`,
        }),
      );
    }
  }
  // D.R8 — six section headings.
  const absent = SECTIONS.filter((s) => !input.sectionsPresent.includes(s.key));
  if (absent.length > 0) {
    out.push(
      finding({
        rule: "D.R8",
        severity: "warning",
        origin: "source",
        actual: absent.map((s) => s.key).join(","),
        message: `缺少以下部分的标题：${absent.map((s) => s.heading).join("；")}`,
      }),
    );
  }
  out.push(...narrativeRules(input));
  return out;
}

/**
 * Organ level from its name, for the Art. 49 deadline (spec §1.2): a people's government (or a
 * region's administrative committee) publishes by 31 March, a government department by 31 January.
 * Townships are not named in Art. 49, and a name that says neither gives no deadline at all.
 */
export function organLevel(organ: string | null): "government" | "department" | null {
  if (!organ) return null;
  const name = organ.replace(/\s+/g, "");
  if (/[乡镇]人民政府$|街道办事处$/.test(name)) return null;
  if (/人民政府$|管理委员会$|管委会$|(?:实验|新|开发|示范)区$/.test(name)) return "government";
  if (/(?:局|委员会|委|厅|办公室|办|中心|院|署|所|站|队)$/.test(name)) return "department";
  return null;
}

/** Art. 49 (spec §1.2): a department's report by 31 January, a government's by 31 March of the next year. */
export function publicationDeadline(level: "government" | "department", year: number): string {
  return `${year + 1}-${level === "government" ? "03-31" : "01-31"}`;
}

function deadlineFinding(meta: ReportMeta, known?: "government" | "department"): Finding | null {
  const level = known ?? organLevel(meta.organ);
  if (!level || meta.year === null || !meta.published_at) return null; // unknown: uncertain, not late
  const deadline = publicationDeadline(level, meta.year);
  if (meta.published_at.slice(0, 10) <= deadline) return null;
  return finding({
    rule: "D.R4",
    severity: "warning",
    origin: "source",
    expected: `≤ ${deadline}`,
    actual: meta.published_at,
    message: `${meta.organ}（${known ? "按机构目录为" : "按名称判断为"}${level === "government" ? "人民政府，应于3月31日前" : "政府部门，应于1月31日前"}公布）的${meta.year}年度报告于${meta.published_at}发布，晚于${deadline}`,
  });
}

/** D.R1 — figures the overview states about applications agree with table 3. */
function narrativeRules(input: ValidationInput): Finding[] {
  const out: Finding[] = [];
  // NFKC: Word-made reports print figures in full-width digits (`１３件`).
  const text = input.narrative.s1.normalize("NFKC").replace(/\s+/g, "");
  const cells = input.cells;
  const v = (p: string) => cells[p]?.value ?? null;
  const checks: { re: RegExp; accept: (n: number) => boolean; path: string; what: string }[] = [
    {
      re: /(?:收到|受理|新收)[^，。；,;]{0,12}?政府信息公开申请(\d+)[件份个条]/,
      // Reports count either this year's new requests or new plus carried over.
      accept: (n) =>
        n === v("t3.new_requests.total") ||
        n === (v("t3.new_requests.total") ?? 0) + (v("t3.carried_over.total") ?? 0),
      path: "t3.new_requests.total",
      what: "收到申请数",
    },
    {
      re: /上年结转[^，。；,;]{0,12}?申请(\d+)[件份个]/,
      accept: (n) => n === v("t3.carried_over.total"),
      path: "t3.carried_over.total",
      what: "上年结转数",
    },
    {
      // Only statements about all concluded requests (`答复政府信息公开申请N件`), not a subset
      // such as `同意公开答复9件`.
      re: /(?:答复|办结)了?(?:政府信息公开)?申请(\d+)[件份个]/,
      accept: (n) => n === v("t3.results_total.total"),
      path: "t3.results_total.total",
      what: "答复（办结）申请数",
    },
    {
      re: /(?:结转下一?年度|转下一?年度)[^，。；,;]{0,10}?(\d+)[件份个]/,
      accept: (n) => n === v("t3.carried_forward.total"),
      path: "t3.carried_forward.total",
      what: "结转下年度数",
    },
  ];
  for (const c of checks) {
    const m = c.re.exec(text);
    const table = v(c.path);
    if (!m || table === null) continue;
    const n = Number(m[1]);
    if (!c.accept(n)) {
      out.push(
        finding({
          rule: "D.R1",
          severity: "warning",
          origin: "source",
          path: c.path,
          expected: table,
          actual: n,
          residual: n - table,
          message: `正文称${c.what}为${n}件（“${m[0]}”），表三为${table}件`,
        }),
      );
    }
  }
  return out;
}

export function validate(input: ValidationInput): Finding[] {
  const t3 = input.meta.templates.t3;
  const collapsed = t3 === "v2019" || t3 === "v2021-collapsed-other";
  return [
    ...(input.found.t2 ? t2Rules(input.cells, input.meta.templates.t2) : []),
    ...(input.found.t3 ? t3Rules(input.cells, collapsed) : []),
    ...(input.found.t4 ? t4Rules(input.cells) : []),
    ...documentRules(input),
  ];
}
