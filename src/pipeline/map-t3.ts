/**
 * Table 3 (requests received and how they were handled): rows found by label, unlabelled rows
 * placed by print order between labelled neighbours, glued digits solved across the whole table
 * under its own equations (row sums, item sums, 一+二 = 三(七)+四).
 */

import { normalizeLabel } from "../model/normalize.js";
import type { Cell, ExtraRow, Finding } from "../model/report.js";
import {
  type RowDef,
  T3_ALL_ROWS,
  T3_COLUMN_KEYS,
  T3_COLUMNS,
  T3_ROWS_V2019,
  T3_ROWS_V2021,
  t3ResultRows,
} from "../model/template.js";
import { finding, X } from "./findings.js";
import { matchRowLabel } from "./labels.js";
import { digitCount, type RowView, valueTokens } from "./map-rows.js";
import { countFindings, deriveTotal, mergeReadings, type RowReading, readRow } from "./map-values.js";
import { solveRows } from "./split.js";

export interface T3Result {
  found: boolean;
  collapsedOther: boolean;
  cells: Record<string, Cell>;
  extraRows: ExtraRow[];
  findings: Finding[];
  /** Template rows actually printed (labelled or placed). */
  rowsPrinted: number;
}

const SPLIT_OTHER = new Set(["other.no_correction", "other.fee_unpaid", "other.other"]);
const COLUMNS = T3_COLUMNS.map((c) => ({ kind: c.kind }));
const rowSumHolds = (v: number[]) => v[6] === v.slice(0, 6).reduce((a, b) => a + b, 0);

interface Entry {
  view: RowView;
  def: RowDef | null;
}

function isDataRow(view: RowView, def: RowDef | null): boolean {
  if (view.values.length === 0) return false;
  if (def) return true;
  // An unlabelled row must carry numbers, not just header padding.
  const tokens = valueTokens(view.values).filter((t) => t.text !== "");
  return tokens.length >= 2 || digitCount(tokens) >= 7;
}

/** A label that is only a group heading (`（三）不予公开`) or says 小计: a subtotal row, not a template row. */
function isGroupSubtotal(view: RowView): boolean {
  const last = normalizeLabel(view.labels[view.labels.length - 1] ?? "");
  return /^\((?:三|四|五)\)(?:不予公开|无法提供|不予处理)(?:小计|合计)?$/.test(last) || /小计$/.test(last);
}

function label(view: RowView): string {
  return view.labels.join(" ");
}

