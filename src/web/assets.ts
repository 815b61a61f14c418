/**
 * Static assets served by the app itself (no build step, no CDN): the stylesheet, the small
 * script that draws the audit charts, and chart.js from node_modules.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

let chartJs: Buffer | null = null;
/** chart.js's UMD bundle, read once from the installed package. */
export function chartUmd(): Buffer {
  // The package's exports map hides dist/chart.umd.js; it sits beside the CommonJS entry.
  chartJs ??= readFileSync(path.join(path.dirname(require.resolve("chart.js")), "chart.umd.js"));
  return chartJs;
}

/** Draws every `<canvas data-chart>`; the data is JSON in the attribute (see pages/audit.ts). */
export const CHARTS_JS = `"use strict";
(function () {
  if (typeof Chart === "undefined") return;
  var palette = ["#b3261e", "#1f5fa8", "#3d8b3d", "#c77700", "#6b4fa0", "#5f6b73", "#00838f", "#ad1457"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (el) {
    var spec;
    try { spec = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
    var datasets = spec.datasets.map(function (d, i) {
      var colors = spec.type === "doughnut" ? palette : palette[i % palette.length];
      return { label: d.label, data: d.data, stack: d.stack, backgroundColor: colors };
    });
    var options = { responsive: true, maintainAspectRatio: false, animation: false };
    if (spec.type === "bar") {
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked } };
    }
    new Chart(el, { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options });
  });
})();
`;

