/**
 * A simulated government web for crawler tests: a pure, deterministic description of sites (hosts, pages,
 * robots.txt, traps) built from the sample generator. `server.ts` serves it on 127.0.0.1; `truth()` says
 * which annual report each agency published for each year and what a polite crawler can get.
 */

import { encodeGbk } from "../samples/gbk.js";
import {
  chance,
  deriveSeed,
  generateReport,
  mulberry32,
  pick,
  type Rng,
  randInt,
} from "../samples/generator.js";
import { type HtmlStyle, renderHtmlString } from "../samples/render-html.js";

export type SiteStyle = "trs" | "hanweb" | "generic";
export type Level = "department" | "government";

export interface Agency {
  name: string;
  level: Level;
  /** Six-digit (synthetic) administrative region code. */
  region: string;
}

/** One static route. A string body is served as UTF-8; `file` is relative to the project root. */
export interface Page {
  status: number;
  contentType?: string;
  body?: string | Uint8Array;
  file?: string;
  location?: string;
  /** Wait this long before the first byte. */
  delayMs?: number;
  /** Send the body in chunks of `chunkBytes` every `intervalMs`. */
  trickle?: { chunkBytes: number; intervalMs: number };
}

export interface ReportRecord {
  year: number;
  /** Final URL of the report page (after any redirect); null when the agency never published it. */
  url: string | null;
  /** The URL the column links to (differs from `url` behind the redirect chain). */
  linkedAs: string | null;
  publishedAt: string | null;
  attachment: string | null;
  /** Generator style of the page and whether its bytes are GBK. */
  htmlStyle: HtmlStyle | null;
  gbk: boolean;
  title: string;
}

export interface SimSite {
  host: string;
  agency: Agency;
  style: SiteStyle;
  /** `/zwgk/` or `/xxgk/`. */
  openArea: string;
  /** First page of the report column. */
  column: string;
  robots: string;
  /** Connection destroyed on every request. */
  dead: boolean;
  /** The first `rateLimit` requests to this host answer 429 with `Retry-After: 1`. */
  rateLimit: number;
  pages: Record<string, Page>;
  reports: ReportRecord[];
}

export interface SimSpecials {
  spamHost: string;
  redirectEntry: string;
  redirectFinal: string;
  metaRefreshShell: string;
  locationReplaceShell: string;
  brokenLinks: string[];
  trapStart: string;
  rateLimitedHost: string;
  crawlDelayHost: string;
  robotsBlockedHost: string;
  deadHost: string;
  missing: { host: string; year: number };
  slowUrl: string;
  delayedUrl: string;
  lookAlikeTitles: string[];
}

export interface SimWeb {
  seed: number;
  years: number[];
  sites: SimSite[];
  /** The non-government copy site (a mirror of site 0's reports); never a report source. */
  spam: SimSite;
  specials: SimSpecials;
}

export interface BuildSimWebOptions {
  sites: number;
  seed: number;
  years?: number[];
}

export const MIN_SITES = 6;
export const SPAM_HOST = "www.govcopy-mirror.com";

const PDFS = [
  "samples/pdf/lo-ruled-v2021.pdf",
  "samples/pdf/chrome-ruled-v2021.pdf",
  "samples/pdf/lo-v2021-narrow.pdf",
  "samples/pdf/chrome-v2021-landscape.pdf",
  "samples/pdf/lo-ruled-v2019.pdf",
  "samples/pdf/chrome-ruled-v2019.pdf",
];

/** Generator HTML styles used for report pages: UTF-8, GBK declared (gb2312 meta), GBK undeclared. */
const REPORT_STYLES: readonly HtmlStyle[] = [
  "html-clean",
  "html-word-gbk",
  "html-gbk-nodecl",
  "html-nested",
  "html-split-t3",
];
const GBK_STYLES: ReadonlySet<HtmlStyle> = new Set(["html-word-gbk", "html-gbk-nodecl"]);
const STYLE_CONTENT_TYPE: Record<HtmlStyle, string> = {
  "html-clean": "text/html; charset=utf-8",
  "html-word-gbk": "text/html",
  "html-gbk-nodecl": "text/html",
  "html-nested": "text/html",
  "html-split-t3": "text/html; charset=utf-8",
  "html-blanks": "text/html; charset=utf-8",
};

