/**
 * Ingest benchmark: N generated reports (every HTML and text style, both templates) through
 * parse + map + validate + store into a fresh SQLite file. Prints figures; asserts nothing.
 *
 *   npm run bench                 # 1000 reports
 *   npm run bench -- --n 5000     # more
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { extractReport } from "../src/pipeline/extract.js";
import { ingestBytes, ingestSources } from "../src/pipeline/ingest.js";
import { generateCorpus } from "../src/samples/generator.js";
import { openStore } from "../src/store/store.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const n = arg("n", 1000);
const seed = arg("seed", 7);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const t0 = performance.now();
const corpus = generateCorpus(n, seed);
const tGen = performance.now() - t0;
const bytesTotal = corpus.reduce((s, c) => s + c.bytes.length, 0);

// Stage 1: extraction alone (parse + map + validate), no database.
const t1 = performance.now();
let ok = 0;
for (const item of corpus) {
  const r = await extractReport({
    bytes: item.bytes,
    locator: item.id,
    ...(item.contentType ? { contentType: item.contentType } : {}),
  });
  if (r.status === "ok") ok++;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const tExtract = performance.now() - t1;

// Stage 2: end to end into SQLite (one transaction per document).
const dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-bench-"));
const store = openStore(path.join(dir, "bench.db"));
const t2 = performance.now();
for (const item of corpus) await ingestBytes(store, item.bytes, item.id, item.contentType);
const tIngest = performance.now() - t2;
const t3 = performance.now();
for (const item of corpus) await ingestBytes(store, item.bytes, item.id, item.contentType);
const tReingest = performance.now() - t3;
store.close();

// Stage 3: end to end with extraction spread over worker threads (one per core), as `nianbao ingest` runs.
const store2 = openStore(path.join(dir, "bench-pool.db"));
const workers = os.availableParallelism();
const t4 = performance.now();
await ingestSources(
  store2,
  corpus.map((item) => ({
    locator: item.id,
    load: async () => ({ bytes: item.bytes, ...(item.contentType ? { contentType: item.contentType } : {}) }),
  })),
  { workers },
);
const tPool = performance.now() - t4;
store2.close();
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
rmSync(dir, { recursive: true, force: true });

const styles = new Set(corpus.map((c) => c.style));
console.log(
  `nianbao ingest bench — node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}`,
);
console.log(
  `corpus: ${n} reports, ${styles.size} styles, ${mb(bytesTotal)} (generated in ${tGen.toFixed(0)} ms)`,
);
console.log(
  `extract only (parse+map+validate): ${(n / (tExtract / 1000)).toFixed(0)} reports/s  (${(tExtract / n).toFixed(2)} ms/report, ${ok} ok)`,
);
console.log(
  `end to end into SQLite:            ${(n / (tIngest / 1000)).toFixed(0)} reports/s  (${(tIngest / n).toFixed(2)} ms/report)`,
);
console.log(
  `end to end, ${workers} extraction workers: ${(n / (tPool / 1000)).toFixed(0)} reports/s  (${(tPool / n).toFixed(2)} ms/report, worker start-up included)`,
);
console.log(`re-ingest (skipped, idempotent):   ${(n / (tReingest / 1000)).toFixed(0)} reports/s`);
console.log(`peak RSS: ${mb(peakRss)}`);
