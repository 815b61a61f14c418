/**
 * `nianbao crawl` and `nianbao completion`: the command-line side of the crawler (options,
 * the one-crawler-per-database lock, progress lines, the completion table).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { parseSeeds, type Seed, seedFromUrl } from "../crawl/catalogue.js";
import { type CompletionRow, completionReport, lastPassYears } from "../crawl/completion.js";
import { Crawler, type CrawlOptions, type CrawlSummary } from "../crawl/crawler.js";
import { mergeCdxj, WarcWriter } from "../crawl/warc.js";
import { EXTRACTOR } from "../pipeline/extract.js";
import type { Store } from "../store/store.js";
import { openStore } from "../store/store.js";

export class CrawlUsageError extends Error {}

/** `2021-2023`, `2021,2023` or `2022`; default: the three reporting years before this one. */
export function parseYears(spec: string | undefined, today = new Date()): number[] {
  if (!spec) {
    const y = today.getUTCFullYear();
    return [y - 3, y - 2, y - 1];
  }
  const years = new Set<number>();
  for (const part of spec.split(",")) {
    const m = /^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$/.exec(part);
    if (!m) throw new CrawlUsageError(`--years: not a year or range: ${part}`);
    const a = Number(m[1]);
    const b = Number(m[2] ?? m[1]);
    if (b < a || b - a > 50) throw new CrawlUsageError(`--years: bad range ${part}`);
    for (let y = a; y <= b; y++) years.add(y);
  }
  return [...years].sort((x, y) => x - y);
}

/** `127.0.0.1:8080`: every host is reached at that address (the Host header keeps the name). */
export function parseConnectTo(spec: string | undefined): CrawlOptions["connectTo"] {
  if (!spec) return undefined;
  const m = /^(.+):(\d+)$/.exec(spec.trim());
  if (!m) throw new CrawlUsageError(`--connect-to: expected HOST:PORT, got ${spec}`);
  const host = m[1] as string;
  const port = Number(m[2]);
  return () => ({ host, port });
}

/**
 * One crawler per database: the SQLite frontier hands every stale lease to the process that
 * starts, which is only safe when no other crawler is still running on the same file.
 */
function takeLock(db: string): () => void {
  const lock = `${db}.crawl.lock`;
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, "utf8").trim());
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (err) {
        alive = (err as NodeJS.ErrnoException).code === "EPERM";
      }
    }
    if (alive) throw new CrawlUsageError(`another crawl (pid ${pid}) is running on ${db}; lock ${lock}`);
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

export interface CrawlCliOptions {
  db: string;
  seeds?: string;
  years?: string;
  concurrency: number;
  delay: number;
  maxCrawlDelay: number;
  contact?: string;
  warc?: string;
  connectTo?: string;
  allowHost?: string[];
  maxFetches?: number;
  maxDepth: number;
  timeout: number;
  maxBytes: number;
  quiet?: boolean;
  json?: boolean;
  refresh?: boolean;
}

function readSeeds(o: CrawlCliOptions, urls: string[], err: NodeJS.WritableStream): Seed[] {
  const seeds: Seed[] = [];
  if (o.seeds) {
    const { seeds: s, issues } = parseSeeds(readFileSync(o.seeds, "utf8"));
    for (const i of issues) err.write(`seeds ${o.seeds}:${i.line}: ${i.message}\n`);
    seeds.push(...s);
  }
  for (const u of urls) {
    const s = seedFromUrl(u);
    if (!s) throw new CrawlUsageError(`not a URL or host: ${u}`);
    seeds.push(s);
  }
  return seeds;
}

/** Runs (or resumes) a crawl pass; returns the summary and the completion rows of its years. */
export async function crawlPass(
  store: Store,
  seeds: Seed[],
  years: number[],
  opts: CrawlOptions,
  refresh = false,
): Promise<{ summary: CrawlSummary; completion: CompletionRow[] }> {
  const db = store.connection;
  const crawler = new Crawler(store, opts);
  const known = (db.prepare("SELECT count(*) AS n FROM crawl_agencies").get() as { n: number }).n;
  if (seeds.length === 0 && known === 0)
    throw new CrawlUsageError("nothing to crawl: give --seeds FILE or URLs");
  crawler.seed(seeds);
  if (refresh) crawler.newPass();
  const pass = Number(
    db
      .prepare("INSERT INTO crawl_passes(started_at, years, seeds) VALUES (?, ?, ?)")
      .run(new Date().toISOString(), JSON.stringify(years), seeds.length || known).lastInsertRowid,
  );
  const summary = await crawler.run();
  db.prepare("UPDATE crawl_passes SET finished_at = ?, fetches = ?, summary = ? WHERE id = ?").run(
    summary.stoppedEarly ? null : new Date().toISOString(),
    summary.fetches,
    JSON.stringify(summary),
    pass,
  );
  return { summary, completion: completionReport(db, years) };
}

