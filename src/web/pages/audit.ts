/**
 * `/audit`: findings by rule, severity, year and organ, with the line between `source` (the
 * document breaks its own arithmetic) and `extraction` (we are unsure what it says) kept visible;
 * cross-year checks; charts. `/audit/findings` and `/audit/cross-year` are the drill-down lists.
 */
import { html } from "hono/html";
import type { Outcome } from "../background.js";
import {
  fmt,
  type Html,
  href,
  layout,
  NO_REGION_NOTE,
  ORIGIN_LABEL,
  pager,
  SEVERITY_LABEL,
  select,
  severityBadge,
  TEMPLATE_LABEL,
} from "../layout.js";
import type { CrossFilter, FindingFilter, ReportFilter } from "../params.js";
import type { Audit, CrossResult, FindingRow, PageOf, RuleCount } from "../queries.js";
import { exportLinks } from "./reports.js";

const OUTCOME_LABEL: Record<string, string> = {
  granted: "予以公开",
  partially_granted: "部分公开",
  denied: "不予公开",
  unable: "无法提供",
  not_processed: "不予处理",
  other: "其他处理",
};

const CROSS_LABEL: Record<string, string> = {
  "T3.X1": "T3.X1 上年结转 ≠ 上年报告的结转下年度",
  "T2.X1": "T2.X1 现行有效件数不衔接",
  "D.R6": "D.R6 正文与上年报告高度雷同",
};

interface ChartSpec {
  type: "bar" | "doughnut";
  labels: string[];
  datasets: { label: string; data: number[]; stack?: string }[];
  horizontal?: boolean;
  stacked?: boolean;
}

/** A canvas the chart script fills; the JSON rides in an attribute, escaped like any other text. */
function chart(title: string, spec: ChartSpec, fallback: Html): Html {
  return html`<figure class="chart"><figcaption>${title}</figcaption>
    <div class="chart-box"><canvas data-chart="${JSON.stringify(spec)}" role="img" aria-label="${title}"></canvas></div>
    <details><summary>数据</summary>${fallback}</details></figure>`;
}

function filterForm(action: string, f: ReportFilter, extra: Html = html``): Html {
  return html`<form class="filters" action="${action}" method="get">
    <label>年度 <input type="number" name="year" value="${f.year ?? ""}" min="1990" max="2100"></label>
    <label>机关 <input type="text" name="organ" value="${f.organ ?? ""}" placeholder="名称包含"></label>
    <label>模板 ${select("template", f.template, Object.entries(TEMPLATE_LABEL), "全部")}</label>
    ${extra}
    <button type="submit">筛选</button>
  </form>`;
}

function ruleTable(rows: RuleCount[], f: ReportFilter): Html {
  if (rows.length === 0) return html`<p class="muted">无。</p>`;
  return html`<table class="list"><thead><tr><th>规则</th><th>级别</th><th class="num">条数</th><th class="num">涉及报告</th></tr></thead>
    <tbody>${rows.map(
      (
        r,
      ) => html`<tr><td><a href="${href("/audit/findings", { ...f, rule: r.rule, origin: r.origin, severity: r.severity })}">${r.rule}</a></td>
        <td>${severityBadge(r.severity)}</td><td class="num">${fmt(r.findings)}</td><td class="num">${fmt(r.reports)}</td></tr>`,
    )}</tbody></table>`;
}

function crossSection(f: ReportFilter, cross: Outcome<CrossResult>): Html {
  const link = (rule?: string) => href("/audit/cross-year", { year: f.year, organ: f.organ, rule });
  let content: Html;
  if (cross.status === "pending") {
    content = html`<p class="note">跨年度检查正在后台计算（需要比较每一对相邻年度的报告），本页稍后会自动刷新。</p>`;
  } else if (cross.status === "failed") {
    content = html`<p class="warn">跨年度检查失败：${cross.message}</p>`;
  } else {
    const r = cross.result;
    content = html`<table class="list"><thead><tr><th>规则</th><th class="num">条数</th></tr></thead><tbody>
      ${Object.keys(CROSS_LABEL).map(
        (rule) =>
          html`<tr><td><a href="${link(rule)}">${CROSS_LABEL[rule]}</a></td><td class="num">${fmt(r.by_rule[rule] ?? 0)}</td></tr>`,
      )}</tbody></table>
      <p><a href="${link()}">全部 ${fmt(r.total)} 条跨年度结果 →</a></p>`;
  }
  return html`<section><h2>跨年度检查</h2>
    <p class="note">同一机关相邻两年的报告：上年结转是否等于上年报告的结转下年度（T3.X1），现行有效件数是否衔接（T2.X1），正文是否大段照抄上年（D.R6）。
      ${f.template ? "（跨年度检查不按模板筛选。）" : ""}</p>
    ${content}</section>`;
}

