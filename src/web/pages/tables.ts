/**
 * The three statistical tables as HTML, laid out like the official template (spec §3.1–§3.3, §4):
 * table 2 as one 4-column grid of blocks, table 3 with its 3-row header block and group labels
 * spanning their items (（六） as three items in v2021, one row in v2019 and in collapsed v2021),
 * table 4 with its 3 header rows over one row of 15 numbers. Each value cell carries its raw text,
 * source and location in `title`, and links to the findings that name it.
 */
import { html } from "hono/html";
import type { Cell, ExtraRow, Finding, Report } from "../../model/report.js";
import {
  type RowDef,
  T3_COLUMNS,
  T3_ROWS_V2019,
  T3_ROWS_V2021,
  T4_COLUMNS,
  T4_GROUPS,
  t2Blocks,
} from "../../model/template.js";
import type { Html } from "../layout.js";

export const SOURCE_LABEL: Record<Cell["source"], string> = {
  printed: "印刷数字",
  blank: "空白（按 0 计）",
  dash: "短横或斜杠（按 0 计）",
  none: "“无”（按 0 计）",
  derived: "原表空白，由分项推算",
  ambiguous: "数字粘连，无法唯一确定",
  unreadable: "无法读取",
  missing: "缺失（未找到该表或该行）",
  ocr: "OCR 识别",
  "ocr-repaired": "OCR 识别后修正",
};

/** A finding as shown on the report page: its number in the list and its anchor id. */
export interface Mark {
  n: number;
  anchor: string;
  finding: Finding;
}

/** Cell path → the findings naming it (as `path` or in `paths`). */
export function marksByPath(marks: Mark[]): Map<string, Mark[]> {
  const map = new Map<string, Mark[]>();
  for (const m of marks) {
    const f = m.finding;
    for (const p of new Set([...(f.path ? [f.path] : []), ...f.paths])) {
      const list = map.get(p) ?? [];
      list.push(m);
      map.set(p, list);
    }
  }
  return map;
}

function display(cell: Cell | undefined): string {
  if (!cell) return "·";
  if (cell.value === null) {
    if (cell.source === "ambiguous") return "?";
    if (cell.source === "missing") return "·";
    return "✗";
  }
  return cell.decimal ?? String(cell.value);
}

function tooltip(path: string, cell: Cell | undefined, marks: Mark[]): string {
  const lines = [path];
  if (!cell) {
    lines.push("未提取到此单元格");
  } else {
    lines.push(`原文：${cell.raw === "" ? "（空）" : cell.raw}`);
    lines.push(`来源：${SOURCE_LABEL[cell.source] ?? cell.source}`);
    if (cell.unit) lines.push(`单位：${cell.unit}`);
    if (cell.note) lines.push(`附注：${cell.note}`);
    if (cell.candidates) lines.push(`可能的值：${cell.candidates.join(" / ")}`);
    if (cell.confidence !== undefined) lines.push(`置信度：${cell.confidence}`);
    const loc = cell.loc;
    if (loc) {
      const where: string[] = [];
      if (loc.page !== undefined) where.push(`第 ${loc.page} 页`);
      if (loc.bbox) where.push(`bbox [${loc.bbox.map((x) => Math.round(x * 10) / 10).join(", ")}]`);
      if (loc.line !== undefined) where.push(`第 ${loc.line} 行`);
      where.push(`网格 ${loc.grid} 行 ${loc.row} 列 ${loc.col}`);
      lines.push(`位置：${where.join("，")}`);
    }
  }
  for (const m of marks) lines.push(`检查 ${m.n}：${m.finding.rule} ${m.finding.message}`);
  return lines.join("\n");
}

function worst(marks: Mark[]): string {
  if (marks.some((m) => m.finding.severity === "error")) return "error";
  if (marks.some((m) => m.finding.severity === "warning")) return "warning";
  return "info";
}

interface Ctx {
  cells: Report["cells"];
  marks: Map<string, Mark[]>;
}

function valueCell(ctx: Ctx, path: string, colspan = 1): Html {
  const cell = ctx.cells[path];
  const marks = ctx.marks.get(path) ?? [];
  // The cell a check is about (its `path`, e.g. the （七）总计 of a T3.R2 column) is marked strongly;
  // the cells that merely take part in the equation only lightly, so the culprit stands out.
  const checked = marks.some((m) => m.finding.path === path);
  const cls = `v src-${cell?.source ?? "absent"}${marks.length > 0 ? ` flag flag-${worst(marks)}${checked ? " flag-checked" : " flag-part"}` : ""}`;
  return html`<td id="cell-${path}" class="${cls}"${colspan > 1 ? html` colspan="${colspan}"` : ""} title="${tooltip(path, cell, marks)}">${display(cell)}${marks.map((m) => html`<a class="fref" href="#${m.anchor}">${m.n}</a>`)}</td>`;
}

function extraRows(rows: ExtraRow[], table: ExtraRow["table"]): Html {
  const mine = rows.filter((r) => r.table === table);
  if (mine.length === 0) return html``;
  return html`<details class="extra"><summary>表中另有 ${mine.length} 行不属于模板（原样保留）</summary>
    <table class="plain"><tbody>${mine.map(
      (r) =>
        html`<tr><th>${r.label}</th>${r.values.map((v) => html`<td>${v}</td>`)}<td class="muted">${r.loc ? `${r.loc.grid}${r.loc.page !== undefined ? ` 第${r.loc.page}页` : ""}${r.loc.line !== undefined ? ` 第${r.loc.line}行` : ""}` : ""}</td></tr>`,
    )}</tbody></table></details>`;
}