const HTML = "text/html; charset=utf-8";
const PAGE_SIZE = 4;

// ---------------------------------------------------------------- helpers

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function htmlPage(title: string, body: string, head = ""): Page {
  return {
    status: 200,
    contentType: HTML,
    body: `<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>${esc(title)}</title>\n${head}</head>\n<body>\n${body}\n</body>\n</html>\n`,
  };
}

const link = (href: string, text: string): string =>
  `<a href="${esc(href)}" target="_blank">${esc(text)}</a>`;
const pad2 = (n: number): string => String(n).padStart(2, "0");
const isoDay = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;

export function deadline(level: Level, year: number): string {
  return level === "department" ? `${year + 1}-01-31` : `${year + 1}-03-31`;
}

/** "YYYY-MM-DD HH:MM": on time, or 1–90 days after the Art. 49 deadline when `late`. */
function publishDate(rng: Rng, level: Level, year: number, late: boolean): string {
  const dl = new Date(`${deadline(level, year)}T00:00:00Z`);
  const d = new Date(dl);
  if (late) d.setUTCDate(d.getUTCDate() + randInt(rng, 1, 90));
  else d.setUTCDate(d.getUTCDate() - randInt(rng, 0, level === "department" ? 20 : 75));
  return `${isoDay(d)} ${pad2(randInt(rng, 8, 18))}:${pad2(randInt(rng, 0, 59))}`;
}

/** Disallow rules of the `User-agent: *` group (enough for the robots files this web serves). */
export function robotsAllows(robots: string, path: string): boolean {
  let inStar = false;
  const disallow: string[] = [];
  for (const raw of robots.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, "").trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = (m[1] ?? "").toLowerCase();
    const value = (m[2] ?? "").trim();
    if (key === "user-agent") inStar = value === "*";
    else if (key === "disallow" && inStar && value) disallow.push(value);
  }
  return !disallow.some((p) => path.startsWith(p));
}

function hostLetters(rng: Rng): string {
  const a = "abcdfghjklmnpqrstwxyz";
  let s = "";
  const n = randInt(rng, 4, 7);
  for (let i = 0; i < n; i++) s += a[Math.floor(rng() * a.length)] ?? "x";
  return s;
}

/** An organ name drawn from the generator's own organ list, of the wanted level, not yet used. */
function organName(seed: number, i: number, level: Level, used: Set<string>): string {
  for (let k = 0; k < 500; k++) {
    const organ = generateReport(deriveSeed(seed, `organ-${i}-${k}`), {
      template: "v2021",
      year: 2021,
    }).organ;
    const isGov = organ.endsWith("人民政府");
    if (isGov === (level === "government") && !used.has(organ)) {
      used.add(organ);
      return organ;
    }
  }
  throw new Error(`no ${level} organ name for site ${i}`);
}

// ---------------------------------------------------------------- site roles

interface Role {
  style: SiteStyle;
  level: Level;
}

const ROLES: readonly Role[] = [
  { style: "trs", level: "department" }, // 0: redirect chain, link to the spam mirror, a forced late report
  { style: "hanweb", level: "government" }, // 1: meta-refresh shell home, Crawl-delay: 2
  { style: "generic", level: "department" }, // 2: location.replace shell home, robots disallows the column
  { style: "trs", level: "government" }, // 3: 429 twice, one missing year, a forced late report
  { style: "hanweb", level: "department" }, // 4: calendar trap, slow attachment, delayed column page
  { style: "generic", level: "government" }, // 5: dead host
];

interface Item {
  title: string;
  href: string;
  date: string;
}

const LOOK_ALIKES = (organ: string, y: number): { title: string; text: string }[] => [
  { title: `${y + 1}年政府工作报告`, text: `${organ}${y + 1}年政府工作报告全文。` },
  { title: `${organ}${y}年政府网站工作年度报表`, text: "政府网站工作年度报表（按国办要求公开）。" },
  { title: `${organ}2023年部门预算`, text: "2023年部门预算公开说明。" },
  { title: `${organ}${y}年统计年报`, text: "统计年报主要数据。" },
  { title: `${organ}政府信息公开指南`, text: "为了更好地提供政府信息公开服务，特编制本指南。" },
];

