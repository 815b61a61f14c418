/**
 * Table 2 (proactive disclosure, two templates) and table 4 (review and litigation, 15 numbers).
 */
import { normalizeLabel } from "../model/normalize.js";
import type { Cell, ExtraRow, Finding } from "../model/report.js";
import { type T2Block, T4_PATHS, t2Blocks } from "../model/template.js";
import { finding, X } from "./findings.js";
import { captionBlock, matchRowLabel } from "./labels.js";
import type { RowView } from "./map-rows.js";
import { countFindings, deriveTotal, mergeReadings, readRow } from "./map-values.js";

export interface TableResult {
  found: boolean;
  cells: Record<string, Cell>;
  extraRows: ExtraRow[];
  findings: Finding[];
}

const V2021_MARKERS = /制发件数|废止件数|现行有效|本年处理决定数量|收费金额|行政规范性文件/g;
const V2019_MARKERS =
  /新制作|新公开|对外公开总数|上一年项目|增\/减|其他对外管理服务|集中采购|第二十条第\(九\)项/g;

/** Table-2 template by its header tokens (spec §9 step 2); null when neither shows. */
export function detectT2Template(rows: RowView[]): "v2019" | "v2021" | null {
  const text = rows.map((r) => r.norm).join("");
  const v21 = text.match(V2021_MARKERS)?.length ?? 0;
  const v19 = text.match(V2019_MARKERS)?.length ?? 0;
  if (v21 === 0 && v19 === 0) return null;
  return v19 > v21 ? "v2019" : "v2021";
}

function ambiguityFindings(
  table: string,
  paths: string[],
  cells: Cell[],
  run: string | undefined,
): Finding[] {
  const open = paths.filter((_, i) => cells[i]?.source === "ambiguous");
  if (open.length === 0) return [];
  return [
    finding({
      rule: X.AMBIGUOUS,
      severity: "warning",
      origin: "extraction",
      path: open[0]!,
      paths: open,
      actual: run ?? null,
      message: `${table}中数字粘连（${run ?? ""}），有多种拆分方式都成立，无法唯一确定这些单元格`,
    }),
  ];
}

export function mapT2(rows: RowView[], template: "v2019" | "v2021"): TableResult {
  const blocks = t2Blocks(template);
  const cells: Record<string, Cell> = {};
  const findings: Finding[] = [];
  const extraRows: ExtraRow[] = [];
  let block: T2Block | undefined;
  let found = false;
  for (const view of rows) {
    const caption = view.labels.map(captionBlock).find(Boolean);
    if (caption) {
      block = blocks.find((b) => b.key === caption) ?? block;
      found = true;
    }
    if (view.values.length === 0) continue;
    const inBlock = block ? matchRowLabel(view.labels, block.rows) : null;
    const match =
      inBlock ??
      matchRowLabel(
        view.labels,
        blocks.flatMap((b) => b.rows),
      );
    if (!match) {
      // Captions and headers carry colspan padding (empty cells), not values: not extra rows.
      const padding = view.values.every((v) => v.text.trim() === "");
      if (!padding && view.labels.length > 0 && !/^信息内容/.test(normalizeLabel(view.labels.join("")))) {
        extraRows.push({
          table: "t2",
          label: view.labels.join(" "),
          values: view.values.map((v) => v.text),
          loc: view.first ? { ...view.first.loc } : null,
        });
      }
      continue;
    }
    const owner = blocks.find((b) => b.rows.includes(match.row))!;
    const paths = owner.columns.map((c) => `t2.${match.row.key}.${c.key}`);
    if (paths.every((p) => cells[p] && cells[p].source !== "missing")) continue; // first printing wins
    found = true;
    const reading = readRow(
      view.values,
      owner.columns.map((c) => ({ kind: c.kind, ...(c.key === "amount_wan_yuan" ? { unit: "万元" } : {}) })),
    );
    const row = reading.readings.length > 0 ? mergeReadings(reading.readings, reading.run) : null;
    paths.forEach((p, i) => {
      cells[p] = row?.[i] ?? { value: null, raw: reading.run ?? "", source: "unreadable", loc: null };
    });
    findings.push(...countFindings("表二", match.row.label, paths, reading));
    if (row) findings.push(...ambiguityFindings("表二", paths, row, reading.run));
    else {
      findings.push(
        finding({
          rule: X.UNREADABLE,
          severity: "error",
          origin: "extraction",
          path: paths[0]!,
          paths,
          actual: reading.run ?? null,
          message: `表二“${match.row.label}”行的数值无法读取（${reading.run ?? view.values.map((v) => v.text).join(" ")}）`,
        }),
      );
    }
  }
  for (const b of blocks) {
    for (const r of b.rows) {
      const paths = b.columns.map((c) => `t2.${r.key}.${c.key}`);
      for (const p of paths) cells[p] ??= { value: null, raw: "", source: "missing", loc: null };
      // A row of a table that is there but was not read: the source may lack it, or extraction
      // may have lost it — either way its cells are no zeros, and the report must not read as whole.
      if (found && paths.every((p) => cells[p]!.source === "missing"))
        findings.push(
          finding({
            rule: X.MISSING_ROW,
            severity: "warning",
            origin: "extraction",
            path: paths[0]!,
            paths,
            message: `表二中没有找到“${b.caption}”的“${r.label}”这一行`,
          }),
        );
    }
  }
  return { found, cells, extraRows, findings };
}

