/** Terminal rendering of a report's tables, with cells named in findings marked. */
import type { Cell, Finding, Report } from "../model/report.js";
import {
  T3_COLUMNS,
  T3_ROWS_V2019,
  T3_ROWS_V2021,
  T4_COLUMNS,
  T4_GROUPS,
  t2Blocks,
} from "../model/template.js";

export interface RenderOptions {
  color: boolean;
}

/** ANSI colour codes, which take no room on screen. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g");
const visible = (s: string) => s.replace(ANSI, "");

/** Display width: CJK characters take two columns. */
export function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}
export function pad(s: string, w: number, right = false): string {
  const fill = " ".repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}
function clip(s: string, w: number): string {
  let out = "";
  for (const ch of s) {
    if (width(out + ch) > w - 1) return `${out}…`;
    out += ch;
  }
  return out;
}

function flagged(findings: Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    for (const p of new Set([...(f.path ? [f.path] : []), ...f.paths])) {
      map.set(p, [...(map.get(p) ?? []), f]);
    }
  }
  return map;
}

function cellText(cell: Cell | undefined, marks: Finding[] | undefined, o: RenderOptions): string {
  let t: string;
  if (!cell) t = "·";
  else if (cell.value === null) t = cell.source === "ambiguous" ? "?" : cell.source === "missing" ? "·" : "✗";
  else t = cell.decimal ?? String(cell.value);
  if (cell?.source === "derived") t += "ᵈ";
  if (marks && marks.length > 0) {
    const isError = marks.some((m) => m.severity === "error");
    t = `${t}*`;
    if (o.color) return `${isError ? "\x1b[31m" : "\x1b[33m"}${t}\x1b[0m`;
  }
  return t;
}

function table(
  title: string,
  header: string[],
  rows: { label: string; cells: string[] }[],
  labelWidth: number,
): string {
  const colW = header.map((h, i) =>
    Math.max(width(h), ...rows.map((r) => width(visible(r.cells[i] ?? ""))), 3),
  );
  const line = (label: string, cells: string[]) =>
    `${pad(clip(label, labelWidth), labelWidth)} ${cells
      .map((c, i) => {
        return " ".repeat(Math.max(0, colW[i]! - width(visible(c)))) + c;
      })
      .join("  ")}`;
  return [title, line("", header), ...rows.map((r) => line(r.label, r.cells))].join("\n");
}

export function renderReport(report: Report, o: RenderOptions): string {
  const marks = flagged(report.findings);
  const get = (p: string) => cellText(report.cells[p], marks.get(p), o);
  const out: string[] = [];
  const m = report.meta;
  out.push(`${m.title ?? report.source.locator}`);
  out.push(
    `机关 ${m.organ ?? "?"} · 年度 ${m.year ?? "?"} · 模板 ${m.template ?? "?"} (t2 ${m.templates.t2 ?? "-"}, t3 ${m.templates.t3 ?? "-"}) · 状态 ${report.status} · 发布 ${m.published_at ?? "?"}`,
  );
  out.push(
    `来源 ${report.source.locator} sha256 ${report.source.sha256.slice(0, 12)} · 提取器 ${report.extractor.name}@${report.extractor.version}`,
  );
  if (m.templates.t2) {
    const blocks = t2Blocks(m.templates.t2 === "v2019" ? "v2019" : "v2021");
    for (const b of blocks) {
      out.push(
        "",
        table(
          `表二 ${b.caption}`,
          b.columns.map((c) => c.label),
          b.rows.map((r) => ({ label: r.label, cells: b.columns.map((c) => get(`t2.${r.key}.${c.key}`)) })),
          24,
        ),
      );
    }
  }
  if (m.templates.t3) {
    const rows = m.templates.t3 === "v2021" ? T3_ROWS_V2021 : T3_ROWS_V2019;
    out.push(
      "",
      table(
        "表三 收到和处理政府信息公开申请情况",
        T3_COLUMNS.map((c) => c.label),
        rows.map((r) => ({ label: r.label, cells: T3_COLUMNS.map((c) => get(`t3.${r.key}.${c.key}`)) })),
        30,
      ),
    );
  }
  if (m.templates.t4) {
    out.push(
      "",
      table(
        "表四 政府信息公开行政复议、行政诉讼情况",
        T4_COLUMNS.map((c) => c.label),
        T4_GROUPS.map((g) => ({ label: g.label, cells: T4_COLUMNS.map((c) => get(`t4.${g.key}.${c.key}`)) })),
        18,
      ),
    );
  }
  out.push("", "图例: * 被检查规则标记  ? 无法唯一确定  ✗ 无法读取  · 缺失  ᵈ 由分项推算");
  if (report.findings.length > 0) {
    out.push("", "检查结果:");
    for (const f of report.findings) {
      const who = f.origin === "source" ? "来源" : "提取";
      out.push(`  [${f.severity}] ${f.rule} (${who}) ${f.path ?? ""} ${f.message}`);
    }
  }
  return out.join("\n");
}