const FILLERS = [
  "关于开展安全生产大检查的通知",
  "关于公布行政许可事项清单的公告",
  "关于做好节假日值班工作的通知",
  "召开全体干部大会",
  "关于征求意见的公告",
];

// ---------------------------------------------------------------- column renderers

function listHtml(items: Item[]): string {
  return `<ul class="list">\n${items.map((it) => `<li>${link(it.href, it.title)}<span>${it.date}</span></li>`).join("\n")}\n</ul>`;
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out.length ? out : [[]];
}

/** TRS WCM: `index.html`, `index_1.html`…, paging only through the `createPageHTML` script. */
function trsColumn(site: SimSite, dir: string, items: Item[]): void {
  const groups = chunks(items, PAGE_SIZE);
  groups.forEach((g, i) => {
    const page = htmlPage(
      `政府信息公开年报_${site.agency.name}`,
      `<div class="pos">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>\n${listHtml(g)}\n<div class="page"><script type="text/javascript">createPageHTML(${groups.length}, ${i}, "index", "html");</script></div>`,
      '<script src="/js/page.js"></script>\n',
    );
    site.pages[`${dir}${i === 0 ? "index.html" : `index_${i}.html`}`] = page;
    if (i === 0) site.pages[dir] = page;
  });
}

/** Hanweb: first records embedded as `<script type="text/xml">` datastore, the rest via dataproxy.jsp. */
function hanwebRecords(items: Item[]): string {
  return items
    .map(
      (it) =>
        `<record><![CDATA[<li><a href="${esc(it.href)}" title="${esc(it.title)}" target="_blank">${esc(it.title)}</a><span>${it.date}</span></li>]]></record>`,
    )
    .join("\n");
}

function hanwebColumn(site: SimSite, columnId: number, unitId: number, items: Item[]): void {
  const first = items.slice(0, PAGE_SIZE);
  const proxy = `/module/web/jpage/dataproxy.jsp?columnid=${columnId}&unitid=${unitId}&webid=1&permissiontype=0`;
  site.pages[`/col/col${columnId}/index.html`] = htmlPage(
    `政府信息公开年报 ${site.agency.name}`,
    `<div id="${unitId}">\n<script type="text/xml">\n<datastore>\n<nextgroup><![CDATA[<a href="${esc(proxy)}"></a>]]></nextgroup>\n<recordset>\n${hanwebRecords(first)}\n</recordset>\n</datastore>\n</script>\n<script language="javascript">var totalRecord = ${items.length}; var perPage = ${PAGE_SIZE}; /* jpage: POST ${proxy}&startrecord=N&endrecord=M&perpage=${PAGE_SIZE} */</script>\n</div>`,
    '<script src="/module/jslib/jquery/jpage/jpage.js"></script>\n',
  );
}

