/**
 * Untrusted stored text is only ever shown escaped; paths and parameters that try to escape the
 * routes, or are malformed, get a 4xx in the one error shape, never a stack trace.
 */
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import * as cheerio from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFixture, EVIL_FAILED, EVIL_NAME, type Fixture, IMG, SCRIPT } from "./fixture.js";

let fx: Fixture;
let evilId: number;
let htmlId: number;
let pdfId: number;

function idOf(db: Database.Database, locatorEnd: string): number {
  const row = db
    .prepare<[string], { id: number }>(
      "SELECT id FROM reports WHERE locator LIKE '%' || ? AND is_current = 1",
    )
    .get(locatorEnd);
  if (!row) throw new Error(`no report for ${locatorEnd}`);
  return row.id;
}

beforeAll(async () => {
  fx = await buildFixture();
  const db = new Database(fx.db, { readonly: true });
  evilId = idOf(db, EVIL_NAME);
  htmlId = idOf(db, "gen-v2021-html-gbk-nodecl-1.html");
  pdfId = idOf(db, "hzq2024.pdf");
  db.close();
});
afterAll(async () => {
  await fx?.close();
});

/** Sends the path exactly as written (fetch would normalise `..` away before sending). */
function rawGet(url: string, pathAndQuery: string, host?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: pathAndQuery, method: "GET", headers: host ? { host } : {} },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/**
 * The page as a browser would build it: no script but our own files, no event-handler
 * attributes, no images (the pages use none), and the payloads present as visible text.
 */
function assertInert(page: string): void {
  const $ = cheerio.load(page);
  $("script").each((_, el) => {
    expect($(el).attr("src") ?? "").toMatch(/^\/assets\/[a-z.]+\.js$/);
    expect($(el).text()).toBe("");
  });
  expect($("img").length).toBe(0);
  $("*").each((_, el) => {
    for (const name of Object.keys((el as { attribs?: Record<string, string> }).attribs ?? {}))
      expect(name.startsWith("on"), `attribute ${name}`).toBe(false);
  });
  expect(page).not.toContain(SCRIPT);
  expect(page).not.toContain(IMG);
}

