/**
 * The page shell and small HTML helpers. Every page is built with hono's `html` tagged template,
 * which escapes each interpolated value (`& < > " '`), so stored text — untrusted: it comes from
 * documents found on the web — can only ever appear as text, in element content or in quoted
 * attributes. Nothing in src/web calls hono's raw helper (a test checks), and no page has inline script:
 * chart data travels in `data-` attributes and the Content-Security-Policy allows only our own
 * script files.
 */
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export type Section = "home" | "search" | "reports" | "audit" | "completion";

export interface PageOptions {
  active?: Section;
  /** Extra script files (same origin) loaded with `defer`. */
  scripts?: string[];
  /** Reload after this many seconds (a result still being computed). */
  refreshSeconds?: number;
  /** Value for the search box in the header. */
  q?: string;
}

const NAV: [Section, string, string][] = [
  ["home", "/", "概览"],
  ["search", "/search", "全文检索"],
  ["reports", "/reports", "报告列表"],
  ["audit", "/audit", "审计"],
  ["completion", "/completion", "抓取"],
];

export function layout(title: string, body: Html, o: PageOptions = {}): Html {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 年报</title>
<link rel="stylesheet" href="/assets/style.css">
${o.refreshSeconds ? html`<meta http-equiv="refresh" content="${o.refreshSeconds}">` : ""}
${(o.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body>
<header class="top">
  <a class="brand" href="/">年报 nianbao</a>
  <nav>${NAV.map(([key, path, label]) => html`<a href="${path}"${key === o.active ? html` class="active"` : ""}>${label}</a>`)}</nav>
  <form class="quick" action="/search" method="get" role="search">
    <input type="search" name="q" value="${o.q ?? ""}" placeholder="检索正文，如 复议 诉讼" aria-label="检索词">
    <button type="submit">检索</button>
  </form>
</header>
<main>
${body}
</main>
<footer>政府信息公开工作年度报告 · 统计表提取与勾稽检查 · 只读视图</footer>
</body>
</html>`;
}

/** A same-origin link with query parameters; empty values are left out so links stay short. */
export function href(path: string, params: object = {}): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if ((typeof v === "string" && v !== "") || typeof v === "number") sp.set(k, String(v));
  }
  const qs = sp.toString();
  return qs ? `${path}?${qs}` : path;
}

export function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return Number.isInteger(n) ? n.toLocaleString("zh-CN") : String(n);
}

/** Previous / next links keeping every other parameter of the current URL. */
export function pager(path: string, params: object, page: number, perPage: number, total: number): Html {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const link = (p: number) => href(path, { ...params, page: p === 1 ? undefined : p });
  return html`<nav class="pager" aria-label="分页">
    ${page > 1 ? html`<a href="${link(1)}">« 首页</a> <a rel="prev" href="${link(page - 1)}">‹ 上一页</a>` : ""}
    <span>第 ${page} / ${pages} 页，共 ${fmt(total)} 条</span>
    ${page < pages ? html`<a rel="next" href="${link(page + 1)}">下一页 ›</a> <a href="${link(pages)}">末页 »</a>` : ""}
  </nav>`;
}

export const STATUS_LABEL: Record<string, string> = { ok: "成功", partial: "部分成功", failed: "失败" };
export const SEVERITY_LABEL: Record<string, string> = { error: "错误", warning: "警告", info: "提示" };
export const ORIGIN_LABEL: Record<string, string> = {
  source: "来源（文件自身勾稽不符）",
  extraction: "提取（识别不确定）",
};
export const TEMPLATE_LABEL: Record<string, string> = {
  v2019: "2019版",
  v2021: "2021版",
  "v2021-collapsed-other": "2021版（其他处理合并为一行）",
  hybrid: "混合",
  legacy: "旧式",
};

export function statusBadge(status: string): Html {
  return html`<span class="badge status-${status}">${STATUS_LABEL[status] ?? status}</span>`;
}

export function severityBadge(severity: string): Html {
  return html`<span class="badge sev-${severity}">${SEVERITY_LABEL[severity] ?? severity}</span>`;
}

export function templateText(t: string | null): string {
  return t === null ? "未识别" : (TEMPLATE_LABEL[t] ?? t);
}

/** Regions and administrative levels are not extracted yet; said where their filter would be. */
export const NO_REGION_NOTE = html`<p class="note">按地区、行政层级筛选：数据库中尚未记录地区和层级，暂不可用。</p>`;

export function select(
  name: string,
  value: string | undefined,
  options: [string, string][],
  emptyLabel: string,
): Html {
  return html`<select name="${name}">
    <option value="">${emptyLabel}</option>
    ${options.map(([v, label]) => html`<option value="${v}"${v === value ? html` selected` : ""}>${label}</option>`)}
  </select>`;
}

/** Link text for a report: title, else organ + year, else its locator. */
export function reportName(r: {
  title: string | null;
  organ: string | null;
  year: number | null;
  locator?: string;
}): string {
  if (r.title) return r.title;
  if (r.organ || r.year) return `${r.organ ?? "未识别机关"} ${r.year ?? ""}年度报告`;
  return r.locator ?? "未命名报告";
}
