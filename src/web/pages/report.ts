/** `/reports/:id`: tables, findings beside them, narrative, provenance. */
import { html } from "hono/html";
import { SECTIONS } from "../../model/template.js";
import {
  fmt,
  type Html,
  href,
  layout,
  ORIGIN_LABEL,
  reportName,
  severityBadge,
  statusBadge,
  templateText,
} from "../layout.js";
import type { ReportDetail } from "../queries.js";
import { type Mark, reportTables } from "./tables.js";

const SECTION_ORDER = new Map<string, number>(SECTIONS.map((s, i) => [s.key, i]));

function value(v: number | string | null): string {
  return v === null ? "—" : String(v);
}

function findingList(marks: Mark[], cellPaths: Set<string>): Html {
  if (marks.length === 0) return html`<p class="ok">没有检查结果：表格自身的勾稽关系全部成立。</p>`;
  return html`<ol class="findings">${marks.map(({ n, anchor, finding: f }) => {
    const paths = [...new Set([...(f.path ? [f.path] : []), ...f.paths])];
    return html`<li id="${anchor}" class="finding sev-${f.severity}">
      <div class="fhead"><span class="fnum">${n}</span> <b>${f.rule}</b> ${severityBadge(f.severity)}
        <span class="origin origin-${f.origin}">${ORIGIN_LABEL[f.origin] ?? f.origin}</span></div>
      <p>${f.message}</p>
      ${
        f.expected !== null || f.actual !== null || f.residual !== null
          ? html`<dl class="arith"><dt>应为</dt><dd>${value(f.expected)}</dd><dt>实际</dt><dd>${value(f.actual)}</dd><dt>差额</dt><dd>${value(f.residual)}</dd></dl>`
          : ""
      }
      ${
        paths.length > 0
          ? html`<p class="paths">${paths.map((p) =>
              cellPaths.has(p) ? html`<a href="#cell-${p}">${p}</a> ` : html`<code>${p}</code> `,
            )}</p>`
          : ""
      }
    </li>`;
  })}</ol>`;
}

function locatorLink(locator: string): Html {
  // Only http(s) URLs become links; anything else (a path, a javascript: URL) stays text.
  return /^https?:\/\//i.test(locator)
    ? html`<a href="${locator}" rel="noopener noreferrer nofollow">${locator}</a>`
    : html`<code>${locator}</code>`;
}