describe("stored text is escaped", () => {
  it("on the report page: preamble, section, extra-row label, file name", async () => {
    const res = await fx.get(`/reports/${evilId}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    assertInert(page);
    const $ = cheerio.load(page);
    expect($(".preamble").text()).toContain(SCRIPT);
    expect($("#s-s1_overview + .text").text()).toContain(`${SCRIPT}复议${IMG}`);
    expect($("details.extra th").text()).toContain(`${SCRIPT}${IMG}额外行`);
    expect($(".provenance").text()).toContain(EVIL_NAME);
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("in search hits, around the highlighted term", async () => {
    const res = await fx.get(`/search?q=${encodeURIComponent("alert 复议")}`);
    const page = await res.text();
    assertInert(page);
    const $ = cheerio.load(page);
    const hit = $(`a.hit-title[href^="/reports/${evilId}#"]`).closest("li");
    expect(hit.length).toBe(1);
    expect(hit.find("mark").first().text()).toBe("alert");
    expect(hit.find(".snippet").text()).toContain("复议");
    expect(hit.find(".snippet").text()).toContain("<script>");
  });

  it("a search term that is itself markup is echoed escaped", async () => {
    const res = await fx.get(`/search?q=${encodeURIComponent(`${IMG} "><svg onload=alert(1)>`)}`);
    expect(res.status).toBe(200);
    assertInert(await res.text());
  });

  it("on every list page", async () => {
    for (const p of ["/", "/reports", "/audit", "/audit/findings", `/audit/findings?report=${evilId}`]) {
      const res = await fx.get(p);
      expect(res.status, p).toBe(200);
      assertInert(await res.text());
    }
    // The overview lists documents that could not be read by their locator.
    const $ = cheerio.load(await (await fx.get("/")).text());
    expect($("main").text()).toContain(EVIL_FAILED);
  });

  it("no module of src/web turns text into markup with raw()", () => {
    const dir = path.resolve("src/web");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(readFileSync(path.join(dir, f), "utf8"), f).not.toMatch(/\braw\s*\(/);
  });

  it("pages carry a CSP without inline script, and nosniff", async () => {
    const res = await fx.get("/");
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    expect(res.headers.get("content-security-policy")).not.toMatch(/unsafe-inline/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("originals", () => {
  it("stored text and HTML are served only as text/plain under a sandbox", async () => {
    for (const id of [evilId, htmlId]) {
      const res = await fx.get(`/reports/${id}/original`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(res.headers.get("content-security-policy")).toMatch(/sandbox/);
    }
    // The GBK page is decoded with the charset the extractor found.
    expect(await (await fx.get(`/reports/${htmlId}/original`)).text()).toContain("政府信息公开");
    expect(await (await fx.get(`/reports/${evilId}/original`)).text()).toContain(SCRIPT);
  });

  it("PDFs inline as application/pdf; ?download=1 gives the exact bytes as an attachment", async () => {
    const res = await fx.get(`/reports/${pdfId}/original`);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    const dl = await fx.get(`/reports/${htmlId}/original?download=1`);
    expect(dl.headers.get("content-type")).toBe("application/octet-stream");
    expect(dl.headers.get("content-disposition")).toMatch(
      /^attachment; filename="report-\d+-[0-9a-f]{12}\.html"$/,
    );
  });
});

describe("paths outside the routes", () => {
  const paths = [
    "/reports/../../etc/passwd",
    "/reports/..%2f..%2fetc%2fpasswd",
    "/reports/1/original/..%2f..",
    "/reports/1/original/../../../etc/passwd",
    "/reports/%2e%2e/original",
    "/assets/..%2f..%2fpackage.json",
    "/assets/../package.json",
    "/export/..%2f..%2fetc%2fpasswd",
    "/api/reports/..%2f1",
    "/reports/1%00",
    "/reports/-1",
    "/reports/1.5",
    "/reports/0x10",
  ];
  for (const p of paths) {
    it(`${p} → 4xx`, async () => {
      const res = await rawGet(fx.server.url, p);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).not.toMatch(/root:|"dependencies"|\n\s+at /);
    });
  }

  it("a Host header that is not a loopback name is refused (DNS rebinding)", async () => {
    const res = await rawGet(fx.server.url, "/api/reports", "evil.example:80");
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ error: { code: "forbidden_host", message: expect.any(String) } });
  });
});

describe("malformed parameters", () => {
  const bad = [
    "/api/reports?year=abc",
    "/api/reports?year=20x",
    "/api/reports?year=1e3",
    "/api/reports?year=2020&year=2021",
    "/api/reports?year=99999",
    "/api/reports?per_page=201",
    "/api/reports?per_page=0",
    "/api/reports?page=-1",
    "/api/reports?page=1.5",
    "/api/reports?template=v2030",
    "/api/reports?status=weird",
    "/api/reports?organ=%00x",
    `/api/reports?organ=${"机".repeat(101)}`,
    "/api/findings?severity=fatal",
    "/api/findings?rule=T3';--",
    "/api/findings?origin=both",
    "/api/search",
    "/api/search?q=%20%20",
    `/api/search?q=${Array.from({ length: 11 }, (_, i) => `t${i}`).join("+")}`,
    "/api/reports/abc",
    "/api/reports/0",
    "/api/reports/1e3",
    "/api/reports/99999999",
    "/api/reports/99999999/cells",
    "/api/audit?year=two",
    "/api/nothing-here",
    "/export/cells.jsonl",
    "/export/cells.exe",
    "/export/cells.csv?year=x",
  ];
  for (const p of bad) {
    it(`${p} → 4xx with the error shape`, async () => {
      const res = await fx.get(p);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(Object.keys(body)).toEqual(["error"]);
      expect(Object.keys(body.error).sort()).toEqual(["code", "message"]);
      expect(body.error.message).not.toMatch(/\n\s+at |\.ts:\d+/);
    });
  }

  it("unknown report → 404 not_found; bad id → 400 bad_param", async () => {
    expect(await (await fx.get("/api/reports/99999999")).json()).toMatchObject({
      error: { code: "not_found" },
    });
    expect(await (await fx.get("/api/reports/abc")).json()).toMatchObject({ error: { code: "bad_param" } });
  });

  it("HTML pages answer bad input with a 4xx page in Chinese", async () => {
    for (const p of [
      "/reports?year=abc",
      "/search?q=x&per_page=1000",
      "/reports/abc",
      "/reports/99999999",
      "/nope",
    ]) {
      const res = await fx.get(p);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.status, p).toBeLessThan(500);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await res.text()).toMatch(/没有找到|请求有误/);
    }
  });

  it("percent-encoding that is not UTF-8 is read with replacement characters, not an error", async () => {
    const res = await fx.get("/api/search?q=%E0%A4");
    expect(res.status).toBe(200);
  });
});
