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
    // The catalogue: one row per agency (a county portal hosts several), as a supervisory body has it.
    const seeds = simSeeds(web).map((s) => ({
      siteCode: s.siteCode,
      name: s.name,
      region: s.region,
      level: s.level,
      entryUrl: s.entryUrl,
    }));
    out.write(
      `模拟网站 ${web.sites.length} 个、机构 ${seeds.length} 个（127.0.0.1:${server.port}；含死站、robots 禁止、反爬验证页、重定向循环、超大响应等），抓取 ${web.years.join("、")} 年度报告…\n`,
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
