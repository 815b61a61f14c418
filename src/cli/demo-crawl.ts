/**
 * The crawl part of `nianbao demo`: a small simulated government web served on 127.0.0.1 (never
 * the real network), crawled into the demo database, then its completion report.
 */

import { startSimServer } from "../sim/server.js";
import { buildSimWeb, seeds as simSeeds } from "../sim/web.js";
import { openStore } from "../store/store.js";
import { crawlPass, renderCompletion } from "./crawl.js";

export async function demoCrawl(db: string, out: NodeJS.WritableStream): Promise<void> {
  const web = buildSimWeb({ sites: 24, seed: 2026, years: [2022, 2023, 2024] });
  const server = await startSimServer(web);
  const store = openStore(db);
  try {
    const seeds = web.sites.map((s) => ({
      siteCode: null,
      name: s.agency.name,
      region: s.agency.region,
      level: s.agency.level,
      entryUrl: `http://${s.host}/`,
    }));
    out.write(
      `模拟网站 ${web.sites.length} 个（127.0.0.1:${server.port}），抓取 ${web.years.join("、")} 年度报告…\n`,
    );
    const { summary, completion } = await crawlPass(store, seeds, web.years, {
      connectTo: () => ({ host: "127.0.0.1", port: server.port }),
      // Polite in shape, quick for a demo: the simulated hosts are all local.
      minDelayMs: 20,
      maxCrawlDelayMs: 300,
      retryBaseMs: 200,
      limits: {
        totalTimeoutMs: 3000,
        idleTimeoutMs: 3000,
        connectTimeoutMs: 2000,
        maxBytes: 32 * 1024 * 1024,
      },
    });
    out.write(`请求 ${summary.fetches} 次，文档 ${summary.reports} 份\n`);
    renderCompletion(completion, out);
  } finally {
    store.close();
    await server.close();
  }
}
