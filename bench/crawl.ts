/**
 * Crawl benchmark: N simulated sites (default 1,000) served by a separate process on 127.0.0.1,
 * crawled with politeness delays at zero into a temp store. Prints requests/s, documents/s, peak
 * memory of the crawler process and the frontier size; asserts nothing.
 *
 *   npm run bench:crawl                        # 1,000 sites
 *   npm run bench:crawl -- --sites 200 --concurrency 64 --workers 2
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Seed } from "../src/crawl/catalogue.js";
import { completionReport } from "../src/crawl/completion.js";
import { Crawler } from "../src/crawl/crawler.js";
import { buildSimWeb, truth } from "../src/sim/web.js";
import { openStore } from "../src/store/store.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const sites = Number(arg("sites") ?? 1000);
const concurrency = Number(arg("concurrency") ?? 32);
const workers = Number(arg("workers") ?? 1);
const here = path.dirname(fileURLToPath(import.meta.url));

const server = fork(path.join(here, "sim-server.js"), [String(sites), "1"], {
  stdio: ["ignore", "pipe", "inherit", "ipc"],
});
const hello = await new Promise<{ port: number; seeds: (Seed & { siteCode: string })[] }>(
  (resolve, reject) => {
    let buf = "";
    server.stdout?.on("data", (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    server.once("exit", (code) => reject(new Error(`sim server exited ${code}`)));
  },
);

const dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-bench-crawl-"));
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 200);
try {
  const store = openStore(path.join(dir, "crawl.db"));
  const crawler = new Crawler(store, {
    concurrency,
    workers,
    minDelayMs: 0,
    maxCrawlDelayMs: 0,
    retryBaseMs: 200,
    connectTo: () => ({ host: "127.0.0.1", port: hello.port }),
    limits: { totalTimeoutMs: 2000, idleTimeoutMs: 2000, connectTimeoutMs: 2000, maxBytes: 32 * 1024 * 1024 },
  });
  crawler.seed(hello.seeds.map((s) => ({ ...s, region: s.region ?? null, level: s.level ?? null })));
  const t0 = performance.now();
  const summary = await crawler.run();
  const secs = (performance.now() - t0) / 1000;
  const rows = completionReport(store.reader, [2021, 2022, 2023]);
  // The same deterministic web built here gives the truth to score recall against.
  const expected = truth(buildSimWeb({ sites, seed: 1, years: [2021, 2022, 2023] }));
  const got = new Map(rows.map((r) => [`${r.siteCode} ${r.year}`, r]));
  const shouldFind = expected.filter((t) => t.completion === "found");
  const found = shouldFind.filter((t) => {
    const r = got.get(`${t.siteCode} ${t.year}`);
    return r?.status === "found" && r.url === t.url;
  });
  const agree = expected.filter((t) => got.get(`${t.siteCode} ${t.year}`)?.status === t.completion).length;
  const frontier = Object.values(summary.frontier).reduce((a, b) => a + b, 0);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    `crawl of ${sites} simulated sites (${hello.seeds.length} agencies), concurrency ${concurrency}, ${workers} extraction thread(s), delays 0`,
  );
  console.log(
    `  ${summary.fetches} requests in ${secs.toFixed(1)} s = ${(summary.fetches / secs).toFixed(0)} requests/s`,
  );
  console.log(
    `  ${summary.reports} documents extracted and stored = ${(summary.reports / secs).toFixed(1)} documents/s`,
  );
  console.log(
    `  frontier ${frontier} URLs; completion: ${rows.filter((r) => r.status === "found").length} found / ${rows.length} agency-years`,
  );
  console.log(
    `  recall ${found.length}/${shouldFind.length} reports at their URL (${((100 * found.length) / shouldFind.length).toFixed(1)} %); completion as the truth for ${agree}/${expected.length} agency-years`,
  );
  console.log(
    `  peak RSS ${(Math.max(peakRss, maxRss) / 1024 / 1024).toFixed(0)} MB (crawler process, incl. the extraction thread)`,
  );
  store.close();
} finally {
  clearInterval(sampler);
  server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