export const STYLE_CSS = `:root { --fg: #1d1d1f; --muted: #6b6b70; --line: #c9c9cf; --bg: #fff; --soft: #f5f5f7;
  --err: #b3261e; --warn: #c77700; --info: #1f5fa8; --ok: #2e7d32; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.6 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: var(--fg); background: var(--bg); }
a { color: #1f5fa8; }
header.top { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; background: #24292f; color: #fff; flex-wrap: wrap; }
header.top a { color: #fff; text-decoration: none; }
header.top .brand { font-weight: 700; }
header.top nav a { margin-right: 1rem; opacity: .8; }
header.top nav a.active { opacity: 1; border-bottom: 2px solid #fff; }
header.top form.quick { margin-left: auto; display: flex; gap: .3rem; }
main { padding: 1rem 1.2rem 3rem; max-width: 1500px; margin: 0 auto; }
footer { color: var(--muted); font-size: 12px; padding: 1rem 1.2rem; border-top: 1px solid var(--line); }
h1 { font-size: 1.5rem; margin: .3rem 0 .8rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .5rem; }
h3 small { color: var(--muted); font-weight: normal; }
.muted { color: var(--muted); } .small { font-size: 12px; }
.note { color: var(--muted); font-size: 13px; }
.warn { background: #fff4e5; border-left: 4px solid var(--warn); padding: .5rem .8rem; }
.missing { color: var(--err); }
.ok { color: var(--ok); }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; background: var(--soft); padding: .7rem; border-radius: 6px; }
form.filters label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); }
input, select, button { font: inherit; padding: .25rem .4rem; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.card { display: flex; flex-direction: column; min-width: 9rem; padding: .7rem 1rem; border: 1px solid var(--line); border-radius: 6px; text-decoration: none; color: inherit; }
.card b { font-size: 1.5rem; } .card span { color: var(--muted); font-size: 13px; }
.card.bad b { color: var(--err); }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1.5rem; }
table { border-collapse: collapse; }
table.list, table.plain { width: 100%; font-size: 14px; }
table.list th, table.list td, table.plain th, table.plain td { border-bottom: 1px solid #e3e3e8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
table td.num, table th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bad { color: var(--err); font-weight: 700; }
tr.current td { background: #eef5ff; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: 12px; background: var(--soft); }
.status-ok { background: #e6f4ea; color: var(--ok); } .status-partial { background: #fff4e5; color: var(--warn); } .status-failed { background: #fdecea; color: var(--err); }
.completion-found { background: #e6f4ea; color: var(--ok); } .completion-not-found { background: #fdecea; color: var(--err); } .completion-blocked, .completion-failed { background: #fff4e5; color: var(--warn); }
.sev-error.badge { background: #fdecea; color: var(--err); } .sev-warning.badge { background: #fff4e5; color: var(--warn); } .sev-info.badge { background: #e8f0fe; color: var(--info); }
.pager { margin: 1rem 0; display: flex; gap: 1rem; align-items: center; }
.exports { font-size: 13px; }
ol.hits li { margin-bottom: .8rem; }
.hit-title { font-weight: 600; }
.snippet { margin: .2rem 0; }
mark { background: #ffe58f; padding: 0 1px; }
.split { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 1.5rem; align-items: start; }
@media (max-width: 1100px) { .split { grid-template-columns: 1fr; } }
aside.side { position: sticky; top: .5rem; max-height: calc(100vh - 1rem); overflow: auto; }
aside.side h2 { margin-top: 0; }
ol.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border: 1px solid var(--line); border-left: 4px solid var(--info); border-radius: 4px; padding: .4rem .6rem; margin-bottom: .6rem; font-size: 14px; }
li.finding.sev-error { border-left-color: var(--err); } li.finding.sev-warning { border-left-color: var(--warn); }
li.finding:target { box-shadow: 0 0 0 3px #ffe58f; }
li.finding p { margin: .3rem 0; }
.fnum { display: inline-block; min-width: 1.4rem; text-align: center; background: #24292f; color: #fff; border-radius: 3px; font-size: 12px; }
.origin { font-size: 12px; color: var(--muted); }
dl.arith { display: grid; grid-template-columns: auto 1fr auto 1fr auto 1fr; gap: .1rem .4rem; margin: .2rem 0; }
dl.arith dt { color: var(--muted); } dl.arith dd { margin: 0; font-variant-numeric: tabular-nums; }
.paths { font-size: 12px; word-break: break-all; }
table.tpl { margin: .4rem 0 .8rem; font-size: 13px; }
table.tpl th, table.tpl td { border: 1px solid #888; padding: .2rem .35rem; }
table.tpl th { background: var(--soft); font-weight: normal; }
table.tpl th.label { text-align: left; }
table.tpl th.group.vertical { writing-mode: vertical-rl; letter-spacing: .2em; }
table.tpl th.note { font-size: 12px; max-width: 18rem; }
table.tpl tr.caption th { text-align: left; font-weight: 600; }
table.tpl td.v { text-align: right; min-width: 3rem; font-variant-numeric: tabular-nums; white-space: nowrap; cursor: help; }
.v.src-blank, .v.src-dash, .v.src-none { color: #999; }
.v.src-derived { font-style: italic; color: #555; }
.v.src-ambiguous, .v.src-unreadable { color: var(--err); font-weight: 700; }
.v.src-missing, .v.src-absent { color: #bbb; }
.v.flag { outline: 2px solid var(--info); outline-offset: -2px; }
.v.flag-error { outline-color: var(--err); background: #fdecea; }
.v.flag-warning { outline-color: var(--warn); background: #fff4e5; }
.v.flag-part { outline-style: dashed; outline-width: 1px; background: transparent; }
.v.flag-checked { outline-width: 3px; font-weight: 600; }
td.v:target { box-shadow: inset 0 0 0 3px #ffe58f; }
a.fref { font-size: 10px; vertical-align: super; margin-left: 2px; text-decoration: none; }
.legend { font-size: 12px; color: var(--muted); }
.legend .v { padding: 0 .3rem; }
details.extra { font-size: 13px; margin-bottom: .8rem; }
.narrative .text, .narrative .preamble { white-space: pre-wrap; }
.preamble { color: var(--muted); }
dl.kv { display: grid; grid-template-columns: 9rem 1fr; gap: .3rem 1rem; }
dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; word-break: break-all; }
.problems { background: #fff4e5; padding: .3rem 1rem; border-radius: 6px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1rem; margin: 1rem 0; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .6rem; }
.chart-box { position: relative; height: 280px; }
figure.chart figcaption { font-weight: 600; margin-bottom: .4rem; }
pre.source { white-space: pre-wrap; word-break: break-all; }
`;