/** dataproxy.jsp answer for records [start, end] (1-based, inclusive), as Hanweb sends it. */
export function hanwebProxy(items: readonly Item[], start: number, end: number): string {
  const slice = items.slice(Math.max(0, start - 1), Math.max(0, end));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>${items.length}</totalrecord>\n<totalpage>${Math.ceil(items.length / PAGE_SIZE)}</totalpage>\n<recordset>\n${hanwebRecords(slice)}\n</recordset>\n</datastore>\n`;
}

/** Plain CMS: `下一页` / `尾页` anchor links. */
function genericColumn(site: SimSite, dir: string, items: Item[]): void {
  const groups = chunks(items, PAGE_SIZE);
  const name = (i: number): string => (i === 0 ? "index.html" : `index_${i + 1}.html`);
  groups.forEach((g, i) => {
    const nav = [
      link(name(0), "首页"),
      i > 0 ? link(name(i - 1), "上一页") : "",
      i < groups.length - 1 ? link(name(i + 1), "下一页") : "",
      link(name(groups.length - 1), "尾页"),
    ].join(" ");
    site.pages[`${dir}${name(i)}`] = htmlPage(
      `年度报告 - ${site.agency.name}`,
      `${listHtml(g)}\n<div class="pagination">${nav} 共${groups.length}页</div>`,
    );
  });
}

// ---------------------------------------------------------------- the web

interface SiteState {
  site: SimSite;
  items: Item[];
  hanweb?: { columnId: number; unitId: number };
}

const states = new WeakMap<SimSite, SiteState>();

export function buildSimWeb(opts: BuildSimWebOptions): SimWeb {
  const { sites: n, seed } = opts;
  const years = [...(opts.years ?? [2021, 2022, 2023])].sort((a, b) => a - b);
  if (n < MIN_SITES) throw new RangeError(`buildSimWeb needs at least ${MIN_SITES} sites (got ${n})`);
  if (years.length < 2) throw new RangeError("buildSimWeb needs at least two years");
  const rng = mulberry32(deriveSeed(seed, "sim-web"));
  const usedHosts = new Set<string>();
  const usedOrgans = new Set<string>();
  const sites: SimSite[] = [];
  const minYear = years[0] ?? 2021;
  const missingYear = years[1] ?? minYear;

  const specials: SimSpecials = {
    spamHost: SPAM_HOST,
    redirectEntry: "",
    redirectFinal: "",
    metaRefreshShell: "",
    locationReplaceShell: "",
    brokenLinks: [],
    trapStart: "",
    rateLimitedHost: "",
    crawlDelayHost: "",
    robotsBlockedHost: "",
    deadHost: "",
    missing: { host: "", year: missingYear },
    slowUrl: "",
    delayedUrl: "",
    lookAlikeTitles: [],
  };

  for (let i = 0; i < n; i++) {
    const srng = mulberry32(deriveSeed(seed, `site-${i}`));
    const role: Role = ROLES[i] ?? {
      style: pick(srng, ["trs", "hanweb", "generic"] as const),
      level: chance(srng, 0.4) ? "government" : "department",
    };
    let host = `www.${hostLetters(rng)}.gov.cn`;
    while (usedHosts.has(host)) host = `www.${hostLetters(rng)}.gov.cn`;
    usedHosts.add(host);
    const agency: Agency = {
      name: organName(seed, i, role.level, usedOrgans),
      level: role.level,
      region: `${randInt(srng, 11, 65)}${pad2(randInt(srng, 1, 20))}${pad2(randInt(srng, 1, 30))}`,
    };
    const openArea = role.style === "generic" ? "/xxgk/" : "/zwgk/";
    const columnId = randInt(srng, 100, 9999);
    const unitId = randInt(srng, 1000, 99999);
    const columnDir =
      role.style === "trs"
        ? "/zwgk/zfxxgknb/"
        : role.style === "hanweb"
          ? `/col/col${columnId}/`
          : "/xxgk/xxgknb/";
    const column = role.style === "trs" ? columnDir : `${columnDir}index.html`;
    let robots = "User-agent: *\nDisallow:\n";
    if (i === 1) robots = "User-agent: *\nCrawl-delay: 2\nDisallow: /admin/\n";
    if (i === 2) robots = `User-agent: *\nDisallow: ${columnDir}\nDisallow: /search/\n`;
    const site: SimSite = {
      host,
      agency,
      style: role.style,
      openArea,
      column,
      robots,
      dead: i === 5,
      rateLimit: i === 3 ? 2 : 0,
      pages: {},
      reports: [],
    };
    const url = (path: string): string => `http://${host}${path}`;
    const items: Item[] = [];

    // Reports, one per year (site 3 skips one year); the newest carries a PDF attachment.
    years.forEach((year, yi) => {
      const title = `${agency.name}${year}年政府信息公开工作年度报告`;
      if (i === 3 && year === missingYear) {
        site.reports.push({
          year,
          url: null,
          linkedAs: null,
          publishedAt: null,
          attachment: null,
          htmlStyle: null,
          gbk: false,
          title,
        });
        specials.missing = { host, year };
        return;
      }
      const late = (i === 0 && yi === 1) || (i === 3 && yi === 0) || (i >= 6 && chance(srng, 0.2));
      const publishedAt = publishDate(srng, agency.level, year, late);
      const day = publishedAt.slice(0, 10);
      const ymd = day.replace(/-/g, "");
      const docId = randInt(srng, 100000, 999999);
      const path =
        role.style === "trs"
          ? `${columnDir}${ymd.slice(0, 6)}/t${ymd}_${docId}.html`
          : role.style === "hanweb"
            ? `/art/${day.slice(0, 4)}/${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}/art_${columnId}_${docId}.html`
            : `${columnDir}content_${docId}.html`;
      const htmlStyle = REPORT_STYLES[(i + yi) % REPORT_STYLES.length] ?? "html-clean";
      const report = generateReport(deriveSeed(seed, `report-${i}-${year}`), {
        template: year >= 2021 ? "v2021" : "v2019",
        year,
        organ: agency.name,
      });
      let html = renderHtmlString(report, htmlStyle).replace(
        /<meta name="PubDate" content="[^"]*">/,
        `<meta name="PubDate" content="${publishedAt}">\n<meta name="ColumnName" content="政府信息公开年报">`,
      );
      let attachment: string | null = null;
      if (yi === years.length - 1) {
        const pdfPath =
          role.style === "trs"
            ? `${columnDir}${ymd.slice(0, 6)}/P0${ymd}${docId}.pdf`
            : role.style === "hanweb"
              ? `/picture/0/${ymd}${docId}.pdf`
              : `${columnDir}files/${docId}.pdf`;
        const pdf: Page = {
          status: 200,
          contentType: "application/pdf",
          file: PDFS[i % PDFS.length] ?? "samples/pdf/lo-ruled-v2021.pdf",
        };
        if (i === 4) {
          pdf.trickle = { chunkBytes: 32 * 1024, intervalMs: 40 };
          specials.slowUrl = url(pdfPath);
        }
        site.pages[pdfPath] = pdf;
        attachment = url(pdfPath);
        const rel = role.style === "trs" ? `./P0${ymd}${docId}.pdf` : pdfPath;
        html = html.replace(
          /<\/body>/i,
          `<p class="attachment">附件：<a href="${rel}">${esc(title)}.pdf</a></p>\n</body>`,
        );
      }
      const gbk = GBK_STYLES.has(htmlStyle);
      site.pages[path] = {
        status: 200,
        contentType: STYLE_CONTENT_TYPE[htmlStyle],
        body: gbk ? encodeGbk(html) : html,
      };
      let linkedAs = url(path);
      if (i === 0 && yi === 0) {
        // 301 (absolute Location) → 302 (relative Location) → the page.
        const a = `/old/nb${year}.html`;
        const b = `/zwgk/tmp/nb${year}.shtml`;
        site.pages[a] = { status: 301, location: url(b) };
        site.pages[b] = { status: 302, location: path };
        linkedAs = url(a);
        specials.redirectEntry = linkedAs;
        specials.redirectFinal = url(path);
      }
      const href =
        role.style === "trs" && linkedAs === url(path) ? `.${path.slice(columnDir.length - 1)}` : linkedAs;
      items.push({ title, href: href.replace(`http://${host}`, ""), date: day });
      site.reports.push({
        year,
        url: url(path),
        linkedAs,
        publishedAt,
        attachment,
        htmlStyle,
        gbk,
        title,
      });
    });

    // Look-alikes: real pages that must not be taken for annual reports.
    const latest = years[years.length - 1] ?? minYear;
    LOOK_ALIKES(agency.name, latest).forEach((la, k) => {
      const p = `${openArea}other/la_${k}_${randInt(srng, 1000, 9999)}.html`;
      site.pages[p] = htmlPage(la.title, `<h1>${esc(la.title)}</h1>\n<p>${esc(la.text)}</p>`);
      items.push({
        title: la.title,
        href: p,
        date: `${latest + 1}-0${randInt(srng, 1, 6)}-${pad2(randInt(srng, 1, 28))}`,
      });
      if (i === 0) specials.lookAlikeTitles.push(la.title);
    });
    // A broken link to an older report.
    const broken = `${columnDir}old/${minYear - 1}nb.html`;
    items.push({
      title: `${agency.name}${minYear - 1}年政府信息公开工作年度报告`,
      href: broken,
      date: `${minYear}-01-2${randInt(srng, 0, 9)}`,
    });
    specials.brokenLinks.push(url(broken));
    for (const f of FILLERS.slice(0, 3)) {
      const p = `${openArea}tzgg/${randInt(srng, 10000, 99999)}.html`;
      site.pages[p] = htmlPage(f, `<h1>${esc(f)}</h1>\n<p>${esc(agency.name)}</p>`);
      items.push({
        title: f,
        href: p,
        date: `${pick(srng, years)}-${pad2(randInt(srng, 1, 12))}-${pad2(randInt(srng, 1, 28))}`,
      });
    }
    items.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.title.localeCompare(b.title)));

    // The report column.
    if (role.style === "trs") trsColumn(site, columnDir, items);
    else if (role.style === "hanweb") hanwebColumn(site, columnId, unitId, items);
    else genericColumn(site, columnDir, items);
    if (i === 4) {
      const col = site.pages[column];
      if (col) col.delayMs = 300;
      specials.delayedUrl = url(column);
    }

    // Open-government area and home page.
    site.pages[openArea] = htmlPage(
      `政府信息公开 - ${agency.name}`,
      `<ul class="gknav">\n<li>${link(column, "政府信息公开年报")}</li>\n<li>${link(`${openArea}zc/`, "政府信息公开制度")}</li>\n<li>${link(items.find((x) => x.title.endsWith("政府信息公开指南"))?.href ?? "/", "政府信息公开指南")}</li>\n</ul>`,
    );
    site.pages[`${openArea}index.html`] = site.pages[openArea] as Page;
    site.pages[`${openArea}zc/`] = htmlPage("政府信息公开制度", "<p>政府信息公开制度汇编。</p>");
    const extras: string[] = [];
    if (i === 0) extras.push(link(`http://${SPAM_HOST}/`, "政务信息镜像站"));
    if (i === 4) {
      specials.trapStart = url(`/calendar?date=${latest + 1}-01-01`);
      extras.push(link(`/calendar?date=${latest + 1}-01-01`, "活动日历"));
    }
    extras.push(link(`/zxft/${randInt(srng, 100, 999)}.html`, "在线访谈")); // 404
    const homeTitle = `${agency.name}门户网站`;
    const home = htmlPage(
      homeTitle,
      `<div class="nav">${link("/", "首页")} ${link(openArea, "政务公开")} ${link("/hdjl/", "互动交流")}</div>\n<div class="links">${extras.join(" ")}</div>`,
    );
    site.pages["/index.html"] = home;
    site.pages["/hdjl/"] = htmlPage("互动交流", "<p>领导信箱</p>");
    if (i === 1) {
      site.pages["/"] = {
        status: 200,
        contentType: HTML,
        body: '<html><head><meta http-equiv="refresh" content="0; url=/index.html"></head><body></body></html>\n',
      };
      specials.metaRefreshShell = url("/");
    } else if (i === 2) {
      site.pages["/"] = {
        status: 200,
        contentType: HTML,
        body: '<html><head><script type="text/javascript">window.location.replace("/index.html");</script></head><body></body></html>\n',
      };
      specials.locationReplaceShell = url("/");
    } else site.pages["/"] = home;

    if (i === 1) specials.crawlDelayHost = host;
    if (i === 2) specials.robotsBlockedHost = host;
    if (i === 3) specials.rateLimitedHost = host;
    if (i === 5) specials.deadHost = host;
    const state: SiteState = { site, items };
    if (role.style === "hanweb") state.hanweb = { columnId, unitId };
    states.set(site, state);
    sites.push(site);
  }

  // The spam mirror: copies of site 0's report pages on a non-government domain.
  const src = sites[0] as SimSite;
  const spam: SimSite = {
    host: SPAM_HOST,
    agency: { name: "政务信息镜像", level: "department", region: "000000" },
    style: "generic",
    openArea: "/",
    column: "/",
    robots: "User-agent: *\nDisallow:\n",
    dead: false,
    rateLimit: 0,
    pages: {},
    reports: [],
  };
  const copies: Item[] = [];
  src.reports.forEach((r, k) => {
    const page = r.url ? src.pages[new URL(r.url).pathname] : undefined;
    if (!page) return;
    spam.pages[`/copy/${k + 1}.html`] = { ...page };
    copies.push({ title: r.title, href: `/copy/${k + 1}.html`, date: r.publishedAt?.slice(0, 10) ?? "" });
  });
  spam.pages["/"] = htmlPage("政务信息镜像", listHtml(copies));
  spam.pages["/index.html"] = spam.pages["/"];
  states.set(spam, { site: spam, items: copies });

  return { seed, years, sites, spam, specials };
}

