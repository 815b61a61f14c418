/** `/reports`: every current report, filtered and paginated, with export links. */
import { html } from "hono/html";
import {
  fmt,
  type Html,
  href,
  layout,
  NO_REGION_NOTE,
  pager,
  reportName,
  STATUS_LABEL,
  select,
  statusBadge,
  TEMPLATE_LABEL,
  templateText,
} from "../layout.js";
import type { ReportListFilter } from "../params.js";
import type { PageOf, ReportRow } from "../queries.js";

/** Links to the exports for the current filter (the export module supports year, organ, template). */
export function exportLinks(f: { year?: number; organ?: string; template?: string }): Html {
  const p = { year: f.year, organ: f.organ, template: f.template };
  const a = (kind: string, format: string, label: string) =>
    html`<a href="${href(`/export/${kind}.${format}`, p)}">${label}</a>`;
  return html`<p class="exports">导出（按当前筛选）：
    统计表 ${a("cells", "csv", "CSV")} ${a("cells", "xlsx", "Excel")} ·
    检查结果 ${a("findings", "csv", "CSV")} ${a("findings", "xlsx", "Excel")} ${a("findings", "jsonl", "JSON Lines")} ·
    报告 ${a("reports", "csv", "CSV")} ${a("reports", "xlsx", "Excel")} ${a("reports", "jsonl", "JSON Lines")}</p>`;
}

export function reportRows(rows: ReportRow[]): Html {
  return html`<table class="list"><thead><tr><th>#</th><th>报告</th><th>机关</th><th>年度</th><th>模板</th><th>状态</th><th>错误</th><th>警告</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr>
      <td>${r.id}</td>
      <td><a href="/reports/${r.id}">${reportName(r)}</a>${r.problems.length > 0 ? html`<div class="muted small">${r.problems[0]}</div>` : ""}</td>
      <td>${r.organ ?? "—"}</td><td>${r.year ?? "—"}</td><td>${templateText(r.template)}</td>
      <td>${statusBadge(r.status)}</td>
      <td class="num${r.errors > 0 ? " bad" : ""}">${fmt(r.errors)}</td><td class="num">${fmt(r.warnings)}</td>
    </tr>`,
  )}</tbody></table>`;
}

export function reportsPage(f: ReportListFilter, result: PageOf<ReportRow>): Html {
  const params = { year: f.year, organ: f.organ, template: f.template, status: f.status };
  const body = html`
    <h1>报告列表</h1>
    <form class="filters" action="/reports" method="get">
      <label>年度 <input type="number" name="year" value="${f.year ?? ""}" min="1990" max="2100"></label>
      <label>机关 <input type="text" name="organ" value="${f.organ ?? ""}" placeholder="名称包含"></label>
      <label>模板 ${select("template", f.template, Object.entries(TEMPLATE_LABEL), "全部")}</label>
      <label>状态 ${select("status", f.status, Object.entries(STATUS_LABEL), "全部")}</label>
      <button type="submit">筛选</button>
    </form>
    ${NO_REGION_NOTE}
    ${exportLinks(f)}
    <p class="count">共 ${fmt(result.total)} 份报告。 <a href="${href("/api/reports", params)}">JSON</a></p>
    ${reportRows(result.items)}
    ${pager("/reports", { ...params, per_page: result.per_page === 50 ? undefined : result.per_page }, result.page, result.per_page, result.total)}`;
  return layout("报告列表", body, { active: "reports" });
}