const STATUS_ZH: Record<CompletionRow["status"], string> = {
  found: "已找到",
  "not-found": "未找到",
  blocked: "被阻止",
  failed: "失败",
};

export function renderCompletion(rows: CompletionRow[], out: NodeJS.WritableStream): void {
  const count = (s: CompletionRow["status"]) => rows.filter((r) => r.status === s).length;
  out.write(
    `完成情况（机构×年度 ${rows.length}）：已找到 ${count("found")}，未找到 ${count("not-found")}，被阻止 ${count("blocked")}，失败 ${count("failed")}；逾期发布 ${rows.filter((r) => r.late).length}\n`,
  );
  for (const r of rows) {
    const when = r.publishedAt
      ? ` 发布 ${r.publishedAt.slice(0, 10)}${r.late ? `（逾期，期限 ${r.deadline}）` : ""}`
      : "";
    const where = r.url ? ` ${r.url}` : "";
    const why = r.reason ? ` — ${r.reason}` : "";
    out.write(`  ${r.agency} ${r.year} [${STATUS_ZH[r.status]}]${when}${where}${why}\n`);
  }
}

export async function runCrawl(urls: string[], o: CrawlCliOptions): Promise<number> {
  const years = parseYears(o.years);
  const err = process.stderr;
  const seeds = readSeeds(o, urls, err);
  const release = takeLock(o.db);
  const store = openStore(o.db);
  let warc: WarcWriter | null = null;
  if (o.warc) {
    mkdirSync(o.warc, { recursive: true });
    warc = new WarcWriter(o.warc, `nianbao/${EXTRACTOR.version}`);
  }
  let fetched = 0;
  try {
    const { summary, completion } = await crawlPass(
      store,
      seeds,
      years,
      {
        concurrency: o.concurrency,
        minDelayMs: o.delay,
        maxCrawlDelayMs: o.maxCrawlDelay,
        maxDepth: o.maxDepth,
        limits: { totalTimeoutMs: o.timeout, maxBytes: o.maxBytes },
        archive: warc,
        ...(o.contact ? { contact: o.contact } : {}),
        ...(o.connectTo ? { connectTo: parseConnectTo(o.connectTo) } : {}),
        ...(o.allowHost ? { allowHosts: o.allowHost } : {}),
        ...(o.maxFetches !== undefined ? { maxFetches: o.maxFetches } : {}),
        log: (e) => {
          if (o.quiet) return;
          if (e.type === "fetch") {
            fetched++;
            if (e.status === null || e.status >= 400)
              err.write(`  ${e.status ?? "ERR"} ${e.url}${e.error ? ` (${e.error})` : ""}\n`);
            else if (fetched % 25 === 0) err.write(`  … ${fetched} requests\n`);
          } else if (e.type === "host") err.write(`  [${e.host}] ${e.note}\n`);
          else if (e.type === "blocked") err.write(`  blocked (${e.why}) ${e.url}\n`);
        },
      },
      o.refresh === true,
    );
    if (warc) {
      await warc.close();
      mergeCdxj(warc.dir);
    }
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ summary, completion }, null, 2)}\n`);
    } else {
      const f = summary.frontier;
      process.stdout.write(
        `抓取 ${summary.fetches} 次请求；文档 ${summary.reports} 份；URL：完成 ${f.done ?? 0}，失败 ${f.failed ?? 0}，被阻止 ${f.blocked ?? 0}，待抓 ${f.pending ?? 0}\n`,
      );
      if (summary.hosts.dead.length)
        process.stdout.write(`无法连接的站点（已停止重试）：${summary.hosts.dead.join(", ")}\n`);
      if (summary.hosts.challenge.length)
        process.stdout.write(`反爬验证页（未绕过）：${summary.hosts.challenge.join(", ")}\n`);
      if (summary.hosts.robotsBlocked.length)
        process.stdout.write(`robots.txt 禁止抓取：${summary.hosts.robotsBlocked.join(", ")}\n`);
      if (summary.stoppedEarly) process.stdout.write("已按 --max-fetches 暂停；再次运行同一命令即可继续。\n");
      renderCompletion(completion, process.stdout);
    }
    return 0;
  } finally {
    if (warc) await warc.close();
    store.close();
    release();
  }
}

export function runCompletion(o: { db: string; years?: string; json?: boolean }): number {
  const store = openStore(o.db, { readonly: true });
  try {
    const db = store.reader;
    const years = o.years ? parseYears(o.years) : (lastPassYears(store.reader) ?? parseYears(undefined));
    const rows = completionReport(db, years);
    if (o.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else renderCompletion(rows, process.stdout);
    return 0;
  } finally {
    store.close();
  }
}
