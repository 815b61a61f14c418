/** `/`: what is in the database, at a glance. */
import { html } from "hono/html";
import {
  fmt,
  type Html,
  href,
  layout,
  ORIGIN_LABEL,
  SEVERITY_LABEL,
  STATUS_LABEL,
  templateText,
} from "../layout.js";
import type { Overview } from "../queries.js";
import { reportRows } from "./reports.js";

export function overviewPage(o: Overview, dbName: string): Html {
  const body = html`
    <h1>概览</h1>
    <p class="muted">数据库：${dbName}</p>
    <div class="cards">
      <div class="card"><b>${fmt(o.reports)}</b><span>份报告</span></div>
      <div class="card"><b>${fmt(o.organs)}</b><span>个机关</span></div>
      ${o.by_status.map(
        (s) =>
          html`<a class="card" href="${href("/reports", { status: s.key })}"><b>${fmt(s.n)}</b><span>${STATUS_LABEL[s.key] ?? s.key}</span></a>`,
      )}
      <div class="card${o.failed_runs > 0 ? " bad" : ""}"><b>${fmt(o.failed_runs)}</b><span>个文件无法提取</span></div>
    </div>
    <div class="columns">
      <section><h2>按年度</h2><table class="plain"><tbody>${o.by_year.map(
        (y) =>
          html`<tr><th>${y.key ? html`<a href="${href("/reports", { year: y.key })}">${y.key}</a>` : "未识别"}</th><td class="num">${fmt(y.n)}</td></tr>`,
      )}</tbody></table></section>
      <section><h2>按模板</h2><table class="plain"><tbody>${o.by_template.map(
        (t) =>
          html`<tr><th>${t.key ? html`<a href="${href("/reports", { template: t.key })}">${templateText(t.key)}</a>` : "未识别"}</th><td class="num">${fmt(t.n)}</td></tr>`,
      )}</tbody></table></section>
      <section><h2>检查结果</h2><table class="plain"><tbody>${o.findings.map(
        (f) =>
          html`<tr><th><a href="${href("/audit/findings", { origin: f.origin, severity: f.severity })}">${ORIGIN_LABEL[f.origin]} · ${SEVERITY_LABEL[f.severity]}</a></th><td class="num">${fmt(f.n)}</td></tr>`,
      )}</tbody></table><p><a href="/audit">审计面板 →</a></p></section>
    </div>
    <h2>最近导入的报告</h2>
    ${reportRows(o.latest)}
    <p><a href="/reports">全部报告 →</a> · <a href="/search">全文检索 →</a></p>
    ${
      o.failed.length > 0
        ? html`<h2>无法提取的文件（最近 ${o.failed.length} 个，共 ${fmt(o.failed_runs)} 个）</h2>
      <table class="plain"><thead><tr><th>运行</th><th>位置</th><th>原因</th></tr></thead><tbody>${o.failed.map(
        (f) =>
          html`<tr><td>${f.id}</td><td><code>${f.locator ?? f.sha256}</code></td><td>${f.error ?? ""}</td></tr>`,
      )}</tbody></table>`
        : ""
    }`;
  return layout("概览", body, { active: "home" });
}