export function auditPage(f: ReportFilter, a: Audit, cross: Outcome<CrossResult>): Html {
  const source = a.by_rule.filter((r) => r.origin === "source");
  const extraction = a.by_rule.filter((r) => r.origin === "extraction");
  const count = (origin: string, severity?: string) =>
    a.by_origin
      .filter((o) => o.origin === origin && (severity === undefined || o.severity === severity))
      .reduce((s, o) => s + o.n, 0);
  const rules = [...new Set(a.by_rule.map((r) => r.rule))].sort();
  const perRule = (origin: string) =>
    rules.map((rule) =>
      a.by_rule.filter((r) => r.rule === rule && r.origin === origin).reduce((s, r) => s + r.findings, 0),
    );
  const years = a.requests_per_year.filter((r) => r.year !== null);

  const body = html`
    <h1>审计</h1>
    ${filterForm("/audit", f)}
    ${NO_REGION_NOTE}
    ${exportLinks(f)}
    <div class="cards">
      <div class="card"><b>${fmt(a.reports)}</b><span>份报告</span></div>
      <a class="card bad" href="${href("/audit/findings", { ...f, origin: "source" })}"><b>${fmt(count("source"))}</b><span>来源问题（其中错误 ${fmt(count("source", "error"))}）</span></a>
      <div class="card"><b>${fmt(a.reports_with_source_errors)}</b><span>份报告自身勾稽不符</span></div>
      <a class="card" href="${href("/audit/findings", { ...f, origin: "extraction" })}"><b>${fmt(count("extraction"))}</b><span>提取不确定</span></a>
    </div>
    <div class="charts">
      ${chart(
        "各年度新收申请数（表三 一、总计 之和）",
        {
          type: "bar",
          labels: years.map((r) => String(r.year)),
          datasets: [{ label: "新收申请", data: years.map((r) => r.requests) }],
        },
        html`<table class="plain"><tbody>${a.requests_per_year.map((r) => html`<tr><th>${r.year ?? "未识别"}</th><td class="num">${fmt(r.requests)}</td><td class="muted">${r.reports} 份报告</td></tr>`)}</tbody></table>`,
      )}
      ${chart(
        "办理结果构成（表三 （一）—（六） 总计之和）",
        {
          type: "doughnut",
          labels: a.outcomes.map((o) => OUTCOME_LABEL[o.key] ?? o.key),
          datasets: [{ label: "件数", data: a.outcomes.map((o) => o.n) }],
        },
        html`<table class="plain"><tbody>${a.outcomes.map((o) => html`<tr><th>${OUTCOME_LABEL[o.key] ?? o.key}</th><td class="num">${fmt(o.n)}</td></tr>`)}</tbody></table>`,
      )}
      ${chart(
        "各规则检查结果数",
        {
          type: "bar",
          horizontal: true,
          stacked: true,
          labels: rules,
          datasets: [
            { label: "来源", data: perRule("source"), stack: "s" },
            { label: "提取", data: perRule("extraction"), stack: "s" },
          ],
        },
        ruleTable(a.by_rule, f),
      )}
    </div>
    <div class="columns">
      <section><h2>${ORIGIN_LABEL.source}</h2><p class="note">文件中的数字自相矛盾：这是原报告的问题。</p>${ruleTable(source, f)}</section>
      <section><h2>${ORIGIN_LABEL.extraction}</h2><p class="note">我们不确定原文写的是什么：需要人工核对原文。</p>${ruleTable(extraction, f)}</section>
    </div>
    <div class="columns">
      <section><h2>按年度</h2><table class="list"><thead><tr><th>年度</th><th class="num">来源</th><th class="num">提取</th></tr></thead><tbody>${a.by_year.map(
        (
          y,
        ) => html`<tr><td>${y.year === null ? "未识别" : html`<a href="${href("/audit", { ...f, year: y.year })}">${y.year}</a>`}</td>
          <td class="num"><a href="${href("/audit/findings", { ...f, year: y.year ?? undefined, origin: "source" })}">${fmt(y.source)}</a></td>
          <td class="num"><a href="${href("/audit/findings", { ...f, year: y.year ?? undefined, origin: "extraction" })}">${fmt(y.extraction)}</a></td></tr>`,
      )}</tbody></table></section>
      <section><h2>按机关（最多的 30 个）</h2><table class="list"><thead><tr><th>机关</th><th class="num">来源</th><th class="num">提取</th><th class="num">报告</th></tr></thead><tbody>${a.by_organ.map(
        (
          o,
        ) => html`<tr><td>${o.organ === null ? "未识别" : html`<a href="${href("/audit/findings", { ...f, organ: o.organ })}">${o.organ}</a>`}</td>
          <td class="num">${fmt(o.source)}</td><td class="num">${fmt(o.extraction)}</td><td class="num">${fmt(o.reports)}</td></tr>`,
      )}</tbody></table></section>
    </div>
    ${crossSection(f, cross)}`;
  return layout("审计", body, {
    active: "audit",
    scripts: ["/assets/chart.umd.js", "/assets/charts.js"],
    ...(cross.status === "pending" ? { refreshSeconds: 5 } : {}),
  });
}