const T4_SPECS = T4_PATHS.map(() => ({ kind: "count" as const }));

function t4GroupsHold(v: number[]): boolean {
  for (let g = 0; g < 3; g++) {
    const o = g * 5;
    if (v[o + 4] !== (v[o] ?? 0) + (v[o + 1] ?? 0) + (v[o + 2] ?? 0) + (v[o + 3] ?? 0)) return false;
  }
  return true;
}

export function mapT4(rows: RowView[]): TableResult {
  const findings: Finding[] = [];
  const values = rows.flatMap((r) => (r.values.some((v) => /\d/.test(v.text)) ? r.values : []));
  const cells: Record<string, Cell> = {};
  if (values.length === 0) {
    for (const p of T4_PATHS) cells[p] = { value: null, raw: "", source: "missing", loc: null };
    if (rows.length > 0)
      findings.push(
        finding({
          rule: X.MISSING_ROW,
          severity: "warning",
          origin: "extraction",
          path: T4_PATHS[0]!,
          paths: [...T4_PATHS],
          message: "表四只找到表头，没有找到数值行",
        }),
      );
    return { found: rows.length > 0, cells, extraRows: [], findings };
  }
  const reading = readRow(values, T4_SPECS, t4GroupsHold);
  const row = reading.readings.length > 0 ? mergeReadings(reading.readings, reading.run) : null;
  T4_PATHS.forEach((p, i) => {
    cells[p] = row?.[i] ?? { value: null, raw: reading.run ?? "", source: "unreadable", loc: null };
  });
  if (row) {
    for (let g = 0; g < 3; g++) deriveTotal(row, g * 5, g * 5 + 4);
    T4_PATHS.forEach((p, i) => {
      cells[p] = row[i]!;
    });
    findings.push(...ambiguityFindings("表四", T4_PATHS, row, reading.run));
  } else {
    findings.push(
      finding({
        rule: X.UNREADABLE,
        severity: "error",
        origin: "extraction",
        path: T4_PATHS[0]!,
        paths: T4_PATHS,
        actual: reading.run ?? null,
        message: `表四的数字粘连（${reading.run ?? ""}），没有任何拆分能满足各组合计，无法读取`,
      }),
    );
  }
  findings.push(...countFindings("表四", "复议、诉讼", [...T4_PATHS], reading));
  return { found: true, cells, extraRows: [], findings };
}
