import { describe, expect, it } from "vitest";
import { parseCsv, parseSeeds } from "../../src/crawl/catalogue.js";
import { discover } from "../../src/crawl/discover.js";
import { ROBOTS_MAX_BYTES, RobotsRules, robotsPolicy } from "../../src/crawl/robots.js";
import { canonicalUrl, isGovernmentHost, scopeOf, siteOf, urlKind } from "../../src/crawl/url.js";

describe("URL canonicalisation and scope", () => {
  it("gives one key for the spellings of one page", () => {
    const a = canonicalUrl("HTTP://WWW.Abc.GOV.CN:80/zwgk/./nb/../nb/index.html?b=2&a=1&utm_source=x#top");
    const b = canonicalUrl("http://www.abc.gov.cn/zwgk/nb/index.html?a=1&b=2");
    expect(a).toBe(b);
    expect(canonicalUrl("./t20240101_1.html", "http://www.abc.gov.cn/zwgk/nb/index_1.html")).toBe(
      "http://www.abc.gov.cn/zwgk/nb/t20240101_1.html",
    );
    expect(canonicalUrl("javascript:void(0)", "http://a.gov.cn/")).toBeNull();
    expect(canonicalUrl("mailto:x@y.cn", "http://a.gov.cn/")).toBeNull();
    expect(canonicalUrl("/年报/2023.html", "http://a.gov.cn/")).toBe(
      "http://a.gov.cn/%E5%B9%B4%E6%8A%A5/2023.html",
    );
  });

  it("keeps sibling open-government hosts and refuses other domains", () => {
    expect(siteOf("xxgk.abc.gov.cn")).toBe("abc.gov.cn");
    expect(siteOf("www.abc.gov.cn")).toBe("abc.gov.cn");
    expect(isGovernmentHost("www.abc.gov.cn")).toBe(true);
    expect(isGovernmentHost("www.govcopy-mirror.com")).toBe(false);
    expect(isGovernmentHost("gov.cn.evil.com")).toBe(false);
    expect(isGovernmentHost("xn--zfr164b")).toBe(true);
    const scope = { sites: new Set(["abc.gov.cn"]), allowHosts: new Set(["reports.example.org"]) };
    expect(scopeOf("http://xxgk.abc.gov.cn/nb/", scope)).toBe("in-scope");
    expect(scopeOf("http://www.other.gov.cn/", scope)).toBe("other-site");
    expect(scopeOf("http://www.govcopy-mirror.com/copy/1.html", scope)).toBe("non-government");
    expect(scopeOf("http://reports.example.org/a.pdf", scope)).toBe("in-scope");
  });

  it("tells attachments from pages by extension", () => {
    expect(urlKind("http://a.gov.cn/P0202401.pdf")).toBe("pdf");
    expect(urlKind("http://a.gov.cn/x.DOCX")).toBe("docx");
    expect(urlKind("http://a.gov.cn/x.wps")).toBe("wps");
    expect(urlKind("http://a.gov.cn/t.jpg")).toBe("image");
    expect(urlKind("http://a.gov.cn/x.zip")).toBe("other-file");
    expect(urlKind("http://a.gov.cn/col/col12/index.html")).toBe("page");
    expect(urlKind("http://a.gov.cn/module/web/jpage/dataproxy.jsp?x=1")).toBe("page");
    expect(urlKind("http://a.gov.cn/module/download/downfile.jsp?classid=0&filename=2404.pdf")).toBe("pdf");
    expect(urlKind("http://a.gov.cn/download.do?file=%E5%B9%B4%E6%8A%A5.docx")).toBe("docx");
  });
});

