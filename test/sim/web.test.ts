import { createHash } from "node:crypto";
import { type IncomingHttpHeaders, request } from "node:http";
import * as cheerio from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimServer, startSimServer } from "../../src/sim/server.js";
import {
  BAD_INPUTS,
  badInputs,
  buildSimWeb,
  effectiveRobots,
  findSite,
  MIN_SITES,
  REPORT_FORMS,
  ROBOTS_MAX_BYTES,
  robotsAllows,
  type SimSite,
  type SimWeb,
  seeds,
  seedsCsv,
  truth,
} from "../../src/sim/web.js";

interface Got {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

function get(
  port: number,
  host: string,
  path: string,
  method = "GET",
  form?: string,
  extra: Record<string, string> = {},
): Promise<Got> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, ...extra };
    if (form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          ms: Date.now() - t0,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(form);
  });
}

const hrefs = (html: string): string[] =>
  [...html.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&"));
const web = buildSimWeb({ sites: MIN_SITES + 1, seed: 42 });
const site = (i: number): SimSite => {
  const s = web.sites[i];
  if (!s) throw new Error(`no site ${i}`);
  return s;
};

/** sha256 over every site, page (sorted paths, all fields, body bytes), the truth, the seeds and the specials. */
function fingerprint(w: SimWeb): string {
  const h = createHash("sha256");
  for (const s of [...w.sites, ...w.extra, w.spam]) {
    const { pages, ...rest } = s;
    h.update(JSON.stringify(rest));
    for (const p of Object.keys(pages).sort()) {
      const { body, ...fields } = pages[p] ?? { status: 0 };
      h.update(`\n${p}\n${JSON.stringify(fields)}\n`);
      h.update(body ?? "");
    }
  }
  h.update(JSON.stringify([truth(w), seeds(w), w.specials, w.years, w.seed]));
  return h.digest("hex");
}

describe("buildSimWeb", () => {
  it("is deterministic in the seed", () => {
    // A digest of every byte and field (toEqual over the Uint8Array bodies takes seconds).
    expect(fingerprint(buildSimWeb({ sites: MIN_SITES + 1, seed: 42 }))).toBe(fingerprint(web));
    expect(fingerprint(buildSimWeb({ sites: MIN_SITES + 1, seed: 43 }))).not.toBe(fingerprint(web));
    expect(buildSimWeb({ sites: MIN_SITES + 1, seed: 43 }).sites.map((s) => s.host)).not.toEqual(
      web.sites.map((s) => s.host),
    );
  });

  it("has only .gov.cn report hosts, unique, and one spam mirror", () => {
    const hosts = web.sites.map((s) => s.host);
    expect(new Set(hosts).size).toBe(hosts.length);
    for (const h of hosts) expect(h).toMatch(/^www\.[a-z]+\.gov\.cn$/);
    expect(web.spam.host).not.toMatch(/\.gov\.cn$/);
    expect(new Set(web.sites.map((s) => s.style))).toEqual(new Set(["trs", "hanweb", "generic", "gkmlpt"]));
    expect(new Set(web.sites.map((s) => s.agency.level))).toEqual(new Set(["department", "government"]));
    expect(() => buildSimWeb({ sites: 3, seed: 1 })).toThrow(RangeError);
  });

  it("truth agrees with the pages", () => {
    const rows = truth(web);
    const agencies = web.sites.reduce((n, s) => n + s.agencies.length, 0);
    expect(agencies).toBeGreaterThan(web.sites.length);
    expect(rows).toHaveLength(agencies * web.years.length);
    for (const row of rows) {
      expect(row.host).toMatch(/\.gov\.cn$/);
      if (row.url === "missing") {
        expect(row.publishedAt).toBeNull();
        continue;
      }
      const s = findSite(web, new URL(row.url).host);
      if (!s) throw new Error(row.url);
      const page = s.pages[new URL(row.url).pathname];
      expect(page?.lastModified).toBe(
        new Date(`${row.publishedAt?.replace(" ", "T")}:00+08:00`).toUTCString(),
      );
      if (row.form !== "html" && row.form !== "img-stack") {
        expect(page?.file).toMatch(/\.(pdf|docx?)$/);
        expect(row.attachment).toBeNull();
        continue;
      }
      expect(page?.status).toBe(200);
      const bytes =
        typeof page?.body === "string" ? Buffer.from(page.body) : (page?.body ?? new Uint8Array());
      const html = new TextDecoder(row.gbk ? "gb18030" : "utf-8").decode(bytes);
      expect(html).toContain(`<meta name="PubDate" content="${row.publishedAt}">`);
      expect(html).toContain(`${row.agency}${row.year}年政府信息公开工作年度报告`);
      expect(row.late).toBe((row.publishedAt ?? "").slice(0, 10) > row.deadline);
      if (row.attachment) {
        expect(s.pages[new URL(row.attachment).pathname]?.file).toMatch(/^samples\/pdf\/.+\.pdf$/);
        expect(html).toContain("附件");
      }
    }
    expect(rows.filter((r) => r.url === "missing")).toHaveLength(1);
    expect(rows.some((r) => r.late && r.level === "department")).toBe(true);
    expect(rows.some((r) => r.late && r.level === "government")).toBe(true);
    expect(rows.some((r) => r.late === false)).toBe(true);
    expect(
      rows.filter((r) => r.blockedByRobots).every((r) => r.host === web.specials.robotsBlockedHost),
    ).toBe(true);
    expect(rows.some((r) => r.blockedByRobots)).toBe(true);
    expect(rows.filter((r) => r.dead).every((r) => r.host === web.specials.deadHost)).toBe(true);
    expect(rows.filter((r) => r.gbk).length).toBeGreaterThan(1);
    // The newest HTML-form report of each agency carries a PDF attachment.
    const newest = web.years[web.years.length - 1];
    for (const r of rows.filter((x) => x.year === newest))
      expect(r.attachment !== null).toBe(r.form === "html");
  });

  it("parses its own robots files", () => {
    expect(robotsAllows("User-agent: *\nDisallow:\n", "/x")).toBe(true);
    expect(robotsAllows("User-agent: *\nDisallow: /xxgk/xxgknb/\n", "/xxgk/xxgknb/index.html")).toBe(false);
    expect(robotsAllows("User-agent: foo\nDisallow: /\n", "/a")).toBe(true);
  });
});

describe("startSimServer", () => {
  let srv: SimServer;
  beforeAll(async () => {
    srv = await startSimServer(web);
  });
  afterAll(async () => {
    await srv.close();
  });

  it("binds 127.0.0.1 and walks TRS home → open area → column → report (GBK too)", async () => {
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}`);
    const s = site(0);
    const home = (await get(srv.port, s.host, "/")).body.toString("utf8");
    expect(hrefs(home)).toContain(s.openArea);
    expect(hrefs(home)).toContain(`http://${web.spam.host}/`);
    const area = (await get(srv.port, `${s.host}:${srv.port}`, s.openArea)).body.toString("utf8");
    expect(hrefs(area)).toContain(s.column);
    const col = await get(srv.port, s.host, s.column);
    const colHtml = col.body.toString("utf8");
    expect(colHtml).toMatch(/createPageHTML\(3, 0, "index", "html"\)/);
    expect((await get(srv.port, s.host, `${s.column}index_1.html`)).body.toString()).toContain(
      'createPageHTML(3, 1, "index", "html")',
    );
    // Every report of this site is linked from one of the three column pages.
    let all = "";
    for (const p of ["index.html", "index_1.html", "index_2.html"]) {
      all += (await get(srv.port, s.host, `${s.column}${p}`)).body.toString("utf8");
    }
    for (const t of web.specials.lookAlikeTitles) expect(all).toContain(t);
    const rows = truth(web).filter((r) => r.host === s.host);
    for (const r of rows)
      expect(hrefs(all).map((h) => new URL(h, `http://${s.host}${s.column}`).href)).toContain(r.linkedAs);
    const gbkRow = rows.find((r) => r.gbk);
    if (!gbkRow || gbkRow.url === "missing") throw new Error("no GBK report on site 0");
    const rep = await get(srv.port, s.host, new URL(gbkRow.url).pathname);
    expect(rep.status).toBe(200);
    expect(rep.headers["content-type"]).toBe("text/html");
    expect(rep.body.toString("utf8")).not.toContain("政府信息公开");
    const text = new TextDecoder("gb18030").decode(rep.body);
    expect(text).toContain(`${s.agency.name}${gbkRow.year}年政府信息公开工作年度报告`);
    expect(text).toContain(`<meta name="PubDate" content="${gbkRow.publishedAt}">`);
  });

  it("follows a 301 → 302 chain and serves the PDF attachment", async () => {
    const s = site(0);
    const a = await get(srv.port, s.host, new URL(web.specials.redirectEntry).pathname);
    expect(a.status).toBe(301);
    const b = await get(
      srv.port,
      s.host,
      new URL(a.headers.location ?? "", web.specials.redirectEntry).pathname,
    );
    expect(b.status).toBe(302);
    const final = new URL(b.headers.location ?? "", web.specials.redirectEntry).href;
    expect(final).toBe(web.specials.redirectFinal);
    expect((await get(srv.port, s.host, new URL(final).pathname)).status).toBe(200);
    const att = truth(web).find((r) => r.host === s.host && r.attachment)?.attachment ?? "";
    const pdf = await get(srv.port, s.host, new URL(att).pathname);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");
    expect((await get(srv.port, s.host, new URL(web.specials.brokenLinks[0] ?? "").pathname)).status).toBe(
      404,
    );
  });

  it("serves robots.txt per host", async () => {
    expect((await get(srv.port, site(0).host, "/robots.txt")).body.toString()).toBe(
      "User-agent: *\nDisallow:\n",
    );
    expect((await get(srv.port, web.specials.crawlDelayHost, "/robots.txt")).body.toString()).toContain(
      "Crawl-delay: 2",
    );
    const blocked = (await get(srv.port, web.specials.robotsBlockedHost, "/robots.txt")).body.toString();
    expect(blocked).toContain(`Disallow: ${site(2).column.replace("index.html", "")}`);
    expect(robotsAllows(blocked, site(2).column)).toBe(false);
  });

  it("shell pages point at the real home", async () => {
    const meta = (await get(srv.port, site(1).host, "/")).body.toString();
    expect(meta).toContain('http-equiv="refresh" content="0; url=/index.html"');
    const js = (await get(srv.port, site(2).host, "/")).body.toString();
    expect(js).toContain('location.replace("/index.html")');
  });

  it("Hanweb column embeds records and pages through dataproxy.jsp (GET and POST)", async () => {
    const s = site(1);
    const col = (await get(srv.port, s.host, s.column)).body.toString();
    expect(col).toContain('<script type="text/xml">');
    const proxy = /<nextgroup><!\[CDATA\[<a href="([^"]+)"/.exec(col)?.[1]?.replace(/&amp;/g, "&") ?? "";
    expect(proxy).toContain("dataproxy.jsp");
    const xml = (await get(srv.port, s.host, `${proxy}&startrecord=5&endrecord=8&perpage=4`)).body.toString();
    expect(xml).toMatch(/<totalrecord>\d+<\/totalrecord>/);
    expect((xml.match(/<record>/g) ?? []).length).toBe(4);
    const posted = await get(srv.port, s.host, proxy, "POST", "startrecord=9&endrecord=12&perpage=4");
    expect(posted.body.toString()).toContain("<record>");
  });

  it("answers 429 with Retry-After twice, then 200", async () => {
    const h = web.specials.rateLimitedHost;
    const r1 = await get(srv.port, h, "/");
    const r2 = await get(srv.port, h, "/robots.txt");
    const r3 = await get(srv.port, h, "/");
    expect([r1.status, r2.status, r3.status]).toEqual([429, 429, 200]);
    expect(r1.headers["retry-after"]).toBe("1");
    expect(srv.requests.filter((r) => r.host === h).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("the calendar trap links to the next day forever", async () => {
    const start = new URL(web.specials.trapStart);
    const page = (await get(srv.port, start.host, start.pathname + start.search)).body.toString();
    const next = hrefs(page).find((h) => h.includes("2024-01-02"));
    expect(next).toBe("/calendar?date=2024-01-02");
    const far = (await get(srv.port, start.host, "/calendar?date=2099-12-31")).body.toString();
    expect(hrefs(far)).toContain("/calendar?date=2100-01-01");
  });

  it("delays, trickles, kills the dead host and rejects unknown hosts", async () => {
    const d = new URL(web.specials.delayedUrl);
    expect((await get(srv.port, d.host, d.pathname)).ms).toBeGreaterThanOrEqual(250);
    const slow = new URL(web.specials.slowUrl);
    const got = await get(srv.port, slow.host, slow.pathname);
    expect(got.body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(got.ms).toBeGreaterThanOrEqual(100);
    await expect(get(srv.port, web.specials.deadHost, "/")).rejects.toThrow();
    expect((await get(srv.port, "www.example.com", "/")).status).toBe(404);
    const spam = await get(srv.port, web.spam.host, "/copy/1.html");
    expect(spam.status).toBe(200);
  });
});

// ---------------------------------------------------------------- catalogue, gkmlpt, forms, sibling, bad inputs

function getHeaders(port: number, host: string, path: string, headers: Record<string, string>): Promise<Got> {
  return get(port, host, path, "GET", undefined, headers);
}

/** Read at most `max` bytes (or for at most `ms`), then hang up. */
function peek(
  port: number,
  host: string,
  path: string,
  max: number,
  ms: number,
): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: number; error: string | null }> {
  return new Promise((resolve) => {
    let bytes = 0;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let done = false;
    const finish = (error: string | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ status, headers, bytes, error });
    };
    const req = request({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
        if (bytes >= max) finish(null);
      });
      res.on("end", () => finish(null));
      res.on("aborted", () => finish("aborted"));
      res.on("error", (e) => finish(e.message));
    });
    const timer = setTimeout(() => finish("timeout"), ms);
    req.on("error", (e) => finish(e.message));
    req.end();
  });
}

