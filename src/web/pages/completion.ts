/** `/completion`: the crawl's completion report — every catalogue agency and year, found or why not. */
import { html } from "hono/html";
import type { CompletionRow, CompletionStatus } from "../../crawl/completion.js";
import { fmt, type Html, href, layout, select } from "../layout.js";

export const COMPLETION_LABEL: Record<CompletionStatus, string> = {
  found: "已找到",
  "not-found": "未找到",
  blocked: "被阻止",
  failed: "失败",
};

export interface CompletionFilter {
  year?: number;
  status?: CompletionStatus;
  agency?: string;
  late?: boolean;
}

export function filterCompletion(rows: CompletionRow[], f: CompletionFilter): CompletionRow[] {
  return rows.filter(
    (r) =>
      (f.year === undefined || r.year === f.year) &&
      (f.status === undefined || r.status === f.status) &&
      (f.agency === undefined || r.agency.includes(f.agency)) &&
      (f.late === undefined || r.late === f.late),
  );
}

function row(r: CompletionRow): Html {
  const published = r.publishedAt
    ? html`${r.publishedAt.slice(0, 10)}${r.late ? html` <span class="badge sev-warning">逾期</span>` : ""}`
    : "—";
  const where = r.url
    ? html`<a href="${r.url}" rel="noreferrer noopener nofollow">${r.url}</a>${r.linkedAs && r.linkedAs !== r.url ? html`<div class="muted small">链接：${r.linkedAs}</div>` : ""}`
    : html`<span class="muted">${r.reason ?? ""}</span>`;
  return html`<tr>
    <td>${r.agency}${r.siteCode ? html`<div class="muted small">${r.siteCode}</div>` : ""}</td>
    <td>${r.year}</td>
    <td><span class="badge completion-${r.status}">${COMPLETION_LABEL[r.status]}</span></td>
    <td>${published}</td><td>${r.deadline ?? "—"}</td>
    <td>${r.reportId !== null ? html`<a href="/reports/${r.reportId}">#${r.reportId}</a>` : "—"}</td>
    <td>${where}</td>
  </tr>`;
}

export function completionPage(
  f: CompletionFilter,
  data: { years: number[]; rows: CompletionRow[] } | null,
): Html {
  if (!data) {
    const body = html`<h1>抓取完成情况</h1>
      <p>这个数据库还没有抓取记录。运行 <code>npx nianbao crawl --seeds 机构目录.csv</code> 后，这里列出每个机构每个年度的报告是否找到。</p>`;
    return layout("抓取完成情况", body, { active: "completion" });
  }
  const rows = filterCompletion(data.rows, f);
  const count = (s: CompletionStatus) => data.rows.filter((r) => r.status === s).length;
  const params = {
    year: f.year,
    status: f.status,
    agency: f.agency,
    late: f.late === undefined ? undefined : f.late ? 1 : 0,
  };
  const body = html`
    <h1>抓取完成情况</h1>
    <p>年度 ${data.years.join("、")}：机构×年度 ${fmt(data.rows.length)}，已找到 ${fmt(count("found"))}，未找到 ${fmt(count("not-found"))}，被阻止 ${fmt(count("blocked"))}，失败 ${fmt(count("failed"))}；逾期发布 ${fmt(data.rows.filter((r) => r.late).length)}。
      期限：政府部门次年1月31日，人民政府次年3月31日（条例第四十九条）。</p>
    <form class="filters" action="/completion" method="get">
      <label>年度 ${select(
        "year",
        f.year?.toString(),
        data.years.map((y) => [String(y), String(y)]),
        "全部",
      )}</label>
      <label>情况 ${select("status", f.status, Object.entries(COMPLETION_LABEL), "全部")}</label>
      <label>机构 <input type="text" name="agency" value="${f.agency ?? ""}" placeholder="名称包含"></label>
      <label><input type="checkbox" name="late" value="1"${f.late ? html` checked` : ""}> 只看逾期</label>
      <button type="submit">筛选</button>
    </form>
    <p class="count">${fmt(rows.length)} 行。 <a href="${href("/api/completion", params)}">JSON</a></p>
    <table class="list"><thead><tr><th>机构</th><th>年度</th><th>情况</th><th>发布日期</th><th>期限</th><th>报告</th><th>网址 / 原因</th></tr></thead>
    <tbody>${rows.map(row)}</tbody></table>`;
  return layout("抓取完成情况", body, { active: "completion" });
}