describe("robots.txt policy", () => {
  const policy = (status: number, text: string | null, type = "text/plain") =>
    robotsPolicy(status, text === null ? null : Buffer.from(text), type, "nianbao", 10_000);

  it("reads Disallow and Crawl-delay for our agent or *", () => {
    const p = policy(200, "User-agent: *\nCrawl-delay: 2\nDisallow: /xxgk/xxgknb/\n");
    expect(p.kind).toBe("rules");
    expect(p.crawlDelayMs).toBe(2000);
    const rules = new RobotsRules(p, "nianbao");
    expect(rules.allows("http://a.gov.cn/xxgk/xxgknb/index.html")).toBe(false);
    expect(rules.allows("http://a.gov.cn/xxgk/")).toBe(true);
    const own = new RobotsRules(
      policy(200, "User-agent: nianbao\nDisallow: /\n\nUser-agent: *\nDisallow:\n"),
      "nianbao",
    );
    expect(own.allows("http://a.gov.cn/x")).toBe(false);
  });

  it("caps a long Crawl-delay and says so", () => {
    const p = policy(200, "User-agent: *\nCrawl-delay: 3600\n");
    expect(p.crawlDelayMs).toBe(10_000);
    expect(p.notes.join()).toMatch(/capped/);
  });

  it("treats an HTML page, a 404 and an empty body as no rules; a 5xx as unreachable", () => {
    expect(policy(200, "<!DOCTYPE html><html><body>首页</body></html>", "text/html").kind).toBe("none");
    expect(policy(200, "<html><body>Disallow: /</body></html>", "text/plain").kind).toBe("none");
    expect(policy(404, "not found").kind).toBe("none");
    expect(policy(503, "busy").kind).toBe("unreachable");
    expect(policy(0, null).kind).toBe("unreachable");
    const unreachable = new RobotsRules({ kind: "none", text: "" }, "nianbao");
    expect(unreachable.allows("http://a.gov.cn/anything")).toBe(true);
  });

  it("reads only the first 500 KiB of a huge robots.txt", () => {
    const filler = "# comment line to make the file large\n".repeat(
      Math.ceil((ROBOTS_MAX_BYTES + 10_000) / 38),
    );
    const p = policy(200, `User-agent: *\nDisallow: /private/\n${filler}Disallow: /\n`);
    expect(p.notes.join()).toMatch(/first 512000/);
    const rules = new RobotsRules(p, "nianbao");
    expect(rules.allows("http://a.gov.cn/private/x")).toBe(false);
    expect(rules.allows("http://a.gov.cn/zwgk/")).toBe(true);
  });
});

