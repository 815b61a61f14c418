/**
 * The column layout of the wide `cells` export: report metadata, then one column per cell path of
 * tables 二, 三 and 四 in print order. Table 2 takes the union of both templates' keys (v2021 first,
 * then the v2019-only ones) so one file holds every report; a report leaves the other template's
 * columns empty. Table 3 takes every row that can occur (the 25 v2021 rows and v2019's single
 * （六）其他处理 row `other.subtotal`).
 */
import {
  T2_V2019,
  T2_V2021,
  type T2Block,
  T3_ALL_ROWS,
  T3_COLUMNS,
  T3_ROWS_V2019,
  T3_ROWS_V2021,
  T4_COLUMNS,
  T4_GROUPS,
  type ValueKind,
} from "../model/template.js";
import type { ColumnNote, ColumnSpec } from "./table.js";

export interface CellColumn {
  path: string;
  table: "t2" | "t3" | "t4";
  kind: ValueKind;
  group: string;
  row: string;
  label: string;
  templates: string[];
}

const KIND_LABEL: Record<ValueKind, string> = {
  count: "数量 count",
  signed: "增减 signed change",
  money: "金额 money (exact decimal)",
};

/** Labels that differ between templates for the same key are joined, e.g. `行政规范性文件 / 规范性文件`. */
function joinDistinct(a: string, b: string): string {
  return a.split(" / ").includes(b) ? a : `${a} / ${b}`;
}

function t2Columns(): CellColumn[] {
  const byPath = new Map<string, CellColumn>();
  const add = (blocks: T2Block[], template: string) => {
    for (const b of blocks) {
      for (const r of b.rows) {
        for (const c of b.columns) {
          const path = `t2.${r.key}.${c.key}`;
          const seen = byPath.get(path);
          if (seen) {
            seen.group = joinDistinct(seen.group, b.caption);
            seen.row = joinDistinct(seen.row, r.label);
            seen.label = joinDistinct(seen.label, c.label);
            seen.templates.push(template);
          } else {
            byPath.set(path, {
              path,
              table: "t2",
              kind: c.kind,
              group: b.caption,
              row: r.label,
              label: c.label,
              templates: [template],
            });
          }
        }
      }
    }
  };
  add(T2_V2021, "v2021");
  add(T2_V2019, "v2019");
  return [...byPath.values()];
}

function t3Columns(): CellColumn[] {
  const v2021 = new Set(T3_ROWS_V2021.map((r) => r.key));
  const v2019 = new Set(T3_ROWS_V2019.map((r) => r.key));
  return T3_ALL_ROWS.flatMap((r) => {
    const templates = [
      ...(v2021.has(r.key) ? ["v2021"] : []),
      // v2021-collapsed-other has v2019's row shape: （六） printed as one row.
      ...(v2019.has(r.key) ? ["v2019", "v2021-collapsed-other"] : []),
    ];
    return T3_COLUMNS.map((c) => ({
      path: `t3.${r.key}.${c.key}`,
      table: "t3" as const,
      kind: c.kind,
      group: r.group ?? "",
      row: r.label,
      label: c.label,
      templates,
    }));
  });
}

function t4Columns(): CellColumn[] {
  return T4_GROUPS.flatMap((g) =>
    T4_COLUMNS.map((c) => ({
      path: `t4.${g.key}.${c.key}`,
      table: "t4" as const,
      kind: c.kind,
      group: "",
      row: g.label,
      label: c.label,
      templates: ["v2019", "v2021"],
    })),
  );
}

/** Every cell column of the wide export, in order. */
export const CELL_COLUMNS: readonly CellColumn[] = [...t2Columns(), ...t3Columns(), ...t4Columns()];

/** The report columns that come before the cells, with what they hold. */
export const REPORT_COLUMNS: readonly (ColumnSpec & { description: string })[] = [
  { key: "report_id", width: 10, description: "报告编号（数据库 reports.id） report id in the database" },
  { key: "organ", width: 28, description: "发布机关 publishing organ" },
  { key: "year", width: 6, description: "报告年度 report year" },
  {
    key: "template",
    width: 12,
    description:
      "报告所用格式模板 template of the report (v2019, v2021, v2021-collapsed-other, hybrid, legacy)",
  },
  {
    key: "t3_template",
    width: 12,
    description: "表三的模板；v2019 与 v2021-collapsed-other 只有 other.subtotal 一行 template of table 3",
  },
  {
    key: "status",
    width: 8,
    description: "提取状态 ok / partial（部分表格或单元格未能确定） extraction status",
  },
  { key: "locator", width: 40, description: "原始文件路径或网址 path or URL the document was read from" },
  { key: "sha256", width: 16, description: "原始文件的 SHA-256 content hash of the document's bytes" },
];

const TABLE_NAME = { t2: "表二", t3: "表三", t4: "表四" } as const;

export function cellColumnSpecs(): ColumnSpec[] {
  return [
    ...REPORT_COLUMNS.map(({ key, width }) => ({ key, width })),
    ...CELL_COLUMNS.map((c) => ({
      key: c.path,
      width: Math.min(34, Math.max(10, c.path.length - 2)),
      ...(c.kind === "money" ? { decimal: true } : {}),
    })),
  ];
}

export function cellColumnNotes(): ColumnNote[] {
  return [
    ...REPORT_COLUMNS.map((c) => ({ column: c.key, description: c.description })),
    ...CELL_COLUMNS.map((c) => ({
      column: c.path,
      description:
        `${TABLE_NAME[c.table]} ${c.group ? `${c.group} ` : ""}${c.row} · ${c.label}` +
        (c.kind === "money" ? "（精确小数 exact decimal）" : ""),
      table: TABLE_NAME[c.table],
      group: c.group,
      row: c.row,
      label: c.label,
      kind: KIND_LABEL[c.kind],
      templates: c.templates.join(", "),
    })),
  ];
}
