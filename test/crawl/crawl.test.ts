import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WARCParser } from "warcio";
import { type CompletionRow, completionReport } from "../../src/crawl/completion.js";
import { Crawler, type CrawlOptions, type CrawlSummary } from "../../src/crawl/crawler.js";
import { WarcWriter } from "../../src/crawl/warc.js";
import { type SimServer, startSimServer } from "../../src/sim/server.js";
import { badInputs, buildSimWeb, SPAM_HOST, seeds, truth } from "../../src/sim/web.js";
import { openStore, type Store } from "../../src/store/store.js";
import { startServer } from "../../src/web/server.js";

const MIN_DELAY = 40;
const CAPPED_DELAY = 400;
const web = buildSimWeb({ sites: 24, seed: 42, years: [2021, 2022, 2023] });
const expected = truth(web);
let srv: SimServer;
let dir: string;
let store: Store;
let summary: CrawlSummary;
let completion: CompletionRow[];
let warcFile: string;

const options = (): CrawlOptions => ({
  minDelayMs: MIN_DELAY,
  maxCrawlDelayMs: CAPPED_DELAY,
  retryBaseMs: 100,
  connectTo: () => ({ host: "127.0.0.1", port: srv.port }),
  limits: { connectTimeoutMs: 2000, idleTimeoutMs: 1500, totalTimeoutMs: 1500, maxBytes: 16 * 1024 * 1024 },
});

beforeAll(async () => {
  srv = await startSimServer(web);
  dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-crawl-"));
  store = openStore(path.join(dir, "crawl.db"));
  const warc = new WarcWriter(dir, "nianbao-test");
  warcFile = warc.file;
  const crawler = new Crawler(store, { ...options(), archive: warc });
  crawler.seed(
    seeds(web).map((s) => ({
      siteCode: s.siteCode,
      name: s.name,
      region: s.region,
      level: s.level,
      entryUrl: s.entryUrl,
    })),
  );
  summary = await crawler.run();
  await warc.close();
  completion = completionReport(store.reader, web.years);
}, 120_000);