describe("discovery", () => {
  const base = "http://www.abc.gov.cn/zwgk/zfxxgknb/";

  it("finds report links with year and listed date, and refuses look-alikes", () => {
    const html = `<ul>
      <li><a href="./202401/t20240120_1.html">某某县审计局2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>
      <li><a href="./202301/t20230120_2.html" title="某某县统计局2022年度政府信息公开年报">2022年度年报</a><span>2023年1月20日</span></li>
      <li><a href="/other/la_1.html">2024年政府工作报告</a></li>
      <li><a href="/other/la_2.html">某某县2023年政府网站工作年度报表</a></li>
      <li><a href="/other/la_3.html">某某县2023年统计年报</a></li>
      <li><a href="/other/la_4.html">某某县2023年部门预算</a></li>
      <li><a href="/other/la_5.html">某某县政府信息公开指南</a></li>
      <li><a href="/other/n.html">关于开展安全生产大检查的通知</a></li>
    </ul>`;
    const d = discover({ url: base, html, role: "list" });
    const reports = d.links.filter((l) => l.role === "report");
    expect(reports.map((r) => [r.url, r.yearHint, r.listedDate])).toEqual([
      ["http://www.abc.gov.cn/zwgk/zfxxgknb/202401/t20240120_1.html", 2023, "2024-01-20"],
      ["http://www.abc.gov.cn/zwgk/zfxxgknb/202301/t20230120_2.html", 2022, "2023-01-20"],
    ]);
    expect(d.links.some((l) => l.url.includes("/other/"))).toBe(false);
    expect(d.rejected.map((r) => r.text)).toEqual(
      expect.arrayContaining([
        "2024年政府工作报告",
        "某某县2023年政府网站工作年度报表",
        "某某县2023年统计年报",
      ]),
    );
  });

  it("knows report titles written other ways or cut short, and not 政府工作报告", () => {
    const d = discover({
      url: base,
      role: "list",
      html: `<ul><li><a href="a.html">某县2023年度政府信息公开工作报告</a></li>
        <li><a href="b.html">某县人民政府办公室2022年政府信息公开工作年度…</a></li>
        <li><a href="c.html">关于某县2021年政务公开工作报告</a></li>
        <li><a href="d.html">某县2024年政府工作报告</a></li></ul>`,
    });
    expect(d.links.filter((l) => l.role === "report").map((l) => [l.url.slice(-6), l.yearHint])).toEqual([
      ["a.html", 2023],
      ["b.html", 2022],
      ["c.html", 2021],
    ]);
  });

  it("pages through TRS createPageHTML, generic 下一页 and Hanweb datastore + dataproxy.jsp", () => {
    const trs = discover({
      url: `${base}index.html`,
      html: `<div class="page"><script>createPageHTML(3, 0, "index", "html");</script></div>`,
      role: "list",
    });
    expect(trs.links.map((l) => l.url)).toEqual([`${base}index_1.html`, `${base}index_2.html`]);

    const generic = discover({
      url: "http://www.abc.gov.cn/xxgk/xxgknb/index.html",
      html: `<a href="index.html">首页</a> <a href="index_2.html">下一页</a> <a href="index_5.html">尾页</a>`,
      role: "list",
    });
    expect(generic.links.map((l) => l.url).sort()).toEqual([
      "http://www.abc.gov.cn/xxgk/xxgknb/index_2.html",
      "http://www.abc.gov.cn/xxgk/xxgknb/index_5.html",
    ]);

    const col = "http://www.abc.gov.cn/col/col123/index.html";
    const hanweb = discover({
      url: col,
      role: "list",
      html: `<div id="4567"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?columnid=123&unitid=4567&webid=1"></a>]]></nextgroup>
<recordset><record><![CDATA[<li><a href="/art/2024/1/5/art_123_9.html" title="某局2023年政府信息公开工作年度报告">某局2023年政府信息公开工作年度报告</a><span>2024-01-05</span></li>]]></record></recordset>
</datastore></script><script>var totalRecord = 40; var perPage = 4;</script></div>`,
    });
    const report = hanweb.links.find((l) => l.role === "report");
    expect(report?.url).toBe("http://www.abc.gov.cn/art/2024/1/5/art_123_9.html");
    expect(report?.listedDate).toBe("2024-01-05");
    const proxy = hanweb.links.filter((l) => l.form !== undefined);
    expect(proxy.map((l) => l.form)).toEqual([
      "startrecord=5&endrecord=16&perpage=4",
      "startrecord=17&endrecord=28&perpage=4",
      "startrecord=29&endrecord=40&perpage=4",
    ]);
    // The proxy's XML answer lists records but pages no further.
    const xml = discover({
      url: "http://www.abc.gov.cn/module/web/jpage/dataproxy.jsp?columnid=123",
      role: "list",
      html: `<?xml version="1.0"?><datastore><totalrecord>40</totalrecord><recordset><record><![CDATA[<a href="/art/2022/1/5/art_123_7.html">某局2021年政府信息公开工作年度报告</a>]]></record></recordset></datastore>`,
    });
    expect(xml.links.map((l) => [l.role, l.yearHint])).toEqual([["report", 2021]]);
  });

  it("reads paging as real templates print it: TRS page-count variables, Hanweb jpage options", () => {
    const trs = discover({
      url: `${base}index.shtml`,
      role: "list",
      html: `<script>var currentPage = 0;//所在页从0开始
var countPage = 3//共多少页
createPageHTML(countPage, currentPage, "index", "shtml");</script>`,
    });
    expect(trs.links.map((l) => l.url)).toEqual([`${base}index_1.shtml`, `${base}index_2.shtml`]);
    const hanweb = discover({
      url: "http://www.abc.gov.cn/col/col9/index.html",
      role: "list",
      html: `<div id="77"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=9&unitid=77&permissiontype=0"></a>]]></nextgroup><recordset></recordset></datastore></script></div>
<script>$("#77").jpage({ dataStore: dataStore, totalRecord: 31, perPage: 15, proxyUrl: '/module/web/jpage/dataproxy.jsp' });</script>`,
    });
    expect(hanweb.links.map((l) => l.form)).toEqual(["startrecord=16&endrecord=31&perpage=15"]);
  });

  it("follows shell pages (meta refresh, location.replace)", () => {
    const meta = discover({
      url: "http://www.abc.gov.cn/",
      html: '<html><head><meta http-equiv="refresh" content="0; url=/index.html"></head><body></body></html>',
      role: "entry",
    });
    expect(meta.forward).toEqual({ url: "http://www.abc.gov.cn/index.html", how: "meta-refresh" });
    const js = discover({
      url: "http://www.abc.gov.cn/",
      html: '<html><head><script>window.location.replace("/portal/index.html");</script></head><body></body></html>',
      role: "entry",
    });
    expect(js.forward).toEqual({ url: "http://www.abc.gov.cn/portal/index.html", how: "script" });
    const page = discover({
      url: "http://www.abc.gov.cn/",
      html: `<html><body><p>${"正文".repeat(200)}</p><script>if (mobile) location.href = "/m/";</script></body></html>`,
      role: "entry",
    });
    expect(page.forward).toBeNull();
  });

  it("goes from the home page to the open-government area and the report column, not elsewhere", () => {
    const home = discover({
      url: "http://www.abc.gov.cn/index.html",
      role: "entry",
      html: `<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a>
        <a href="/calendar?date=2025-01-01">活动日历</a> <a href="/zxft/1.html">在线访谈</a></div>`,
    });
    expect(home.links.map((l) => [l.url, l.role])).toEqual([["http://www.abc.gov.cn/zwgk/", "nav"]]);
    const area = discover({
      url: "http://www.abc.gov.cn/zwgk/",
      role: "nav",
      html: `<ul><li><a href="/zwgk/zfxxgknb/">政府信息公开年报</a></li><li><a href="/zwgk/zc/">政府信息公开制度</a></li>
        <li><a href="/zwgk/znx/">政府信息公开指南</a></li><li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li></ul>`,
    });
    expect(area.links.map((l) => [l.url, l.role])).toEqual([
      ["http://www.abc.gov.cn/zwgk/zfxxgknb/", "list"],
    ]);
  });

  it("takes a report page's attachments and keeps its pictures for OCR", () => {
    const d = discover({
      url: "http://www.abc.gov.cn/zwgk/zfxxgknb/202401/t20240120_1.html",
      role: "report",
      html: `<div class="content"><img src="./W020240120_1.png"><img src="./W020240120_2.jpg"></div>
        <p>附件：<a href="./P020240120.pdf">2023年年度报告.pdf</a> <a href="/files/a.docx">附件2</a> <a href="/zwgk/">返回</a></p>`,
    });
    expect(d.links.map((l) => [l.url.replace("http://www.abc.gov.cn", ""), l.role])).toEqual([
      ["/zwgk/zfxxgknb/202401/P020240120.pdf", "attachment"],
      ["/files/a.docx", "attachment"],
    ]);
    expect(d.images).toHaveLength(2);
  });

  it("survives malformed HTML", () => {
    const d = discover({
      url: base,
      role: "list",
      html: `<html><body><ul><li><a href="./202401/t1.html" class=>2023年政府信息公开工作年度报告<li><a href=./202301/t2.html>2022年政府信息公开工作年度报告</a></div></html></html><table><tr><td>`,
    });
    expect(d.links.filter((l) => l.role === "report").map((l) => l.yearHint)).toEqual([2023, 2022]);
  });
});