export function reportPage(d: ReportDetail): Html {
  const { stored, findingIds, runs, sources, neighbours } = d;
  const { report, summary } = stored;
  const m = report.meta;
  const marks: Mark[] = report.findings.map((finding, i) => ({
    n: i + 1,
    anchor: `f-${findingIds[i] ?? `n${i + 1}`}`,
    finding,
  }));
  const sections = [...stored.sections].sort(
    (a, b) => (SECTION_ORDER.get(a.key) ?? 99) - (SECTION_ORDER.get(b.key) ?? 99),
  );
  const src = report.source;
  const name = reportName({ title: m.title, organ: m.organ, year: m.year, locator: src.locator });

  const body = html`
  <article class="report">
    <h1>${name}</h1>
    <p class="meta">
      <span>机关：${m.organ ?? "未识别"}</span> · <span>年度：${m.year ?? "未识别"}</span> ·
      <span>模板：${templateText(m.template)}</span> · <span>状态：${statusBadge(report.status)}</span>
      ${m.published_at ? html` · <span>发布：${m.published_at}</span>` : ""}
      ${m.period ? html` · <span>统计期：${m.period}</span>` : ""}
      · <a href="/reports/${summary.id}/original">原始文件</a>
      · <a href="/api/reports/${summary.id}">JSON</a>
    </p>
    ${
      summary.isCurrent
        ? ""
        : html`<p class="warn">这是较早一次提取的结果（提取器 ${summary.extractorName}@${summary.extractorVersion}），已被同一文件的较新结果取代。</p>`
    }
    ${
      neighbours.length > 0 || (m.organ && m.year)
        ? html`<p class="neighbours">同一机关：${neighbours.map(
            (n) => html`<a href="/reports/${n.id}">${n.year}年度报告 #${n.id}</a> · `,
          )}${m.organ && m.year ? html`<a href="${href("/audit/cross-year", { organ: m.organ, year: m.year })}">跨年度检查（${m.year - 1}→${m.year}）</a>` : ""}</p>`
        : ""
    }
    ${
      report.problems.length > 0 || report.needs_ocr.length > 0
        ? html`<section class="problems"><h2>提取问题</h2><ul>
            ${report.problems.map((p) => html`<li>${p}</li>`)}
            ${report.needs_ocr.map((o) => html`<li>第 ${o.page} 页需要 OCR（${o.reason}）：${o.detail}</li>`)}
          </ul></section>`
        : ""
    }
    <div class="split">
      <section class="tables">${reportTables(report, marks)}</section>
      <aside class="side"><h2>检查结果（${marks.length}）</h2>${findingList(marks, new Set(Object.keys(report.cells)))}</aside>
    </div>

    <section class="narrative"><h2>正文</h2>
      ${report.preamble ? html`<div class="preamble">${report.preamble}</div>` : ""}
      ${sections.map((s) => html`<h3 id="s-${s.key}">${s.heading}</h3><div class="text">${s.text}</div>`)}
      ${sections.length === 0 ? html`<p class="muted">没有识别出正文章节。</p>` : ""}
    </section>

    <section class="provenance"><h2>来源与提取记录</h2>
      <dl class="kv">
        <dt>位置</dt><dd>${locatorLink(src.locator)}</dd>
        ${sources.length > 1 ? html`<dt>也见于</dt><dd><ul>${sources.filter((s) => s.locator !== src.locator).map((s) => html`<li>${locatorLink(s.locator)} <span class="muted">${s.first_seen} — ${s.last_seen}</span></li>`)}</ul></dd>` : ""}
        <dt>SHA-256</dt><dd><code>${src.sha256}</code></dd>
        <dt>大小</dt><dd>${fmt(src.size)} 字节</dd>
        <dt>媒体类型</dt><dd>${src.media_type || "未知"}</dd>
        <dt>格式</dt><dd>${src.format}${src.format_evidence ? html` <span class="muted">（${src.format_evidence}）</span>` : ""}</dd>
        <dt>字符集</dt><dd>${src.charset ?? "—"}</dd>
        <dt>提取器</dt><dd>${report.extractor.name} ${report.extractor.version}</dd>
        <dt>状态</dt><dd>${statusBadge(report.status)}</dd>
        <dt>需要 OCR 的页</dt><dd>${report.needs_ocr.length > 0 ? report.needs_ocr.map((o) => `${o.page}`).join("、") : "无"}</dd>
        <dt>原始文件</dt><dd><a href="/reports/${summary.id}/original">查看</a> · <a href="/reports/${summary.id}/original?download=1">下载原始字节</a></dd>
      </dl>
      <h3>提取运行记录</h3>
      <table class="plain"><thead><tr><th>#</th><th>提取器</th><th>开始</th><th>结束</th><th>状态</th><th>错误</th></tr></thead>
      <tbody>${runs.map(
        (r) =>
          html`<tr${r.id === summary.runId ? html` class="current"` : ""}><td>${r.id}</td><td>${r.extractor_name}@${r.extractor_version}</td><td>${r.started_at}</td><td>${r.finished_at}</td><td>${statusBadge(r.status)}</td><td>${r.error ?? ""}</td></tr>`,
      )}</tbody></table>
      ${
        stored.history.length > 0
          ? html`<h3>同一文件的其他提取结果</h3><ul>${stored.history.map(
              (h) =>
                html`<li><a href="/reports/${h.id}">#${h.id}</a> ${h.extractorName}@${h.extractorVersion} ${statusBadge(h.status)} ${h.isCurrent ? "（当前）" : "（历史）"}</li>`,
            )}</ul>`
          : ""
      }
    </section>
  </article>`;
  return layout(name, body, { active: "reports" });
}