afterAll(async () => {
  store?.close();
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = (siteCode: string, year: number) =>
  completion.find((r) => r.siteCode === siteCode && r.year === year);
const task = (where: string, ...args: string[]) =>
  store.reader
    .prepare<
      string[],
      { url: string; state: string; outcome: string | null; error: string | null; data: string }
    >(`SELECT url, state, outcome, error, data FROM crawl_frontier WHERE ${where}`)
    .all(...args);

describe("a crawl of the simulated government web", () => {
  it("finds every report placed on crawlable pages (every form), at its final URL, with its publication date", () => {
    const reachable = expected.filter((t) => t.completion === "found");
    expect(new Set(reachable.map((t) => t.form))).toEqual(
      new Set(["html", "pdf", "doc", "docx", "scan-pdf", "img-stack"]),
    );
    for (const t of reachable) {
      const r = row(t.siteCode, t.year);
      const what = `${t.agency} ${t.year} (${t.form})`;
      expect(r?.status, what).toBe("found");
      expect(r?.url, what).toBe(t.url);
      expect(r?.linkedAs, what).toBe(t.linkedAs ?? t.url);
      expect(r?.publishedAt?.slice(0, 10), what).toBe(t.publishedAt?.slice(0, 10));
      expect(r?.deadline, what).toBe(t.deadline);
      expect(r?.late, what).toBe(t.late);
      // Typed reports are read; scans and picture pages are kept and marked for OCR, never "ok" by guesswork.
      if (t.form === "html") expect(r?.extraction, what).toBe("ok");
    }
  });

  it("reports every agency and year as the truth says: found, not found, blocked or failed", () => {
    expect(completion).toHaveLength(expected.length);
    for (const t of expected)
      expect(row(t.siteCode, t.year)?.status, `${t.agency} ${t.year}`).toBe(t.completion);
    const missing = expected.find((t) => t.url === "missing");
    expect(missing && row(missing.siteCode, missing.year)?.reason).toBe(
      "no report for this year on the crawled site",
    );
    expect(summary.hosts.dead).toEqual([web.specials.deadHost]);
    expect(summary.hosts.robotsBlocked).toEqual([web.specials.robotsBlockedHost]);
    expect(summary.hosts.challenge.sort()).toEqual(
      [web.specials.bad.challenge412, web.specials.bad.challenge521].sort(),
    );
  });

  it("records each bad input on its URL or host and goes on", () => {
    const outcomes: Record<string, string[]> = {
      "redirect-loop": ["redirect-loop"],
      "too-many-redirects": ["too-many-redirects"],
      "body-too-large": ["too-large"],
      "connection-reset": ["reset"],
      "read-timeout": ["timeout-total", "timeout-idle"],
    };
    for (const b of badInputs(web)) {
      const years = expected.filter((t) => t.siteCode === b.siteCode);
      if (b.reportsFound)
        for (const t of years) expect(row(t.siteCode, t.year)?.status, b.name).toBe("found");
      const expectedOutcomes = outcomes[b.reason];
      if (expectedOutcomes) {
        // Recorded on the URL itself, or on the hop of its redirect chain where it went wrong.
        const hits = task("url = ? OR json_extract(data, '$.linkedAs') = ?", b.url, b.url).filter(
          (x) => x.state === "failed",
        );
        expect(
          hits.map((h) => h.outcome),
          b.name,
        ).toEqual([expect.toBeOneOf(expectedOutcomes)]);
      }
      if (b.reason === "anti-bot-challenge") {
        const host = store.reader.prepare<[string], { state: string }>(
          "SELECT state FROM crawl_hosts WHERE host = ?",
        );
        expect(host.get(b.host)?.state).toBe("challenge");
      }
    }
    // The truncated body of a reset or too-large response is never stored.
    const partial = store.reader
      .prepare<[string], { n: number }>("SELECT count(*) AS n FROM blob_sources WHERE locator = ?")
      .get(badInputs(web).find((b) => b.name === "resetMidBody")?.url ?? "");
    expect(partial?.n).toBe(0);
  });

  it("fetches the pictures of an <img>-stack report before reading the page with them", () => {
    const stack = expected.find((t) => t.form === "img-stack" && t.completion === "found");
    const page = task("url = ?", stack?.url ?? "")[0];
    expect(page?.outcome).toMatch(/^document-/);
    const pictures = store.reader
      .prepare<[string], { state: string; outcome: string | null }>(
        "SELECT state, outcome FROM crawl_frontier WHERE role = 'image' AND parent_id = (SELECT id FROM crawl_frontier WHERE url = ?)",
      )
      .all(stack?.url ?? "");
    expect(pictures.length).toBeGreaterThanOrEqual(3);
    expect(pictures.every((p) => p.state === "done" && p.outcome === "image")).toBe(true);
  });

  it("ingests no look-alike, no spam copy and never enters the calendar trap", () => {
    const paths = srv.requests.map((r) => `${r.host}${r.path}`);
    expect(srv.requests.filter((r) => r.host === SPAM_HOST)).toEqual([]);
    expect(paths.filter((p) => p.includes("/other/la_"))).toEqual([]);
    expect(paths.filter((p) => p.includes("/calendar"))).toEqual([]);
    const locators = store.reader
      .prepare<[], { locator: string; organ: string | null }>("SELECT locator, organ FROM reports")
      .all();
    expect(locators.some((l) => l.locator.includes(SPAM_HOST) || l.locator.includes("/other/"))).toBe(false);
  });

  it("is polite: robots.txt first and once per host, gaps between requests, Crawl-delay, Retry-After, no disallowed path", () => {
    const byHost = new Map<string, typeof srv.requests>();
    for (const r of srv.requests) byHost.set(r.host, [...(byHost.get(r.host) ?? []), r]);
    for (const [host, reqs] of byHost) {
      expect(reqs[0]?.path, host).toBe("/robots.txt");
      // Read once per host; asked again only after a 429 or while a dead host gets its attempts.
      const answered = reqs.filter((r) => r.path === "/robots.txt" && r.status !== 0 && r.status !== 429);
      expect(answered, host).toHaveLength(host === web.specials.deadHost ? 0 : 1);
      const minGap = host === web.specials.crawlDelayHost ? CAPPED_DELAY : MIN_DELAY;
      for (let i = 1; i < reqs.length; i++) {
        const gap = (reqs[i]?.at ?? 0) - (reqs[i - 1]?.at ?? 0);
        expect(gap, `${host} ${reqs[i]?.path}`).toBeGreaterThanOrEqual(minGap - 5);
        if (reqs[i - 1]?.status === 429) expect(gap, `Retry-After on ${host}`).toBeGreaterThanOrEqual(990);
      }
    }
    const blocked = web.sites.find((s) => s.host === web.specials.robotsBlockedHost);
    const column = blocked?.column ?? "/none/";
    expect(
      byHost
        .get(web.specials.robotsBlockedHost)
        ?.some((r) => r.path.startsWith(column.replace(/index\.html$/, ""))),
    ).toBe(false);
    expect(byHost.get(web.specials.deadHost)?.length).toBeLessThanOrEqual(3);
    const notes = store.reader.prepare<[string], { notes: string }>(
      "SELECT notes FROM crawl_hosts WHERE host = ?",
    );
    expect(notes.get(web.specials.crawlDelayHost)?.notes).toMatch(/Crawl-delay 2s capped/);
    expect(notes.get(web.specials.rateLimitedHost)?.notes).toMatch(/HTTP 429/);
    expect(notes.get(web.specials.deadHost)?.notes).toMatch(/dead host/);
  });

  it("keeps provenance: the report's bytes, its URL, the catalogue's agency and level", () => {
    const t = expected.find((x) => x.completion === "found" && x.form === "html" && x.level === "government");
    const r = t ? row(t.siteCode, t.year) : undefined;
    expect(r?.reportId).toBeTypeOf("number");
    const stored = store.getReport(r?.reportId ?? -1);
    expect(stored?.report.meta.organ).toBe(t?.agency);
    expect(stored?.summary.locator).toBe(t?.url);
    const src = store.reader
      .prepare<[string], { n: number }>("SELECT count(*) AS n FROM blob_sources WHERE locator = ?")
      .get(t?.url ?? "");
    expect(src?.n).toBe(1);
    expect(Object.keys(stored?.report.cells ?? {}).length).toBeGreaterThan(150);
  });

  it("fetches nothing again when the same crawl is run after it completed", async () => {
    const before = srv.requests.length;
    const again = await new Crawler(store, options()).run();
    expect(again.fetches).toBe(0);
    expect(srv.requests.length).toBe(before);
  });

  it("archives every exchange as WARC/1.1 with a CDXJ index pointing at each response", async () => {
    const responses: string[] = [];
    let requests = 0;
    const warcBytes = readFileSync(warcFile);
    for await (const record of WARCParser.iterRecords([warcBytes])) {
      expect(record.warcHeaders.protocol).toBe("WARC/1.1");
      if (record.warcType === "response") responses.push(record.warcTargetURI ?? "");
      if (record.warcType === "request") requests++;
      await record.readFully();
    }
    // Every exchange that produced a response (cut-off bodies, resets and timeouts produce none).
    const answered = (
      store.reader.prepare("SELECT count(*) AS n FROM crawl_fetches WHERE status IS NOT NULL").get() as {
        n: number;
      }
    ).n;
    expect(responses.length).toBe(answered);
    expect(requests).toBe(answered);
    const cdxj = readdirSync(dir).find((f) => f.endsWith(".cdxj"));
    const lines = readFileSync(path.join(dir, cdxj ?? "missing"), "utf8")
      .trim()
      .split("\n");
    expect(lines).toHaveLength(answered);
    expect([...lines].sort()).toEqual(lines);
    const sample = lines.find((l) => l.includes(".pdf"));
    const meta = JSON.parse(sample?.slice(sample.indexOf("{")) ?? "{}") as {
      offset: string;
      length: string;
      url: string;
    };
    const slice = warcBytes.subarray(Number(meta.offset), Number(meta.offset) + Number(meta.length));
    for await (const record of WARCParser.iterRecords([slice])) {
      expect(record.warcType).toBe("response");
      expect(record.warcTargetURI).toBe(meta.url);
      const payload = await record.readFully();
      expect(Buffer.from(payload).subarray(0, 5).toString()).toBe("%PDF-");
    }
  });
  it("shows the completion report in the web interface and its JSON API", async () => {
    const server = await startServer({ db: path.join(dir, "crawl.db"), port: 0 });
    try {
      const page = await (await fetch(`${server.url}/completion?status=not-found`)).text();
      const missing = expected.find((t) => t.url === "missing");
      expect(page).toContain("抓取完成情况");
      expect(page).toContain(missing?.agency);
      const api = (await (await fetch(`${server.url}/api/completion?late=1`)).json()) as {
        items: { agency: string; year: number; late: boolean }[];
        total: number;
      };
      const late = expected.filter((t) => t.completion === "found" && t.late);
      expect(api.total).toBe(late.length);
      expect(api.items.every((r) => r.late)).toBe(true);
      expect((await fetch(`${server.url}/api/completion?status=lost`)).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it("re-checks list pages with conditional GETs on a new pass and refetches no report", async () => {
    const before = srv.requests.length;
    const crawler = new Crawler(store, options());
    expect(crawler.newPass()).toBeGreaterThan(50);
    const pass = await crawler.run();
    const requests = srv.requests.slice(before);
    expect(pass.fetches).toBe(requests.length);
    const conditional = requests.filter((r) => r.ifNoneMatch !== undefined);
    expect(conditional.length).toBeGreaterThan(40);
    expect(requests.filter((r) => r.status === 304).length).toBeGreaterThan(40);
    const reportPaths = new Set(
      expected
        .filter((t) => t.completion === "found")
        .map((t) => `${new URL(t.url).host}${new URL(t.url).pathname}`),
    );
    expect(requests.filter((r) => reportPaths.has(`${r.host}${r.path}`))).toEqual([]);
    expect(completionReport(store.reader, web.years)).toEqual(completion);
  });
});