describe("seed catalogue", () => {
  it("reads CSV with Chinese or English headers and reports bad lines", () => {
    const csv = `网站标识码,机构,区划代码,层级,网址\n1101000001,北京市某某局,110100,部门,www.abc.gov.cn\n1101000002,"北京市某区人民政府",110105,政府,http://xxgk.def.gov.cn/zwgk/\n1101000003,没有网址,110100,部门,\n1101000004,某某,110100,省级,www.x.gov.cn\n`;
    const { seeds, issues } = parseSeeds(csv);
    expect(seeds).toEqual([
      {
        siteCode: "1101000001",
        name: "北京市某某局",
        region: "110100",
        level: "department",
        entryUrl: "http://www.abc.gov.cn/",
      },
      {
        siteCode: "1101000002",
        name: "北京市某区人民政府",
        region: "110105",
        level: "government",
        entryUrl: "http://xxgk.def.gov.cn/zwgk/",
      },
    ]);
    expect(issues.map((i) => i.line)).toEqual([4, 5]);
    expect(parseCsv('a,"b,""c"""\n1,2\n')).toEqual([
      ["a", 'b,"c"'],
      ["1", "2"],
    ]);
  });

  it("reads JSON", () => {
    const { seeds, issues } = parseSeeds(
      JSON.stringify([{ name: "某局", entryUrl: "www.a.gov.cn", level: "department" }, { name: "" }]),
    );
    expect(seeds).toHaveLength(1);
    expect(issues).toHaveLength(1);
  });
});
