/** Crawler behaviours the simulated web does not stage: an unreachable robots.txt, report copies on other domains. */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completionReport } from "../../src/crawl/completion.js";
import { Crawler } from "../../src/crawl/crawler.js";
import { openStore, type Store } from "../../src/store/store.js";

let server: Server;
let port: number;
let dir: string;
let store: Store;
const hits: string[] = [];

const page = (body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "");
    hits.push(`${host}${req.url}`);
    if (host === "www.down.gov.cn") {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("maintenance");
      return;
    }
    if (req.url === "/robots.txt") {
      res.writeHead(404);
      res.end();
    } else if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page('<a href="/xxgk/nb/">政府信息公开年报</a>'));
    } else if (req.url === "/xxgk/nb/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        page(
          '<ul><li><a href="http://www.copies.example.com/nb2023.html">某局2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li></ul>',
        ),
      );
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
  dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-edges-"));
  store = openStore(path.join(dir, "edges.db"));
  const crawler = new Crawler(store, {
    minDelayMs: 0,
    retryBaseMs: 20,
    maxAttempts: 2,
    workers: 0,
    connectTo: () => ({ host: "127.0.0.1", port }),
  });
  crawler.seed([
    {
      siteCode: null,
      name: "某某局",
      region: null,
      level: "department",
      entryUrl: "http://www.down.gov.cn/",
    },
    { siteCode: null, name: "某某委", region: null, level: "department", entryUrl: "http://www.up.gov.cn/" },
  ]);
  await crawler.run();
});

afterAll(async () => {
  store?.close();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe("crawler edges", () => {
  it("does not crawl a host whose robots.txt keeps failing, and says why", () => {
    expect(hits.filter((h) => h.startsWith("www.down.gov.cn"))).toEqual([
      "www.down.gov.cn/robots.txt",
      "www.down.gov.cn/robots.txt",
    ]);
    const row = completionReport(store.reader, [2023]).find((r) => r.agency === "某某局");
    expect(row?.status).toBe("blocked");
    expect(row?.reason).toMatch(/robots\.txt unreachable/);
  });

  it("records a report link on another domain as an off-site copy and never fetches it", () => {
    expect(hits.some((h) => h.startsWith("www.copies.example.com"))).toBe(false);
    const off = store.reader.prepare("SELECT url, reason, text FROM crawl_offsite").all();
    expect(off).toEqual([
      {
        url: "http://www.copies.example.com/nb2023.html",
        reason: "non-government",
        text: "某局2023年政府信息公开工作年度报告",
      },
    ]);
    const row = completionReport(store.reader, [2023]).find((r) => r.agency === "某某委");
    expect(row?.status).toBe("not-found");
  });
});
