import { type IncomingHttpHeaders, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimServer, startSimServer } from "../../src/sim/server.js";
import { buildSimWeb, findSite, MIN_SITES, robotsAllows, type SimSite, truth } from "../../src/sim/web.js";

interface Got {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

function get(port: number, host: string, path: string, method = "GET", form?: string): Promise<Got> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host };
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

describe("buildSimWeb", () => {
  it("is deterministic in the seed", () => {
    expect(buildSimWeb({ sites: MIN_SITES + 1, seed: 42 })).toEqual(web);
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