function t2(ctx: Ctx, template: "v2019" | "v2021"): Html {
  const rows: Html[] = [];
  for (const b of t2Blocks(template)) {
    // A block with fewer than three value columns lets its last column span the rest (4 in all).
    const spanLast = 4 - b.columns.length;
    const span = (i: number) => (i === b.columns.length - 1 ? spanLast : 1);
    rows.push(html`<tr class="caption"><th colspan="4">${b.caption}</th></tr>`);
    rows.push(
      html`<tr class="head"><th>信息内容</th>${b.columns.map((c, i) => html`<th${span(i) > 1 ? html` colspan="${span(i)}"` : ""}>${c.label}</th>`)}</tr>`,
    );
    for (const r of b.rows) {
      rows.push(
        html`<tr><th class="label">${r.label}</th>${b.columns.map((c, i) => valueCell(ctx, `t2.${r.key}.${c.key}`, span(i)))}</tr>`,
      );
    }
  }
  return html`<table class="tpl t2"><tbody>${rows}</tbody></table>`;
}

const T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

function t3(ctx: Ctx, defs: RowDef[]): Html {
  const resultGroup = defs.find((d) => d.key === "granted")?.group ?? "";
  const resultCount = defs.filter((d) => d.group !== undefined).length;
  const body = defs.map((d, i) => {
    const prev = defs[i - 1];
    const lead: Html[] = [];
    if (d.group === undefined) {
      lead.push(html`<th class="label" colspan="3">${d.label}</th>`);
    } else {
      if (prev?.group === undefined)
        lead.push(html`<th class="group vertical" rowspan="${resultCount}">${resultGroup}</th>`);
      if (d.group === resultGroup) {
        lead.push(html`<th class="label" colspan="2">${d.label}</th>`);
      } else {
        if (prev?.group !== d.group) {
          const n = defs.filter((x) => x.group === d.group).length;
          lead.push(html`<th class="group" rowspan="${n}">${d.group}</th>`);
        }
        lead.push(html`<th class="label">${d.label}</th>`);
      }
    }
    return html`<tr>${lead}${T3_COLUMNS.map((c) => valueCell(ctx, `t3.${d.key}.${c.key}`))}</tr>`;
  });
  return html`<table class="tpl t3">
    <thead>
      <tr><th class="note" colspan="3" rowspan="3">${T3_NOTE}</th><th colspan="7">申请人情况</th></tr>
      <tr><th rowspan="2">${T3_COLUMNS[0]?.label}</th><th colspan="5">法人或其他组织</th><th rowspan="2">${T3_COLUMNS[6]?.label}</th></tr>
      <tr>${T3_COLUMNS.slice(1, 6).map((c) => html`<th>${c.label}</th>`)}</tr>
    </thead>
    <tbody>${body}</tbody>
  </table>`;
}

function t4(ctx: Ctx): Html {
  const [review, direct, after] = T4_GROUPS;
  const sub = T4_COLUMNS.map((c) => c.label);
  return html`<table class="tpl t4">
    <thead>
      <tr><th colspan="5">${review?.label}</th><th colspan="10">行政诉讼</th></tr>
      <tr>${sub.map((l) => html`<th rowspan="2">${l}</th>`)}<th colspan="5">${direct?.label}</th><th colspan="5">${after?.label}</th></tr>
      <tr>${[...sub, ...sub].map((l) => html`<th>${l}</th>`)}</tr>
    </thead>
    <tbody><tr>${T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => valueCell(ctx, `t4.${g.key}.${c.key}`)))}</tr></tbody>
  </table>`;
}

function missing(name: string): Html {
  return html`<p class="missing">未找到${name}（见“提取问题”）。</p>`;
}

/** The three tables with their headings, in document order. */
export function reportTables(report: Report, marks: Mark[]): Html {
  const ctx: Ctx = { cells: report.cells, marks: marksByPath(marks) };
  const t = report.meta.templates;
  return html`
    <h3 id="t2">表二 主动公开政府信息情况 <small>${t.t2 ?? ""}</small></h3>
    ${t.t2 ? t2(ctx, t.t2 === "v2019" ? "v2019" : "v2021") : missing("表二")}
    ${extraRows(report.extra_rows, "t2")}
    <h3 id="t3">表三 收到和处理政府信息公开申请情况 <small>${t.t3 ?? ""}</small></h3>
    ${t.t3 ? t3(ctx, t.t3 === "v2021" ? T3_ROWS_V2021 : T3_ROWS_V2019) : missing("表三")}
    ${extraRows(report.extra_rows, "t3")}
    <h3 id="t4">表四 政府信息公开行政复议、行政诉讼情况</h3>
    ${t.t4 ? t4(ctx) : missing("表四")}
    ${extraRows(report.extra_rows, "t4")}
    <p class="legend">图例：<span class="v src-derived">斜体</span> 由分项推算 ·
      <span class="v src-blank">灰色</span> 空白/短横/“无”按 0 计 · ? 无法唯一确定 · ✗ 无法读取 · · 缺失 ·
      <span class="v flag flag-error flag-checked">红框</span> 错误（被检查的单元格） · <span class="v flag flag-error flag-part">虚线</span> 参与该等式的单元格 · <span class="v flag flag-warning flag-checked">黄框</span> 警告 ·
      角标为右侧检查结果编号；鼠标悬停查看原文、来源和位置。</p>`;
}