export function findingsPage(f: FindingFilter, result: PageOf<FindingRow>): Html {
  const params = { ...f, per_page: result.per_page === 50 ? undefined : result.per_page };
  const body = html`
    <h1>检查结果</h1>
    ${filterForm(
      "/audit/findings",
      f,
      html`<label>规则 <input type="text" name="rule" value="${f.rule ?? ""}" placeholder="如 T3 或 T3.R1" size="8"></label>
      <label>级别 ${select("severity", f.severity, Object.entries(SEVERITY_LABEL), "全部")}</label>
      <label>来源 ${select("origin", f.origin, Object.entries(ORIGIN_LABEL), "全部")}</label>
      ${f.report !== undefined ? html`<input type="hidden" name="report" value="${f.report}">` : ""}`,
    )}
    ${NO_REGION_NOTE}
    <p class="count">共 ${fmt(result.total)} 条。 <a href="${href("/api/findings", f)}">JSON</a> · <a href="/audit">← 审计面板</a></p>
    <table class="list"><thead><tr><th>报告</th><th>规则</th><th>级别</th><th>来源</th><th>说明</th><th class="num">应为</th><th class="num">实际</th><th class="num">差额</th></tr></thead>
    <tbody>${result.items.map(
      (x) => html`<tr>
        <td><a href="/reports/${x.report_id}#f-${x.id}">#${x.report_id}</a> ${x.organ ?? ""} ${x.year ?? ""}</td>
        <td>${x.rule}</td><td>${severityBadge(x.severity)}</td><td>${x.origin === "source" ? "来源" : "提取"}</td>
        <td>${x.message}</td><td class="num">${x.expected ?? "—"}</td><td class="num">${x.actual ?? "—"}</td><td class="num">${x.residual ?? "—"}</td>
      </tr>`,
    )}</tbody></table>
    ${pager("/audit/findings", params, result.page, result.per_page, result.total)}`;
  return layout("检查结果", body, { active: "audit" });
}

export function crossYearPage(
  f: CrossFilter,
  page: number,
  perPage: number,
  cross: Outcome<CrossResult>,
): Html {
  let content: Html;
  if (cross.status === "pending") {
    content = html`<p class="note">正在后台计算跨年度检查，本页稍后会自动刷新。</p>`;
  } else if (cross.status === "failed") {
    content = html`<p class="warn">跨年度检查失败：${cross.message}</p>`;
  } else {
    const r = cross.result;
    content = html`<p class="count">共 ${fmt(r.total)} 条。</p>
      <table class="list"><thead><tr><th>机关</th><th>年度</th><th>规则</th><th>说明</th><th class="num">应为</th><th class="num">实际</th><th class="num">差额</th><th>报告</th></tr></thead>
      <tbody>${r.items.map(
        (x) => html`<tr><td>${x.organ}</td><td>${x.year}</td><td>${x.rule}</td><td>${x.message}</td>
          <td class="num">${x.expected ?? "—"}</td><td class="num">${x.actual ?? "—"}</td><td class="num">${x.residual ?? "—"}</td>
          <td><a href="/reports/${x.reportId}">${x.year}年 #${x.reportId}</a> ← <a href="/reports/${x.previousReportId}">${x.year - 1}年 #${x.previousReportId}</a></td></tr>`,
      )}</tbody></table>
      ${pager("/audit/cross-year", { year: f.year, organ: f.organ, rule: f.rule, per_page: perPage === 50 ? undefined : perPage }, page, perPage, r.total)}`;
  }
  const body = html`
    <h1>跨年度检查</h1>
    <form class="filters" action="/audit/cross-year" method="get">
      <label>年度（较晚的一年） <input type="number" name="year" value="${f.year ?? ""}" min="1990" max="2100"></label>
      <label>机关 <input type="text" name="organ" value="${f.organ ?? ""}" placeholder="名称包含"></label>
      <label>规则 ${select("rule", f.rule, Object.entries(CROSS_LABEL), "全部")}</label>
      <button type="submit">筛选</button>
    </form>
    <p><a href="/audit">← 审计面板</a></p>
    ${content}`;
  return layout("跨年度检查", body, {
    active: "audit",
    ...(cross.status === "pending" ? { refreshSeconds: 5 } : {}),
  });
}