// ---------------------------------------------------------------- routing (used by the server)

export function findSite(web: SimWeb, host: string): SimSite | undefined {
  const h = host.toLowerCase().replace(/:\d+$/, "");
  if (h === web.spam.host) return web.spam;
  return web.sites.find((s) => s.host === h);
}

const NOT_FOUND: Page = {
  status: 404,
  contentType: HTML,
  body: '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404</title></head><body><h1>404 页面不存在</h1></body></html>\n',
};

/** The page for a path with query (`robots.txt`, static pages, dataproxy.jsp, the calendar trap). */
export function resolvePage(site: SimSite, pathWithQuery: string, form?: URLSearchParams): Page {
  const u = new URL(pathWithQuery, "http://x");
  const q = new URLSearchParams(u.search);
  if (form) for (const [k, v] of form) q.set(k, v);
  const path = decodeURIComponent(u.pathname);
  if (path === "/robots.txt")
    return { status: 200, contentType: "text/plain; charset=utf-8", body: site.robots };
  const page = site.pages[path];
  if (page) return page;
  const state = states.get(site);
  if (path === "/module/web/jpage/dataproxy.jsp" && state?.hanweb) {
    if (q.get("columnid") !== String(state.hanweb.columnId)) return NOT_FOUND;
    const per = Number(q.get("perpage") ?? PAGE_SIZE) || PAGE_SIZE;
    const start = Number(q.get("startrecord") ?? 1) || 1;
    const end = Number(q.get("endrecord") ?? start + per - 1) || start + per - 1;
    return {
      status: 200,
      contentType: "text/xml; charset=utf-8",
      body: hanwebProxy(state.items, start, end),
    };
  }
  if (path === "/calendar" && site.pages["/index.html"] && state) {
    const date = q.get("date") ?? "";
    const d = new Date(`${date}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(d.getTime())) return NOT_FOUND;
    const next = new Date(d);
    next.setUTCDate(d.getUTCDate() + 1);
    const prev = new Date(d);
    prev.setUTCDate(d.getUTCDate() - 1);
    return htmlPage(
      `活动日历 ${date}`,
      `<h1>${date} 暂无活动</h1>\n<p>${link(`/calendar?date=${isoDay(prev)}`, "前一天")} ${link(`/calendar?date=${isoDay(next)}`, "后一天")}</p>`,
    );
  }
  return NOT_FOUND;
}

// ---------------------------------------------------------------- truth

export interface TruthRow {
  host: string;
  agency: string;
  level: Level;
  region: string;
  year: number;
  /** Final report page URL, or `missing` when the agency never published that year's report. */
  url: string | "missing";
  /** URL the column links to (the redirect-chain entry for one report). */
  linkedAs: string | null;
  attachment: string | null;
  publishedAt: string | null;
  deadline: string;
  late: boolean | null;
  blockedByRobots: boolean;
  dead: boolean;
  gbk: boolean;
}

/** Per agency and year: what exists, when it was published, and what a polite crawler may fetch. */
export function truth(web: SimWeb): TruthRow[] {
  const rows: TruthRow[] = [];
  for (const site of web.sites) {
    for (const r of site.reports) {
      const dl = deadline(site.agency.level, r.year);
      rows.push({
        host: site.host,
        agency: site.agency.name,
        level: site.agency.level,
        region: site.agency.region,
        year: r.year,
        url: r.url ?? "missing",
        linkedAs: r.linkedAs,
        attachment: r.attachment,
        publishedAt: r.publishedAt,
        deadline: dl,
        late: r.publishedAt ? r.publishedAt.slice(0, 10) > dl : null,
        blockedByRobots:
          !robotsAllows(site.robots, site.column) ||
          (r.url !== null && !robotsAllows(site.robots, new URL(r.url).pathname)),
        dead: site.dead,
        gbk: r.gbk,
      });
    }
  }
  return rows;
}