export function mapT3(rows: RowView[], preferSplit: boolean): T3Result {
  const findings: Finding[] = [];
  const extraRows: ExtraRow[] = [];
  const entries: Entry[] = [];
  for (const view of rows) {
    const m = matchRowLabel(view.labels, T3_ALL_ROWS);
    const def = m?.row ?? null;
    if (!def && isGroupSubtotal(view) && view.values.length > 0) {
      // Some publishers add a subtotal row per group; the template has none. Keep it, say so.
      extraRows.push(extraRow(view));
      findings.push(
        finding({
          rule: X.EXTRA_ROW,
          severity: "info",
          origin: "extraction",
          message: `表三中“${label(view)}”是分组小计行，模板中没有这一行，已作为额外行保留`,
        }),
      );
      continue;
    }
    if (isDataRow(view, def)) entries.push({ view, def });
  }
  const found = entries.length > 0;
  const matchedKeys = new Set(entries.flatMap((e) => (e.def ? [e.def.key] : [])));
  const collapsedOther = [...SPLIT_OTHER].some((k) => matchedKeys.has(k))
    ? false
    : matchedKeys.has("other.subtotal")
      ? true
      : entries.length === 23 || (entries.length !== 25 && !preferSplit);
  const template = collapsedOther ? T3_ROWS_V2019 : T3_ROWS_V2021;
  const index = new Map(template.map((r, i) => [r.key, i]));

  // Labelled rows first; duplicates and rows foreign to this shape are kept as extra rows.
  const assigned = new Map<string, RowView>();
  const order: (number | null)[] = [];
  for (const e of entries) {
    const i = e.def ? index.get(e.def.key) : undefined;
    if (e.def && i !== undefined && !assigned.has(e.def.key)) {
      assigned.set(e.def.key, e.view);
      order.push(i);
    } else if (e.def) {
      order.push(-1);
      extraRows.push(extraRow(e.view));
      findings.push(
        finding({
          rule: X.DUPLICATE_ROW,
          severity: "warning",
          origin: "extraction",
          message: `表三中“${label(e.view)}”所对应的行重复出现或不属于该模板，已作为额外行保留`,
        }),
      );
    } else order.push(null);
  }

  // Unlabelled rows: placed in print order when they fill exactly the gap between labelled neighbours.
  for (let a = 0; a < entries.length; a++) {
    if (order[a] !== null) continue;
    let b = a;
    while (b < entries.length && order[b] === null) b++;
    const prev = [...order.slice(0, a)].reverse().find((o): o is number => o !== null && o >= 0) ?? -1;
    const next = order.slice(b).find((o): o is number => o !== null && o >= 0) ?? template.length;
    const gap = template.slice(prev + 1, next).filter((r) => !assigned.has(r.key));
    const run = entries.slice(a, b);
    if (gap.length === run.length) {
      run.forEach((e, j) => {
        const def = gap[j]!;
        assigned.set(def.key, e.view);
        findings.push(
          finding({
            rule: X.PLACED_BY_POSITION,
            severity: "info",
            origin: "extraction",
            path: `t3.${def.key}.total`,
            paths: T3_COLUMN_KEYS.map((c) => `t3.${def.key}.${c}`),
            message: `表三中一行数字没有标签，按印刷顺序判定为“${def.label}”`,
          }),
        );
      });
    } else {
      for (const e of run) {
        extraRows.push(extraRow(e.view));
        findings.push(
          finding({
            rule: X.UNPLACED_ROW,
            severity: "warning",
            origin: "extraction",
            message: `表三中一行无标签的数字（${e.view.values.map((v) => v.text).join(" ")}）无法按位置确定所属行，已作为额外行保留`,
          }),
        );
      }
    }
    a = b - 1;
  }

  // Read every row, then solve glued rows across the table.
  const keys = template.map((r) => r.key);
  const readings: RowReading[] = keys.map((key) => {
    const view = assigned.get(key);
    return view ? readRow(view.values, COLUMNS, rowSumHolds) : { readings: [], mode: "empty", extra: [] };
  });
  const candidates = readings.map((r) => r.readings.map((cells) => cells.map((c) => c.value ?? Number.NaN)));
  const resultRows = t3ResultRows(collapsedOther).map((k) => keys.indexOf(k));
  const at = (k: string) => keys.indexOf(k);
  const score = (choice: number[][]) => {
    let s = 0;
    for (let c = 0; c < 7; c++) {
      const v = (row: number) => choice[row]?.[c] ?? Number.NaN;
      if (v(at("new_requests")) + v(at("carried_over")) === v(at("results_total")) + v(at("carried_forward")))
        s++;
      if (resultRows.reduce((sum, r) => sum + v(r), 0) === v(at("results_total"))) s++;
    }
    return s;
  };
  const { chosen } = solveRows(candidates, score);

  const cells: Record<string, Cell> = {};
  keys.forEach((key, r) => {
    const reading = readings[r]!;
    const picked = (chosen[r] ?? []).map((j) => reading.readings[j]!).filter(Boolean);
    const view = assigned.get(key);
    let row: Cell[];
    if (picked.length > 0) row = mergeReadings(picked, reading.run);
    else if (view && reading.mode === "glued") {
      row = T3_COLUMN_KEYS.map(
        () => ({ value: null, raw: reading.run ?? "", source: "unreadable", loc: null }) as Cell,
      );
      findings.push(
        finding({
          rule: X.UNREADABLE,
          severity: "error",
          origin: "extraction",
          path: `t3.${key}.total`,
          paths: T3_COLUMN_KEYS.map((c) => `t3.${key}.${c}`),
          actual: reading.run ?? null,
          message: `表三“${template[r]!.label}”行的数字粘连（${reading.run}），没有任何拆分能满足行合计，无法读取`,
        }),
      );
    } else {
      row = T3_COLUMN_KEYS.map(() => ({ value: null, raw: "", source: "missing", loc: null }) as Cell);
      if (found) {
        findings.push(
          finding({
            rule: X.MISSING_ROW,
            severity: "warning",
            origin: "extraction",
            path: `t3.${key}.total`,
            paths: T3_COLUMN_KEYS.map((c) => `t3.${key}.${c}`),
            message: `表三中没有找到“${template[r]!.label}”这一行`,
          }),
        );
      }
    }
    deriveTotal(row, 0, 6);
    const rowPaths = T3_COLUMN_KEYS.map((c) => `t3.${key}.${c}`);
    T3_COLUMN_KEYS.forEach((c, i) => {
      cells[`t3.${key}.${c}`] = row[i]!;
    });
    findings.push(...countFindings("表三", template[r]!.label, rowPaths, reading));
  });
  return { found, collapsedOther, cells, extraRows, findings, rowsPrinted: assigned.size };
}

function extraRow(view: RowView): ExtraRow {
  return {
    table: "t3",
    label: view.labels.join(" "),
    values: view.values.map((v) => v.text),
    loc: view.first ? { ...view.first.loc } : null,
  };
}
