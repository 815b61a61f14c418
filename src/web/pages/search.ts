/** `/search`: full-text search over titles and narrative sections, hits highlighted, paginated. */
import { html } from "hono/html";
import { type Html, href, layout, pager, reportName, select, TEMPLATE_LABEL } from "../layout.js";
import type { ReportFilter } from "../params.js";
import type { PageOf, SearchItem } from "../queries.js";

/** ASCII-only case folding, as the Store's snippet marks terms. */
const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The Store marks hits as 【hit】. Stored text may itself contain 【】 (common in Chinese), so a
 * bracketed run is a mark only when it contains one of the terms. The snippet is split into
 * plain and marked pieces and each piece goes through the escaping template — the markers are
 * never turned into markup by string replacement.
 */
export function highlight(snippet: string, terms: readonly string[]): Html {
  const folded = terms.map(fold);
  const parts: Html[] = [];
  let last = 0;
  for (const m of snippet.matchAll(/【([^【】]*)】/g)) {
    const inner = m[1] ?? "";
    if (!folded.some((t) => fold(inner).includes(t))) continue;
    parts.push(html`${snippet.slice(last, m.index)}<mark>${inner}</mark>`);
    last = m.index + m[0].length;
  }
  parts.push(html`${snippet.slice(last)}`);
  return html`${parts}`;
}

export function searchForm(q: string, f: ReportFilter): Html {
  return html`<form class="filters" action="/search" method="get">
    <label>检索词 <input type="search" name="q" value="${q}" placeholder="多个词用空格分开，如 复议 诉讼" autofocus></label>
    <label>年度 <input type="number" name="year" value="${f.year ?? ""}" min="1990" max="2100"></label>
    <label>机关 <input type="text" name="organ" value="${f.organ ?? ""}" placeholder="名称包含"></label>
    <label>模板 ${select("template", f.template, Object.entries(TEMPLATE_LABEL), "全部")}</label>
    <button type="submit">检索</button>
  </form>`;
}

export function searchPage(terms: string[], f: ReportFilter, result: PageOf<SearchItem> | null): Html {
  const q = terms.join(" ");
  const params = { q, year: f.year, organ: f.organ, template: f.template };
  const body = html`
    <h1>全文检索</h1>
    ${searchForm(q, f)}
    <p class="note">在标题和正文各章节中检索；多个词为“与”关系；两个字的词（如“复议”“诉讼”）也能检索。本页地址可直接分享。
      <a href="${href("/api/search", { ...params, per_page: result?.per_page })}">JSON</a></p>
    ${
      result === null
        ? ""
        : html`<p class="count">共 ${result.total} 个章节命中。</p>
      <ol class="hits" start="${(result.page - 1) * result.per_page + 1}">${result.items.map(
        (h) => html`<li>
          <a class="hit-title" href="/reports/${h.report_id}#s-${h.section_key}">${reportName(h)}</a>
          <span class="muted">${h.organ ?? ""} ${h.year ?? ""} · ${h.heading}</span>
          <p class="snippet">${highlight(h.snippet, terms)}</p>
        </li>`,
      )}</ol>
      ${pager("/search", { ...params, per_page: result.per_page === 50 ? undefined : result.per_page }, result.page, result.per_page, result.total)}`
    }`;
  return layout(q ? `检索：${q}` : "全文检索", body, { active: "search", q });
}
