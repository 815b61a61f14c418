/**
 * Frontier benchmark: how enqueue and lease/complete behave as the SQLite frontier grows, and
 * whether memory stays flat (the frontier lives in SQLite; the crawler keeps only per-host counters).
 * Prints figures; asserts nothing.
 *
 *   npm run bench:frontier                       # 10k, 100k, 1M URLs over 10,000 hosts
 *   npm run bench:frontier -- --sizes 10000,200000
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { FETCH_KIND, type FetchTaskData, Frontier, fetchKey } from "../src/crawl/frontier.js";
import type { TaskSpec } from "../src/crawl/queue.js";
import { openStore } from "../src/store/store.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const sizes = (arg("sizes") ?? "10000,100000,1000000").split(",").map(Number);
const hosts = Number(arg("hosts") ?? 10_000);
const cycles = Number(arg("cycles") ?? 20_000);
const mb = (n: number) => (n / 1024 / 1024).toFixed(0);

console.log(
  `frontier: ${hosts} hosts; lease+complete ${cycles} tasks at each size (16 leased at a time, politeness gate 0)`,
);
console.log("urls      enqueue/s   lease+complete/s   rss MB   heap MB   db MB");
const dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-bench-frontier-"));
try {
  const store = openStore(path.join(dir, "frontier.db"));
  const frontier = new Frontier(store.connection, "bench", 600_000);
  let have = 0;
  for (const size of sizes) {
    const t0 = performance.now();
    const batch: TaskSpec<FetchTaskData>[] = [];
    const flush = () => {
      store.atomically(() => frontier.enqueue(batch));
      batch.length = 0;
    };
    for (let i = have; i < size; i++) {
      const host = `www.h${i % hosts}.gov.cn`;
      const url = `http://${host}/zwgk/nb/index_${Math.floor(i / hosts)}.html`;
      batch.push({
        kind: FETCH_KIND,
        dedupeKey: fetchKey(url),
        hostKey: host,
        data: { url, role: "list", depth: 2, parentId: null, agencyId: null, text: "政府信息公开年报" },
      });
      if (batch.length === 5000) flush();
    }
    flush();
    const enqueueRate = (size - have) / ((performance.now() - t0) / 1000);
    have = size;
    // Hosts have robots rules so their pages may be leased.
    store.connection.prepare("UPDATE crawl_hosts SET robots_kind = 'none', has_work = 1").run();
    const busy = new Set<string>();
    const t1 = performance.now();
    let done = 0;
    while (done < cycles) {
      const leased = store.atomically(() => frontier.lease(FETCH_KIND, 16, busy));
      if (leased.length === 0) break;
      store.atomically(() => {
        for (const t of leased) frontier.complete(t.id, { state: "done", outcome: "bench", httpStatus: 200 });
      });
      done += leased.length;
    }
    const leaseRate = done / ((performance.now() - t1) / 1000);
    const dbSize = (
      store.connection
        .prepare("SELECT page_count * page_size AS b FROM pragma_page_count(), pragma_page_size()")
        .get() as { b: number }
    ).b;
    global.gc?.();
    const m = process.memoryUsage();
    console.log(
      `${String(size).padEnd(9)} ${enqueueRate.toFixed(0).padStart(9)}   ${leaseRate.toFixed(0).padStart(16)}   ${mb(m.rss).padStart(6)}   ${mb(m.heapUsed).padStart(7)}   ${mb(dbSize).padStart(5)}`,
    );
  }
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