/** Every link of a report column, through its paging (TRS createPageHTML, 下一页, dataproxy.jsp, gkmlpt API). */
async function columnLinks(port: number, s: SimSite, column: string): Promise<string[]> {
  const base = new URL(column);
  const out: string[] = [];
  const html = (await get(port, base.host, base.pathname)).body.toString("utf8");
  if (s.style === "trs") {
    const pages = Number(/createPageHTML\((\d+),/.exec(html)?.[1] ?? 1);
    for (let i = 0; i < pages; i++) {
      const p =
        i === 0 ? html : (await get(port, base.host, `${base.pathname}index_${i}.html`)).body.toString();
      out.push(...hrefs(p).map((h) => new URL(h, base).href));
    }
  } else if (s.style === "hanweb") {
    const proxy = /<nextgroup><!\[CDATA\[<a href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    const xml = (
      await get(port, base.host, `${proxy}&startrecord=1&endrecord=1000&perpage=1000`)
    ).body.toString();
    out.push(...hrefs(xml).map((h) => new URL(h, base).href));
  } else {
    let path: string | undefined = base.pathname;
    const seen = new Set<string>();
    while (path && !seen.has(path)) {
      seen.add(path);
      const p = (await get(port, base.host, path)).body.toString("utf8");
      const pageUrl: URL = new URL(path, base);
      out.push(...hrefs(p).map((h) => new URL(h, pageUrl).href));
      const next: string | undefined = /<a href="([^"]*)"[^>]*>下一页<\/a>/.exec(p)?.[1];
      path = next ? new URL(next, pageUrl).pathname : undefined;
    }
  }
  return out;
}

describe("catalogue and truth per agency", () => {
  it("seeds: one row per agency, 10-character site codes, the county portal shared by several agencies", () => {
    const rows = seeds(web);
    const codes = rows.map((r) => r.siteCode);
    expect(new Set(codes).size).toBe(rows.length);
    for (const c of codes) expect(c).toMatch(/^\d{6}[0-9A-Z]{4}$/);
    const county = rows.filter((r) => new URL(r.entryUrl).host === web.specials.countyPortalHost);
    expect(county.length).toBeGreaterThanOrEqual(4);
    expect(new Set(county.map((r) => r.agency)).size).toBe(county.length);
    expect(county.filter((r) => r.level === "department").length).toBeGreaterThanOrEqual(3);
    expect(buildSimWeb({ sites: MIN_SITES + 1, seed: 42 }) && seeds(web)).toEqual(rows);
    // Every truth row belongs to a seed row, keyed by site code.
    const byCode = new Map(rows.map((r) => [r.siteCode, r]));
    for (const t of truth(web)) {
      const seed = byCode.get(t.siteCode);
      expect(seed?.agency).toBe(t.agency);
      expect(t.entryUrl).toBe(seed?.entryUrl);
    }
    expect(new Set(truth(web).map((t) => t.siteCode))).toEqual(new Set(codes));
    const by = (c: string): number => truth(web).filter((t) => t.completion === c).length;
    expect(by("failed")).toBe(web.years.length); // the dead host
    expect(by("blocked")).toBe(3 * web.years.length); // robots (site 2) and the two challenge hosts
    expect(by("not-found")).toBe(1);
    expect(by("found")).toBe(truth(web).length - by("failed") - by("blocked") - by("not-found"));
  });

  it("seedsCsv: header and one quoted-if-needed line per agency", () => {
    const csv = seedsCsv(web).trimEnd().split("\n");
    expect(csv[0]).toBe("siteCode,agency,region,level,entryUrl");
    expect(csv).toHaveLength(seeds(web).length + 1);
    const first = seeds(web)[0];
    expect(csv[1]).toBe(
      `${first?.siteCode},${first?.agency},${first?.region},${first?.level},${first?.entryUrl}`,
    );
    expect(JSON.parse(JSON.stringify(seeds(web)))).toEqual(seeds(web));
  });

  it("builds 1,000 sites in a few seconds, deterministically", () => {
    const t0 = Date.now();
    const big = buildSimWeb({ sites: 1000, seed: 7 });
    expect(Date.now() - t0).toBeLessThan(10000); // about 0.7 s alone; generous under a parallel suite
    expect(big.sites).toHaveLength(1000);
    expect(new Set(big.sites.map((s) => s.host)).size).toBe(1000);
    expect(seeds(big).length).toBe(1000 + 3);
    const again = buildSimWeb({ sites: 1000, seed: 7 });
    expect(truth(again)).toEqual(truth(big));
    expect(new Set(truth(big).map((r) => r.form))).toEqual(new Set([...REPORT_FORMS, null]));
  });
});

describe("startSimServer: new behaviours", () => {
  let srv: SimServer;
  beforeAll(async () => {
    srv = await startSimServer(web);
  });
  afterAll(async () => {
    await srv.close();
  });

  it("gkmlpt: an app shell marked gkmlpt whose list comes page by page from the JSON API", async () => {
    const s = findSite(web, web.specials.gkmlptHost);
    if (!s) throw new Error("no gkmlpt site");
    const home = (await get(srv.port, s.host, "/")).body.toString();
    expect(hrefs(home)).toContain("/gkmlpt/index");
    const index = (await get(srv.port, s.host, "/gkmlpt/index")).body.toString();
    const cfg = JSON.parse(/window\.GKMLPT_CONFIG = (\{.*?\});<\/script>/.exec(index)?.[1] ?? "{}") as {
      sid: string;
      categories: { id: number; name: string }[];
    };
    const cat = cfg.categories.find((c) => c.name === "政府信息公开年报");
    expect(index).toContain(`/gkmlpt/api/all/" + ${cat?.id}`);
    expect(web.specials.gkmlptApi).toBe(`http://${s.host}/gkmlpt/api/all/${cat?.id}?page=1&sid=${cfg.sid}`);
    const articles: { title: string; url: string; publish_time: number }[] = [];
    let total = 1;
    for (let page = 1; articles.length < total && page < 20; page++) {
      const r = await get(srv.port, s.host, `/gkmlpt/api/all/${cat?.id}?page=${page}&sid=${cfg.sid}`);
      expect(r.headers["content-type"]).toContain("application/json");
      const j = JSON.parse(r.body.toString()) as { articles: typeof articles; total: number };
      total = j.total;
      expect(j.articles.length).toBeGreaterThan(0);
      articles.push(...j.articles);
    }
    expect(total).toBeGreaterThan(4);
    expect(articles).toHaveLength(total);
    const rows = truth(web).filter((r) => r.host === s.host);
    for (const r of rows) {
      const a = articles.find((x) => x.url === r.linkedAs);
      expect(a?.title).toContain(`${r.year}年政府信息公开工作年度报告`);
      expect(a?.publish_time).toBe(new Date(`${r.publishedAt?.replace(" ", "T")}:00+08:00`).getTime() / 1000);
      const page = await get(srv.port, s.host, new URL(r.url).pathname);
      expect(new TextDecoder(r.gbk ? "gb18030" : "utf-8").decode(page.body)).toContain(
        `<meta name="PubDate" content="${r.publishedAt}">`,
      );
    }
    const wrong = await get(srv.port, s.host, `/gkmlpt/api/all/${cat?.id}?page=1&sid=0`);
    expect(JSON.parse(wrong.body.toString())).toMatchObject({ articles: [], total: 0 });
  });

  it("county portal: each department has its own area and report column on the shared host", async () => {
    const s = findSite(web, web.specials.countyPortalHost);
    if (!s) throw new Error("no county portal");
    const area = (await get(srv.port, s.host, s.openArea)).body.toString();
    for (const a of s.agencies.slice(1)) {
      const areaPath = new URL(a.entryUrl).pathname;
      expect(hrefs(area)).toContain(areaPath);
      const dept = (await get(srv.port, s.host, areaPath)).body.toString();
      expect(hrefs(dept)).toContain(new URL(a.column).pathname);
      const links = await columnLinks(srv.port, s, a.column);
      const rows = truth(web).filter((r) => r.siteCode === a.siteCode);
      expect(rows).toHaveLength(web.years.length);
      for (const r of rows) {
        expect(r.host).toBe(s.host);
        expect(r.level).toBe("department");
        expect(links).toContain(r.linkedAs);
      }
    }
  });

  it("report forms: PDF, DOC, DOCX and scans linked straight from the column, img stacks of PNG tables", async () => {
    const rows = truth(web).filter((r) => web.specials.formsHosts.includes(r.host));
    expect(new Set(rows.map((r) => r.form))).toEqual(new Set(REPORT_FORMS));
    const magic: Record<string, string> = {
      pdf: "25504446",
      "scan-pdf": "25504446",
      doc: "d0cf11e0",
      docx: "504b0304",
    };
    for (const r of rows) {
      const s = findSite(web, r.host);
      if (!s || r.url === "missing") throw new Error(r.host);
      const links = await columnLinks(srv.port, s, s.agencies[0]?.column ?? "");
      expect(links).toContain(r.url);
      const got = await get(srv.port, r.host, new URL(r.url).pathname);
      expect(got.status).toBe(200);
      // The list's date and the Last-Modified header give the publication day of a file.
      expect(new Date(got.headers["last-modified"] ?? "").getTime()).toBe(
        new Date(`${r.publishedAt?.replace(" ", "T")}:00+08:00`).getTime(),
      );
      if (r.form === "html") continue;
      if (r.form === "img-stack") {
        const html = got.body.toString("utf8");
        expect(html).toContain(`<meta name="PubDate" content="${r.publishedAt}">`);
        expect(html).not.toContain("<table");
        const imgs = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1] ?? "");
        expect(imgs.length).toBe(3);
        for (const src of imgs) {
          const png = await get(srv.port, r.host, src);
          expect(png.headers["content-type"]).toBe("image/png");
          expect(png.body.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
        }
        continue;
      }
      expect(got.body.subarray(0, 4).toString("hex")).toBe(magic[r.form ?? ""]);
      if (r.form === "scan-pdf")
        expect(findSite(web, r.host)?.pages[new URL(r.url).pathname]?.file).toBe(
          "samples/pdf/scan-image-only-v2021.pdf",
        );
      if (r.form === "doc" || r.form === "docx")
        expect(got.headers["content-disposition"]).toMatch(/^attachment; filename\*=UTF-8''/);
    }
  });

  it("sibling host: the portal links to xxgk.<x>.gov.cn, where the column and reports live", async () => {
    const { siblingPortalHost: www, siblingHost: xxgk } = web.specials;
    expect(xxgk).toBe(`xxgk.${www.slice(4)}`);
    const s = findSite(web, www);
    if (!s) throw new Error("no sibling portal");
    const home = (await get(srv.port, www, "/")).body.toString();
    expect(hrefs(home)).toContain(`http://${xxgk}${s.openArea}`);
    expect((await get(srv.port, www, s.openArea)).status).toBe(404);
    expect((await get(srv.port, xxgk, "/robots.txt")).status).toBe(200);
    const links = await columnLinks(srv.port, s, s.agencies[0]?.column ?? "");
    const rows = truth(web).filter((r) => r.host === www);
    expect(rows).toHaveLength(web.years.length);
    for (const r of rows) {
      expect(new URL(r.url).host).toBe(xxgk);
      expect(links).toContain(r.linkedAs);
      expect((await get(srv.port, xxgk, new URL(r.url).pathname)).status).toBe(200);
    }
  });

  it("conditional GET: stable ETag and Last-Modified, 304 on a match, validators logged", async () => {
    const r = truth(web).find((x) => x.form === "html" && x.gbk);
    if (!r || r.url === "missing") throw new Error("no report");
    const path = new URL(r.url).pathname;
    const host = new URL(r.url).host;
    const a = await getHeaders(srv.port, host, path, {
      "user-agent": "nianbao-test/1 (+mailto:x@example.org)",
    });
    const b = await get(srv.port, host, path);
    expect(a.headers.etag).toMatch(/^"[0-9a-f]{20}"$/);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(a.headers["last-modified"]).toBe(b.headers["last-modified"]);
    const etag = a.headers.etag ?? "";
    const lm = a.headers["last-modified"] ?? "";
    const c = await getHeaders(srv.port, host, path, { "if-none-match": etag });
    expect(c.status).toBe(304);
    expect(c.body.length).toBe(0);
    expect(c.headers.etag).toBe(etag);
    expect((await getHeaders(srv.port, host, path, { "if-modified-since": lm })).status).toBe(304);
    const older = new Date(Date.parse(lm) - 86400000).toUTCString();
    expect((await getHeaders(srv.port, host, path, { "if-modified-since": older })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since.
    expect(
      (await getHeaders(srv.port, host, path, { "if-none-match": '"x"', "if-modified-since": lm })).status,
    ).toBe(200);
    // Files and list pages too.
    const file = truth(web).find((x) => x.form === "pdf");
    if (!file || file.url === "missing") throw new Error("no pdf");
    const f = await get(srv.port, file.host, new URL(file.url).pathname);
    expect(
      (
        await getHeaders(srv.port, file.host, new URL(file.url).pathname, {
          "if-none-match": f.headers.etag ?? "",
        })
      ).status,
    ).toBe(304);
    const col = await get(srv.port, site(0).host, site(0).column);
    expect(col.headers.etag).toBeTruthy();
    expect(col.headers["last-modified"]).toBe(
      new Date(Date.UTC((web.years.at(-1) ?? 0) + 1, 4, 1)).toUTCString(),
    );
    const log = srv.requests.filter((x) => x.host === host && x.path === path);
    expect(log.map((x) => x.status)).toEqual([200, 200, 304, 304, 200, 200]);
    expect(log[0]?.userAgent).toBe("nianbao-test/1 (+mailto:x@example.org)");
    expect(log[0]?.bytes).toBe(a.body.length);
    expect(log[2]).toMatchObject({ ifNoneMatch: etag, ifModifiedSince: undefined, bytes: 0 });
    expect(log[3]).toMatchObject({ ifNoneMatch: undefined, ifModifiedSince: lm, bytes: 0 });
  });

  it("bad inputs: one host each, seeded, linked from the agency's own pages", async () => {
    const rows = badInputs(web);
    expect(rows.map((r) => r.name)).toEqual([...BAD_INPUTS]);
    const codes = new Set(seeds(web).map((s) => s.siteCode));
    expect(new Set(rows.map((r) => r.host)).size).toBe(rows.length);
    for (const r of rows) {
      expect(web.specials.bad[r.name]).toBe(r.host);
      expect(codes.has(r.siteCode)).toBe(true);
      const s = findSite(web, r.host);
      if (!s) throw new Error(r.host);
      const viaColumn = [
        "redirect-loop",
        "too-many-redirects",
        "body-too-large",
        "connection-reset",
        "read-timeout",
      ];
      if (!viaColumn.includes(r.reason)) continue;
      expect(await columnLinks(srv.port, s, s.agencies[0]?.column ?? "")).toContain(r.url);
    }
    const blocked = truth(web).filter((t) => t.challenge);
    expect(new Set(blocked.map((t) => t.host))).toEqual(
      new Set([web.specials.bad.challenge412, web.specials.bad.challenge521]),
    );
  });

  it("redirect loop and an over-long redirect chain", async () => {
    const loop = badInputs(web).find((r) => r.name === "redirectLoop");
    const u = new URL(loop?.url ?? "");
    const a = await get(srv.port, u.host, u.pathname);
    expect(a.status).toBe(302);
    const b = new URL(a.headers.location ?? "", u);
    const c = await get(srv.port, u.host, b.pathname);
    expect(c.status).toBe(302);
    expect(new URL(c.headers.location ?? "", b).href).toBe(u.href);

    const chain = new URL(badInputs(web).find((r) => r.name === "redirectChain")?.url ?? "");
    let at = chain;
    let hops = 0;
    for (;;) {
      const r = await get(srv.port, at.host, at.pathname);
      if (r.status !== 302) {
        expect(r.status).toBe(200);
        break;
      }
      at = new URL(r.headers.location ?? "", at);
      hops++;
    }
    expect(hops).toBeGreaterThan(10);
  });

  it("2 GB body: streamed without buffering, stops when the client hangs up", async () => {
    const u = new URL(badInputs(web).find((r) => r.name === "hugeBody")?.url ?? "");
    const before = process.memoryUsage().rss;
    const got = await peek(srv.port, u.host, u.pathname, 8 * 1024 * 1024, 10000);
    expect(got.status).toBe(200);
    expect(got.headers["content-length"]).toBe("2147483648");
    expect(got.bytes).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    await new Promise((r) => setTimeout(r, 100));
    const entry = srv.requests.find((x) => x.host === u.host && x.path === u.pathname);
    const sent = entry?.bytes ?? 0;
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    await new Promise((r) => setTimeout(r, 200));
    expect(entry?.bytes).toBe(sent);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect((await get(srv.port, u.host, "/")).status).toBe(200);
  });

  it("connection reset mid-body and one byte a second forever", async () => {
    const reset = new URL(badInputs(web).find((r) => r.name === "resetMidBody")?.url ?? "");
    const got = await peek(srv.port, reset.host, reset.pathname, 1e9, 5000);
    expect(got.status).toBe(200);
    expect(got.error).not.toBeNull();
    expect(got.error).not.toBe("timeout");
    expect(got.bytes).toBe(4096);
    expect(Number(got.headers["content-length"])).toBeGreaterThan(4096);

    const drip = new URL(badInputs(web).find((r) => r.name === "trickleForever")?.url ?? "");
    const slow = await peek(srv.port, drip.host, drip.pathname, 1e9, 1500);
    expect(slow.error).toBe("timeout");
    expect(slow.bytes).toBeGreaterThanOrEqual(1);
    expect(slow.bytes).toBeLessThanOrEqual(2);
    expect(slow.headers["content-length"]).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1200));
    const entry = srv.requests.find((x) => x.host === drip.host && x.path === drip.pathname);
    expect(entry?.bytes).toBeLessThanOrEqual(3);
  });

  it("malformed HTML still yields every report link to a lenient parser", async () => {
    const bad = badInputs(web).find((r) => r.name === "malformedHtml");
    const u = new URL(bad?.url ?? "");
    const raw = (await get(srv.port, u.host, u.pathname)).body.toString("utf8");
    expect(raw.indexOf("</html>")).toBeLessThan(raw.indexOf('class="list"'));
    expect(raw).not.toContain("</li>");
    const found: string[] = [];
    let path: string | undefined = u.pathname;
    const seen = new Set<string>();
    while (path && !seen.has(path)) {
      seen.add(path);
      const $ = cheerio.load((await get(srv.port, u.host, path)).body.toString("utf8"));
      const pageUrl: URL = new URL(path, u);
      $("a[href]").each((_, el) => {
        found.push(new URL($(el).attr("href") ?? "", pageUrl).href);
      });
      const next: string | undefined = $("a")
        .filter((_, el) => $(el).text() === "下一页")
        .attr("href");
      path = next ? new URL(next, pageUrl).pathname : undefined;
    }
    const rows = truth(web).filter((r) => r.host === u.host);
    expect(rows.length).toBe(web.years.length);
    for (const r of rows) expect(found).toContain(r.linkedAs);
  });

  it("robots.txt as an HTML page and a 5 MiB robots.txt", async () => {
    const html = await get(srv.port, web.specials.bad.robotsHtml, "/robots.txt");
    expect(html.status).toBe(200);
    expect(html.headers["content-type"]).toContain("text/html");
    const hs = findSite(web, web.specials.bad.robotsHtml);
    if (!hs) throw new Error("robotsHtml");
    expect(effectiveRobots(hs)).toBe("");

    const huge = await get(srv.port, web.specials.bad.robotsHuge, "/robots.txt");
    expect(huge.body.length).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    const text = huge.body.toString("latin1");
    expect(text.indexOf("Disallow")).toBeGreaterThan(ROBOTS_MAX_BYTES);
    expect(robotsAllows(text, "/")).toBe(false);
    expect(robotsAllows(text.slice(0, ROBOTS_MAX_BYTES), "/")).toBe(true);
    for (const r of truth(web).filter((t) => t.host === web.specials.bad.robotsHuge || t.host === hs.host))
      expect(r.blockedByRobots).toBe(false);
  });

  it("anti-bot challenges: 412 with a $_ts script, 521 with a cookie script, on every path", async () => {
    const h412 = web.specials.bad.challenge412;
    const a = await get(srv.port, h412, "/");
    expect(a.status).toBe(412);
    expect(a.body.toString()).toMatch(/<script[^>]*>\$_ts=window\['\$_ts'\]/);
    expect(a.headers["set-cookie"]).toBeTruthy();
    expect((await get(srv.port, h412, "/robots.txt")).status).toBe(412);
    const h521 = web.specials.bad.challenge521;
    const b = await get(srv.port, h521, "/xxgk/");
    expect(b.status).toBe(521);
    expect(b.body.toString()).toContain("document.cookie=");
    expect(b.body.toString()).toContain("location.href=");
    expect(srv.requests.filter((r) => r.host === h521).every((r) => r.status === 521)).toBe(true);
  });
});
