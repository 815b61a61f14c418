/**
 * Web server benchmark: N generated reports in a temp store, a real server on 127.0.0.1, and the
 * server time (its `Server-Timing` header) of searches, report pages, the audit dashboard and the
 * findings API. Prints median and p95; asserts nothing. Target: search and report pages < 100 ms.
 *
 *   npm run bench:serve                      # 10,000 reports
 *   npm run bench:serve -- --n 2000
 *   npm run bench:serve -- --db /tmp/x.db    # reuse (or keep) a store instead of a temp one
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ingestSources } from "../src/pipeline/ingest.js";
import { generateCorpus } from "../src/samples/generator.js";
import { openStore } from "../src/store/store.js";
import { startServer } from "../src/web/server.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const n = Number(arg("n") ?? 10_000);
const runs = Number(arg("runs") ?? 30);
const keep = arg("db");
const dir = keep ? null : mkdtempSync(path.join(os.tmpdir(), "nianbao-bench-serve-"));
const db = keep ?? path.join(dir ?? ".", "serve.db");

if (!existsSync(db)) {
  const t0 = performance.now();
  const corpus = generateCorpus(n, 7);
  const store = openStore(db);
  await ingestSources(
    store,
    corpus.map((item) => ({
      locator: item.id,
      load: async () => ({
        bytes: item.bytes,
        ...(item.contentType ? { contentType: item.contentType } : {}),
      }),
    })),
    { workers: 2 },
  );
  store.close();
  console.log(`generated and ingested ${n} reports in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} else {
  // An existing file may predate the latest migration; the server opens it read-only.
  openStore(db).close();
}

const server = await startServer({ db, port: 0 });

/** Server time from the Server-Timing header, and the client's wall time on loopback. */
async function timed(p: string): Promise<{ server: number; wall: number; status: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}${p}`);
  const body = await res.text();
  const wall = performance.now() - t0;
  const m = /app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "");
  return { server: m ? Number(m[1]) : Number.NaN, wall, status: res.status, body };
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

const rows: string[][] = [];
async function measure(label: string, paths: (i: number) => string): Promise<void> {
  await timed(paths(0)); // warm-up: statement preparation, page cache
  const server: number[] = [];
  const wall: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const r = await timed(paths(i));
    if (r.status !== 200) throw new Error(`${paths(i)} → ${r.status}: ${r.body.slice(0, 200)}`);
    server.push(r.server);
    wall.push(r.wall);
    bytes += r.body.length;
  }
  rows.push([
    label,
    quantile(server, 0.5).toFixed(1),
    quantile(server, 0.95).toFixed(1),
    quantile(wall, 0.5).toFixed(1),
    quantile(wall, 0.95).toFixed(1),
    `${Math.round(bytes / runs / 1024)} KB`,
  ]);
}

const reports = (await (await fetch(`${server.url}/api/reports?per_page=1`)).json()) as { total: number };
const total = reports.total;
const id = (i: number) => 1 + ((i * 7919) % total);
const q = encodeURIComponent;

// The audit's cross-year part runs in a worker; time it before the dashboard is measured warm.
const tCross = performance.now();
let crossStatus = "pending";
while (crossStatus === "pending" && performance.now() - tCross < 300_000) {
  const a = (await (await fetch(`${server.url}/api/audit`)).json()) as { cross_year: { status: string } };
  crossStatus = a.cross_year.status;
}
const crossSeconds = (performance.now() - tCross) / 1000;
const cold = await timed("/audit?year=2022"); // aggregates not cached yet for this filter

await measure("search 复议 (2 chars)", (i) => `/search?q=${q("复议")}&page=${1 + (i % 5)}`);
await measure("search 行政复议 (4 chars)", (i) => `/search?q=${q("行政复议")}&page=${1 + (i % 5)}`);
await measure("search 复议 诉讼 (two terms)", (i) => `/search?q=${q("复议 诉讼")}&page=${1 + (i % 5)}`);
await measure("search 公开 (every section)", () => `/search?q=${q("公开")}&page=50`);
await measure("api/search 复议 诉讼", () => `/api/search?q=${q("复议 诉讼")}`);
await measure("report page", (i) => `/reports/${id(i)}`);
await measure("api/reports/:id", (i) => `/api/reports/${id(i)}`);
await measure("reports list", (i) => `/reports?page=${1 + i}`);
await measure("audit (cached)", () => "/audit");
await measure("api/findings", (i) => `/api/findings?page=${1 + i}`);
await measure("api/findings?rule=T3", () => "/api/findings?rule=T3&per_page=200");

await server.close();
if (dir) rmSync(dir, { recursive: true, force: true });

const head = ["request", "server p50", "server p95", "wall p50", "wall p95", "size"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (r: string[]) =>
  r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
console.log(`\n${total} reports; ${runs} requests each; times in ms`);
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log(
  `\naudit, first request for a filter (aggregates computed): ${cold.server.toFixed(0)} ms; ` +
    `cross-year rules ready after ${crossSeconds.toFixed(1)} s (${crossStatus}, in a worker thread)`,
);
