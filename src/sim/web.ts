/**
 * A simulated government web for crawler tests: a pure, deterministic description of sites (hosts, pages,
 * robots.txt, traps, bad inputs) built from the sample generator. `server.ts` serves it on 127.0.0.1;
 * `truth()` says which annual report each agency published for each year and what a polite crawler can
 * get, `seeds()` is the agency catalogue a crawl starts from, `badInputs()` says what a correct crawler
 * records for each hostile host.
 *
 * Report pages are rendered lazily: `Page.body` of a generated report is a getter that renders on first
 * read and keeps the bytes in a small bounded cache (`REPORT_CACHE_ENTRIES`), so 1,000 sites build in well
 * under a second and a server holds only recently served reports.
 */

import { deflateSync } from "node:zlib";
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

export type SiteStyle = "trs" | "hanweb" | "generic" | "gkmlpt";
export type Level = "department" | "government";
/** How a report is published: an HTML page, a file linked straight from the column, or a page of table images. */
export type ReportForm = "html" | "pdf" | "doc" | "docx" | "scan-pdf" | "img-stack";
export const REPORT_FORMS: readonly ReportForm[] = ["html", "pdf", "doc", "docx", "scan-pdf", "img-stack"];

export interface Agency {
  name: string;
  level: Level;
  /** Six-digit (synthetic) administrative region code. */
  region: string;
}

/** An agency of the catalogue: several may share one host (a county portal). */
export interface SimAgency extends Agency {
  /** 网站标识码-like key, 10 characters: the region code and a 4-digit sequence. */
  siteCode: string;
  /** Where a crawl of this agency starts (the site root, or the department's area on a county portal). */
  entryUrl: string;
  /** Absolute URL of the first page of the agency's report column (on a sibling host for site 10). */
  column: string;
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
  /** HTTP-date for `Last-Modified` (the server uses a web-wide default otherwise). */
  lastModified?: string;
  /** Extra response headers (`content-disposition`, `set-cookie`, …). */
  headers?: Record<string, string>;
  /**
   * Hostile bodies (the server never buffers them):
   * `zeros`: `Content-Length: length`, zeros streamed until the client hangs up;
   * `reset`: `Content-Length` of the whole `body`, then the socket is destroyed after `afterBytes`;
   * `drip`: no length, one byte every `intervalMs` forever (until the client disconnects).
   */
  stream?:
    | { kind: "zeros"; length: number }
    | { kind: "reset"; afterBytes: number }
    | { kind: "drip"; intervalMs: number };
}

export interface ReportRecord {
  year: number;
  /** Final URL of the report (page or file, after any redirect); null when the agency never published it. */
  url: string | null;
  /** The URL the column links to (differs from `url` behind the redirect chain). */
  linkedAs: string | null;
  publishedAt: string | null;
  attachment: string | null;
  /** Generator style of the page and whether its bytes are GBK (null for non-HTML forms). */
  htmlStyle: HtmlStyle | null;
  gbk: boolean;
  title: string;
  /** Catalogue key of the agency (several agencies share the county portal). */
  siteCode: string;
  /** Null when missing. */
  form: ReportForm | null;
}

export interface SimSite {
  host: string;
  /** The site's own (primary) agency. */
  agency: Agency;
  style: SiteStyle;
  /** `/zwgk/` or `/xxgk/` (`/gkmlpt/index` on gkmlpt sites; on the sibling host for site 10). */
  openArea: string;
  /** First page of the report column (a path; on the sibling host for site 10). */
  column: string;
  robots: string;
  /** `Content-Type` of robots.txt when it is not plain text (the robots-as-HTML host). */
  robotsContentType?: string;
  /** Connection destroyed on every request. */
  dead: boolean;
  /** The first `rateLimit` requests to this host answer 429 with `Retry-After: 1`. */
  rateLimit: number;
  /** Every request (robots.txt included) answers this anti-bot challenge page (412 or 521). */
  challenge?: Page;
  pages: Record<string, Page>;
  reports: ReportRecord[];
  /** Every agency in the catalogue whose reports this site publishes; the first is `agency`. */
  agencies: SimAgency[];
}

export type BadInputName =
  | "redirectLoop"
  | "redirectChain"
  | "hugeBody"
  | "resetMidBody"
  | "trickleForever"
  | "malformedHtml"
  | "robotsHtml"
  | "robotsHuge"
  | "challenge412"
  | "challenge521";

export const BAD_INPUTS: readonly BadInputName[] = [
  "redirectLoop",
  "redirectChain",
  "hugeBody",
  "resetMidBody",
  "trickleForever",
  "malformedHtml",
  "robotsHtml",
  "robotsHuge",
  "challenge412",
  "challenge521",
];

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
  /** Site 6: one host, the county government and several departments, each with its own column. */
  countyPortalHost: string;
  /** Site 7: Guangdong-style `gkmlpt` directory whose list comes from a JSON API. */
  gkmlptHost: string;
  /** `http://<host>/gkmlpt/index`. */
  gkmlptIndex: string;
  /** First page of the report list API, `http://<host>/gkmlpt/api/all/<catId>?page=1&sid=<sid>`. */
  gkmlptApi: string;
  /** Sites 8 and 9: reports as PDF, DOCX, DOC, scanned PDF, `<img>` stack and HTML. */
  formsHosts: string[];
  /** Site 10: `www.<x>.gov.cn` whose open-government area is on `siblingHost` = `xxgk.<x>.gov.cn`. */
  siblingPortalHost: string;
  siblingHost: string;
  /** Host of each bad-input site (sites 11–20); `badInputs(web)` says what to record. */
  bad: Record<BadInputName, string>;
}

export interface SimWeb {
  seed: number;
  years: number[];
  sites: SimSite[];
  /** The non-government copy site (a mirror of site 0's reports); never a report source. */
  spam: SimSite;
  /** Hosts that are not catalogue entries: the sibling open-government host of site 10. */
  extra: SimSite[];
  specials: SimSpecials;
}

export interface BuildSimWebOptions {
  sites: number;
  seed: number;
  years?: number[];
}

export const MIN_SITES = 21;
export const SPAM_HOST = "www.govcopy-mirror.com";
/** Google reads the first 500 KiB of robots.txt; this web's truth does the same. */
export const ROBOTS_MAX_BYTES = 500 * 1024;
/** Generated report bodies kept in memory at once (lazy rendering). */
export const REPORT_CACHE_ENTRIES = 256;

const PDFS = [
  "samples/pdf/lo-ruled-v2021.pdf",
  "samples/pdf/chrome-ruled-v2021.pdf",
  "samples/pdf/lo-v2021-narrow.pdf",
  "samples/pdf/chrome-v2021-landscape.pdf",
  "samples/pdf/lo-ruled-v2019.pdf",
  "samples/pdf/chrome-ruled-v2019.pdf",
];
const SCAN_PDF = "samples/pdf/scan-image-only-v2021.pdf";
const DOCS = ["samples/office/gen-v2021-html-clean-1.doc", "samples/office/gen-v2021-html-split-t3-1.doc"];
const DOCXS = ["samples/office/gen-v2021-html-clean-1.docx", "samples/office/gen-v2021-html-blanks-1.docx"];
const FORM_CONTENT_TYPE: Record<Exclude<ReportForm, "html" | "img-stack">, string> = {
  pdf: "application/pdf",
  "scan-pdf": "application/pdf",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};
const FORM_EXT: Record<Exclude<ReportForm, "html" | "img-stack">, string> = {
  pdf: "pdf",
  "scan-pdf": "pdf",
  doc: "doc",
  docx: "docx",
};

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

function htmlDoc(title: string, body: string, head = ""): string {
  return `<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>${esc(title)}</title>\n${head}</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

function htmlPage(title: string, body: string, head = ""): Page {
  return { status: 200, contentType: HTML, body: htmlDoc(title, body, head) };
}

const link = (href: string, text: string): string =>
  `<a href="${esc(href)}" target="_blank">${esc(text)}</a>`;
const pad2 = (n: number): string => String(n).padStart(2, "0");
const isoDay = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;

export function deadline(level: Level, year: number): string {
  return level === "department" ? `${year + 1}-01-31` : `${year + 1}-03-31`;
}

/** "YYYY-MM-DD HH:MM" (Beijing time, as the `PubDate` meta and the truth write it) → the instant. */
export function beijingTime(publishedAt: string): Date {
  return new Date(`${publishedAt.slice(0, 10)}T${publishedAt.slice(11, 16) || "00:00"}:00+08:00`);
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

/** The robots rules a correct crawler applies: none for an HTML answer, the first 500 KiB otherwise. */
export function effectiveRobots(site: SimSite): string {
  if (site.robotsContentType && !site.robotsContentType.startsWith("text/plain")) return "";
  const bytes = Buffer.from(site.robots, "utf8");
  return bytes.length > ROBOTS_MAX_BYTES ? bytes.subarray(0, ROBOTS_MAX_BYTES).toString("utf8") : site.robots;
}

function hostLetters(rng: Rng): string {
  const a = "abcdfghjklmnpqrstwxyz";
  let s = "";
  const n = randInt(rng, 4, 7);
  for (let i = 0; i < n; i++) s += a[Math.floor(rng() * a.length)] ?? "x";
  return s;
}

/** An organ name drawn from the generator's own organ list, of the wanted level, not yet used (sites 0–5). */
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

const PLACE_A = "东西南北临青云白松禾金银玉石清平安永宁泰和丰兴华长新梅桃柳杨龙凤鹤鹿";
const PLACE_B = "川岭湖塘水峰岗沙溪丰阳山江河城源林川桥州坪浦口台田洲湾";
const PLACE_SUFFIX = ["市", "县", "区"] as const;
const DEPARTMENTS = [
  "教育局",
  "自然资源局",
  "市场监督管理局",
  "生态环境局",
  "住房和城乡建设局",
  "交通运输局",
  "卫生健康局",
  "司法局",
  "财政局",
  "人力资源和社会保障局",
  "审计局",
  "民政局",
  "农业农村局",
  "水利局",
  "应急管理局",
  "文化广电旅游体育局",
  "退役军人事务局",
  "医疗保障局",
];

/** A synthetic place name not yet used (sites 6+, the county departments). */
function placeName(rng: Rng, used: Set<string>): string {
  for (;;) {
    const p = `${pick(rng, [...PLACE_A])}${pick(rng, [...PLACE_B])}${pick(rng, PLACE_SUFFIX)}`;
    if (!used.has(p)) {
      used.add(p);
      return p;
    }
  }
}

/** A unique organ of the wanted level for sites 6+. */
function synthOrgan(rng: Rng, level: Level, usedPlaces: Set<string>, usedOrgans: Set<string>): string {
  for (;;) {
    const place = placeName(rng, usedPlaces);
    const organ = level === "government" ? `${place}人民政府` : `${place}${pick(rng, DEPARTMENTS)}`;
    if (!usedOrgans.has(organ)) {
      usedOrgans.add(organ);
      return organ;
    }
  }
}

/** "网站标识码"-like: six-digit region code and a four-digit sequence (base 36 beyond 9999). */
function siteCode(region: string, seq: number): string {
  const tail = seq < 10000 ? String(seq).padStart(4, "0") : seq.toString(36).toUpperCase().padStart(4, "0");
  return `${region}${tail.slice(-4)}`;
}

// ---------------------------------------------------------------- lazy report bodies

const bodyCache = new Map<number, string | Uint8Array>();
let nextLazyId = 1;

/** `page.body` renders on first read and stays in a bounded LRU cache (re-rendered, identically, after eviction). */
function lazyBody(page: Page, render: () => string | Uint8Array): Page {
  const id = nextLazyId++;
  Object.defineProperty(page, "body", {
    enumerable: true,
    configurable: true,
    get(): string | Uint8Array {
      let b = bodyCache.get(id);
      if (b !== undefined) {
        bodyCache.delete(id);
        bodyCache.set(id, b);
        return b;
      }
      b = render();
      bodyCache.set(id, b);
      if (bodyCache.size > REPORT_CACHE_ENTRIES) {
        const oldest = bodyCache.keys().next().value;
        if (oldest !== undefined) bodyCache.delete(oldest);
      }
      return b;
    },
    set(v: string | Uint8Array | undefined): void {
      bodyCache.delete(id);
      Object.defineProperty(page, "body", { value: v, writable: true, enumerable: true, configurable: true });
    },
  });
  return page;
}

// ---------------------------------------------------------------- PNG (table pictures of img-stack reports)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A small grayscale PNG that looks like a ruled table (`rows` × `cols` cells). */
export function tablePng(width: number, height: number, rows: number, cols: number): Uint8Array {
  const raw = Buffer.alloc((width + 1) * height, 255);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const onRule =
        y % Math.max(1, Math.floor(height / rows)) === 0 ||
        y === height - 1 ||
        x % Math.max(1, Math.floor(width / cols)) === 0 ||
        x === width - 1;
      if (onRule) raw[y * (width + 1) + 1 + x] = 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", new Uint8Array()),
  ]);
}

// ---------------------------------------------------------------- hostile pages

/** Ruishu-like (瑞数) 412 challenge: a `$_ts` bootstrap script and a cookie, nothing else. */
function ruishuChallenge(rng: Rng): Page {
  const token = Array.from(
    { length: 64 },
    () => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._"[randInt(rng, 0, 63)],
  ).join("");
  return {
    status: 412,
    contentType: HTML,
    headers: {
      "set-cookie": `FSSBBIl1UgzbN7NO=5${token.slice(0, 40)}; Path=/; expires=Wed, 01 Jan 2031 00:00:00 GMT; HttpOnly`,
    },
    body: `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge"><meta id="9DhefwqGPrzG" content="${token}" r='m'><script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=${randInt(rng, 10000, 99999)};$_ts.cd="${token}${token}";$_ts.lcd=function(){};if($_ts.lcd)$_ts.lcd();</script><script type="text/javascript" charset="utf-8" src="/9DhefwqGPrzG/ZRbxuZ0Xp4Uq.b4c45da.js" r='m'></script></head><body></body></html>`,
  };
}

/** Jiasule/Cloudflare-like 521 challenge: a script that sets a clearance cookie and reloads. */
function jslChallenge(rng: Rng): Page {
  const v = Array.from({ length: 32 }, () => "0123456789abcdef"[randInt(rng, 0, 15)]).join("");
  return {
    status: 521,
    contentType: HTML,
    headers: { "set-cookie": `__jsluid_h=${v}; max-age=31536000; path=/; HttpOnly` },
    body: `<html><body><script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e')+('_')+('s')+'=${Math.floor(rng() * 1e10)}.${randInt(rng, 100, 999)}|0|'+'${v}'+';max-age=3600;path=/';location.href=location.pathname+location.search</script></body></html>`,
  };
}

/**
 * Malformed markup around intact report links: a stray `</html>` and `</body>` before the list, unclosed
 * `<li>`, `<font>`, `<table>`, an attribute without its closing quote inside a tag that ends on the same line,
 * an `<a>` with an empty href. Every `<a href="…">…</a>` of the original list survives verbatim.
 */
function malform(html: string): string {
  return html
    .replace(
      "<body>\n",
      '<body>\n</html>\n</body>\n<div class="head" id="top><font color=red>网站导航\n<table><tr><td><a href=>首页\n',
    )
    .replace(/<\/li>/g, "")
    .replace("</ul>", '<p class="x"<b>更多</p>\n')
    .replace(
      '<div class="pagination">',
      '<div class="pagination" style="color:#333;>\n<div class="pagination">',
    )
    .replace(
      "</body>\n</html>\n",
      "<!-- footer </div> -->\n</td></tr>\n</html>\n</body>\n</html>\n<span>版权所有\n",
    );
}

// ---------------------------------------------------------------- site roles

type Special = "county" | "gkmlpt" | "forms" | "sibling" | BadInputName;

interface Role {
  style: SiteStyle;
  level: Level;
  special?: Special;
  /** Report form per year (cycled); HTML when absent. */
  forms?: readonly ReportForm[];
}

const ROLES: readonly Role[] = [
  { style: "trs", level: "department" }, // 0: redirect chain, link to the spam mirror, a forced late report
  { style: "hanweb", level: "government" }, // 1: meta-refresh shell home, Crawl-delay: 2
  { style: "generic", level: "department" }, // 2: location.replace shell home, robots disallows the column
  { style: "trs", level: "government" }, // 3: 429 twice, one missing year, a forced late report
  { style: "hanweb", level: "department" }, // 4: calendar trap, slow attachment, delayed column page
  { style: "generic", level: "government" }, // 5: dead host
  { style: "generic", level: "government", special: "county" }, // 6: county portal with departments
  { style: "gkmlpt", level: "government", special: "gkmlpt" }, // 7: gkmlpt JSON list
  { style: "generic", level: "department", special: "forms", forms: ["pdf", "docx", "doc"] }, // 8
  { style: "trs", level: "government", special: "forms", forms: ["scan-pdf", "img-stack", "html"] }, // 9
  { style: "generic", level: "government", special: "sibling" }, // 10: xxgk.<x>.gov.cn
  { style: "trs", level: "department", special: "redirectLoop" }, // 11
  { style: "hanweb", level: "department", special: "redirectChain" }, // 12
  { style: "generic", level: "department", special: "hugeBody" }, // 13
  { style: "trs", level: "government", special: "resetMidBody" }, // 14
  { style: "generic", level: "department", special: "trickleForever" }, // 15
  { style: "generic", level: "government", special: "malformedHtml" }, // 16
  { style: "trs", level: "department", special: "robotsHtml" }, // 17
  { style: "hanweb", level: "government", special: "robotsHuge" }, // 18
  { style: "trs", level: "government", special: "challenge412" }, // 19
  { style: "generic", level: "department", special: "challenge521" }, // 20
];

/** Departments hosted on the county portal (site 6) besides the county government. */
const COUNTY_DEPARTMENTS = 3;
const REDIRECT_CHAIN_HOPS = 15;
const HUGE_LENGTH = 2147483648;

interface Item {
  title: string;
  href: string;
  date: string;
  /** Unix seconds (gkmlpt `publish_time`); the day at 09:00 Beijing time when absent. */
  time?: number;
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
function trsColumn(site: SimSite, dir: string, items: Item[], title: string): void {
  const groups = chunks(items, PAGE_SIZE);
  groups.forEach((g, i) => {
    const page = htmlPage(
      `政府信息公开年报_${title}`,
      `<div class="pos">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>\n${listHtml(g)}\n<div class="page"><script type="text/javascript">createPageHTML(${groups.length}, ${i}, "index", "html");</script></div>`,
      '<script src="/js/page.js"></script>\n',
    );
    site.pages[`${dir}${i === 0 ? "index.html" : `index_${i}.html`}`] = page;
    if (i === 0) site.pages[dir] = page;
  });
}

/** Hanweb: first records embedded as `<script type="text/xml">` datastore, the rest via dataproxy.jsp. */
function hanwebRecords(items: readonly Item[]): string {
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
function genericColumn(site: SimSite, dir: string, items: Item[], title: string): void {
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
      `年度报告 - ${title}`,
      `${listHtml(g)}\n<div class="pagination">${nav} 共${groups.length}页</div>`,
    );
  });
}

/** Guangdong gkmlpt: `/gkmlpt/index` is a JS app shell; the list comes from `/gkmlpt/api/all/<catId>`. */
function gkmlptIndex(site: SimSite, sid: number, catId: number): Page {
  const cats = [
    { id: catId - 3, name: "机构职能" },
    { id: catId - 2, name: "政策文件" },
    { id: catId - 1, name: "规划计划" },
    { id: catId, name: "政府信息公开年报" },
  ];
  return htmlPage(
    `政府信息公开 - ${site.agency.name}`,
    `<div id="gkmlpt-app" data-sid="${sid}"><noscript>请开启JavaScript以浏览政府信息公开目录。</noscript></div>\n<ul class="gkmlpt-nav">\n${cats.map((c) => `<li><a href="/gkmlpt/index#${c.id}" data-catid="${c.id}">${esc(c.name)}</a></li>`).join("\n")}\n</ul>\n<script type="text/javascript">window.GKMLPT_CONFIG = ${JSON.stringify({ sid: String(sid), categories: cats, api: "/gkmlpt/api/all/{catId}?page={page}&sid={sid}" })};</script>\n<script type="text/javascript">$(function(){ gkmlpt.load("/gkmlpt/api/all/" + ${catId} + "?page=1&sid=" + GKMLPT_CONFIG.sid); });</script>`,
    '<script src="/gkmlpt/static/js/jquery.min.js"></script>\n<script src="/gkmlpt/static/js/gkmlpt.js"></script>\n',
  );
}

/** Unix seconds of an item (its day at 09:00 Beijing time unless it carries its own). */
function itemTime(it: Item): number {
  return it.time ?? Math.floor(new Date(`${it.date}T09:00:00+08:00`).getTime() / 1000);
}

export interface GkmlptArticle {
  id: number;
  title: string;
  url: string;
  publish_time: number;
  identifier: string;
}

/** One page (1-based) of the gkmlpt list API. */
export function gkmlptApiPage(
  host: string,
  items: readonly Item[],
  page: number,
): { articles: GkmlptArticle[]; total: number; page: number; page_size: number } {
  const p = Math.max(1, Math.floor(page) || 1);
  const articles = items.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE).map((it, k) => {
    const url = new URL(it.href, `http://${host}/gkmlpt/index`).href;
    return {
      id: Number(/post_(\d+)/.exec(it.href)?.[1] ?? 1000000 + (p - 1) * PAGE_SIZE + k),
      title: it.title,
      url,
      publish_time: itemTime(it),
      identifier: `${host.split(".")[1] ?? "x"}/${it.date.slice(0, 4)}-${String((p - 1) * PAGE_SIZE + k + 1).padStart(5, "0")}`,
    };
  });
  return { articles, total: items.length, page: p, page_size: PAGE_SIZE };
}

// ---------------------------------------------------------------- the web

interface SiteState {
  site: SimSite;
  items: Item[];
  hanweb?: { columnId: number; unitId: number };
  gkmlpt?: { sid: number; catId: number };
}

const states = new WeakMap<SimSite, SiteState>();

interface PlaceCtx {
  seed: number;
  /** Site index (the fixed behaviours of sites 0, 3, 4 key on it). */
  i: number;
  /** Salt of the generated report content. */
  salt: string;
  years: number[];
  site: SimSite;
  agency: SimAgency;
  style: SiteStyle;
  columnDir: string;
  columnId: number;
  /** Host the reports are published on (the sibling host for site 10). */
  pubHost: string;
  srng: Rng;
  /** Forms per year (cycled), else drawn from `formRng`, else HTML. */
  forms?: readonly ReportForm[];
  formRng?: Rng;
  specials: SimSpecials;
}

function randomForm(rng: Rng): ReportForm {
  const r = rng();
  return r < 0.08 ? "pdf" : r < 0.12 ? "docx" : r < 0.15 ? "doc" : "html";
}

function filePath(style: SiteStyle, columnDir: string, ymd: string, docId: number, ext: string): string {
  if (style === "trs") return `${columnDir}${ymd.slice(0, 6)}/P0${ymd}${docId}.${ext}`;
  if (style === "hanweb") return `/picture/0/${ymd}${docId}.${ext}`;
  if (style === "gkmlpt") return `/attachment/0/${docId}/${ymd}${docId}.${ext}`;
  return `${columnDir}files/${docId}.${ext}`;
}

/** One report per year for `c.agency` (site 3 skips one year); the newest HTML report carries a PDF attachment. */
function placeReports(c: PlaceCtx): Item[] {
  const { i, site, agency, style, columnDir, columnId, srng, specials, years } = c;
  const url = (p: string): string => `http://${c.pubHost}${p}`;
  const items: Item[] = [];
  const missingYear = years[1] ?? years[0] ?? 2021;
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
        siteCode: agency.siteCode,
        form: null,
      });
      specials.missing = { host: site.host, year };
      return;
    }
    const form: ReportForm = c.forms?.[yi % c.forms.length] ?? (c.formRng ? randomForm(c.formRng) : "html");
    const late = (i === 0 && yi === 1) || (i === 3 && yi === 0) || (i >= 6 && chance(srng, 0.2));
    const publishedAt = publishDate(srng, agency.level, year, late);
    const lastModified = beijingTime(publishedAt).toUTCString();
    const day = publishedAt.slice(0, 10);
    const ymd = day.replace(/-/g, "");
    const docId = randInt(srng, 100000, 999999);
    let path =
      style === "trs"
        ? `${columnDir}${ymd.slice(0, 6)}/t${ymd}_${docId}.html`
        : style === "hanweb"
          ? `/art/${day.slice(0, 4)}/${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}/art_${columnId}_${docId}.html`
          : style === "gkmlpt"
            ? `/gkmlpt/content/${Math.floor(docId / 100000)}/${Math.floor(docId / 1000)}/post_${docId}.html`
            : `${columnDir}content_${docId}.html`;
    let htmlStyle: HtmlStyle | null = null;
    let gbk = false;
    let attachment: string | null = null;
    if (form === "html") {
      htmlStyle = REPORT_STYLES[(i + yi) % REPORT_STYLES.length] ?? "html-clean";
      const hs = htmlStyle;
      gbk = GBK_STYLES.has(hs);
      let attachmentHtml = "";
      if (yi === years.length - 1) {
        const pdfPath = filePath(style, columnDir, ymd, docId, "pdf");
        const pdf: Page = {
          status: 200,
          contentType: "application/pdf",
          file: PDFS[i % PDFS.length] ?? "samples/pdf/lo-ruled-v2021.pdf",
          lastModified,
        };
        if (i === 4) {
          pdf.trickle = { chunkBytes: 32 * 1024, intervalMs: 40 };
          specials.slowUrl = url(pdfPath);
        }
        site.pages[pdfPath] = pdf;
        attachment = url(pdfPath);
        const rel = style === "trs" ? `./P0${ymd}${docId}.pdf` : pdfPath;
        attachmentHtml = `<p class="attachment">附件：<a href="${rel}">${esc(title)}.pdf</a></p>\n`;
      }
      const reportSeed = deriveSeed(
        c.seed,
        c.salt === "" ? `report-${i}-${year}` : `report-${i}-${c.salt}-${year}`,
      );
      const tmpl = year >= 2021 ? "v2021" : "v2019";
      site.pages[path] = lazyBody({ status: 200, contentType: STYLE_CONTENT_TYPE[hs], lastModified }, () => {
        const report = generateReport(reportSeed, { template: tmpl, year, organ: agency.name });
        let html = renderHtmlString(report, hs).replace(
          /<meta name="PubDate" content="[^"]*">/,
          `<meta name="PubDate" content="${publishedAt}">\n<meta name="ColumnName" content="政府信息公开年报">`,
        );
        if (attachmentHtml) html = html.replace(/<\/body>/i, `${attachmentHtml}</body>`);
        return gbk ? encodeGbk(html) : html;
      });
    } else if (form === "img-stack") {
      const imgs = ["t2", "t3", "t4"].map((t, k) => {
        const p = `${path.replace(/\.html$/, "")}_${t}.png`;
        site.pages[p] = {
          status: 200,
          contentType: "image/png",
          body: tablePng(160 + 40 * k, 60 + 30 * k, 4 + 4 * k, 4 + k),
          lastModified,
        };
        return `<p style="text-align:center"><img src="${esc(p)}" alt="" width="${640 + 40 * k}" border="0"></p>`;
      });
      site.pages[path] = {
        status: 200,
        contentType: HTML,
        lastModified,
        body: htmlDoc(
          title,
          `<div class="article">\n<h1>${esc(title)}</h1>\n<div class="info">发布日期：${day}</div>\n<div class="content">\n${imgs.join("\n")}\n</div>\n</div>`,
          `<meta name="PubDate" content="${publishedAt}">\n<meta name="ColumnName" content="政府信息公开年报">\n`,
        ),
      };
    } else {
      const ext = FORM_EXT[form];
      path = filePath(style, columnDir, ymd, docId, ext);
      const file =
        form === "scan-pdf"
          ? SCAN_PDF
          : form === "pdf"
            ? (PDFS[(i + yi) % PDFS.length] ?? "samples/pdf/lo-ruled-v2021.pdf")
            : form === "doc"
              ? (DOCS[(i + yi) % DOCS.length] ?? "")
              : (DOCXS[(i + yi) % DOCXS.length] ?? "");
      const page: Page = { status: 200, contentType: FORM_CONTENT_TYPE[form], file, lastModified };
      if (form === "doc" || form === "docx")
        page.headers = {
          "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`${title}.${ext}`)}`,
        };
      site.pages[path] = page;
    }
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
      style === "trs" && linkedAs === url(path) ? `.${path.slice(columnDir.length - 1)}` : linkedAs;
    items.push({
      title,
      href: href.replace(`http://${c.pubHost}`, ""),
      date: day,
      time: Math.floor(beijingTime(publishedAt).getTime() / 1000),
    });
    site.reports.push({
      year,
      url: url(path),
      linkedAs,
      publishedAt,
      attachment,
      htmlStyle,
      gbk,
      title,
      siteCode: agency.siteCode,
      form,
    });
  });
  return items;
}

const sortItems = (items: Item[]): Item[] =>
  items.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.title.localeCompare(b.title)));

/** 5 MiB robots.txt: `User-agent: *`, comment padding, the only `Disallow` just after 500 KiB, more padding. */
function hugeRobots(): string {
  const line = `# ${"robots.txt padding ".repeat(3).trim()}\n`;
  const head = "User-agent: *\n";
  let s = head;
  const pad = (limit: number): void => {
    const n = Math.max(0, Math.floor((limit - Buffer.byteLength(s)) / Buffer.byteLength(line)));
    s += line.repeat(n);
  };
  pad(ROBOTS_MAX_BYTES + 4096);
  s += "Disallow: /\n";
  pad(5 * 1024 * 1024);
  const rest = 5 * 1024 * 1024 - Buffer.byteLength(s);
  if (rest > 0) s += `${"#".repeat(rest - 1)}\n`;
  return s;
}

/** A live site that allows everything and holds nothing yet (the sibling host, the spam mirror). */
function plainSite(base: Pick<SimSite, "host" | "agency" | "style" | "openArea" | "column">): SimSite {
  return {
    ...base,
    robots: "User-agent: *\nDisallow:\n",
    dead: false,
    rateLimit: 0,
    pages: {},
    reports: [],
    agencies: [],
  };
}

export function buildSimWeb(opts: BuildSimWebOptions): SimWeb {
  const { sites: n, seed } = opts;
  const years = [...(opts.years ?? [2021, 2022, 2023])].sort((a, b) => a - b);
  if (n < MIN_SITES) throw new RangeError(`buildSimWeb needs at least ${MIN_SITES} sites (got ${n})`);
  if (years.length < 2) throw new RangeError("buildSimWeb needs at least two years");
  const rng = mulberry32(deriveSeed(seed, "sim-web"));
  const usedHosts = new Set<string>();
  const usedOrgans = new Set<string>();
  const usedPlaces = new Set<string>();
  const sites: SimSite[] = [];
  const extra: SimSite[] = [];
  const minYear = years[0] ?? 2021;
  const missingYear = years[1] ?? minYear;
  const latest = years[years.length - 1] ?? minYear;
  let agencySeq = 0;

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
    countyPortalHost: "",
    gkmlptHost: "",
    gkmlptIndex: "",
    gkmlptApi: "",
    formsHosts: [],
    siblingPortalHost: "",
    siblingHost: "",
    bad: Object.fromEntries(BAD_INPUTS.map((b) => [b, ""])) as Record<BadInputName, string>,
  };

  for (let i = 0; i < n; i++) {
    const srng = mulberry32(deriveSeed(seed, `site-${i}`));
    // New behaviours draw from their own stream so sites 0–5 stay as they were.
    const xrng = mulberry32(deriveSeed(seed, `site-x-${i}`));
    const role: Role = ROLES[i] ?? {
      style: pick(srng, ["trs", "hanweb", "generic"] as const),
      level: chance(srng, 0.4) ? "government" : "department",
    };
    const special = role.special;
    let host = `www.${hostLetters(rng)}.gov.cn`;
    while (usedHosts.has(host) || usedHosts.has(`xxgk.${host.slice(4)}`))
      host = `www.${hostLetters(rng)}.gov.cn`;
    usedHosts.add(host);
    const pubHost = special === "sibling" ? `xxgk.${host.slice(4)}` : host;
    usedHosts.add(pubHost);
    const region = `${randInt(srng, 11, 65)}${pad2(randInt(srng, 1, 20))}${pad2(randInt(srng, 1, 30))}`;
    const agencyName =
      i < 6
        ? organName(seed, i, role.level, usedOrgans)
        : synthOrgan(xrng, role.level, usedPlaces, usedOrgans);
    const agency: Agency = { name: agencyName, level: role.level, region };
    const style = role.style;
    const openArea = style === "gkmlpt" ? "/gkmlpt/index" : style === "generic" ? "/xxgk/" : "/zwgk/";
    const columnId = randInt(srng, 100, 9999);
    const unitId = randInt(srng, 1000, 99999);
    const columnDir =
      style === "trs"
        ? "/zwgk/zfxxgknb/"
        : style === "hanweb"
          ? `/col/col${columnId}/`
          : style === "gkmlpt"
            ? "/gkmlpt/"
            : "/xxgk/xxgknb/";
    const column = style === "trs" ? columnDir : style === "gkmlpt" ? openArea : `${columnDir}index.html`;
    let robots = "User-agent: *\nDisallow:\n";
    if (i === 1) robots = "User-agent: *\nCrawl-delay: 2\nDisallow: /admin/\n";
    if (i === 2) robots = `User-agent: *\nDisallow: ${columnDir}\nDisallow: /search/\n`;
    const url = (path: string): string => `http://${pubHost}${path}`;
    const primary: SimAgency = {
      ...agency,
      siteCode: siteCode(region, ++agencySeq),
      entryUrl: `http://${host}/`,
      column: url(column),
    };
    const site: SimSite = {
      host,
      agency,
      style,
      openArea,
      column,
      robots,
      dead: i === 5,
      rateLimit: i === 3 ? 2 : 0,
      pages: {},
      reports: [],
      agencies: [primary],
    };
    const ctx: PlaceCtx = {
      seed,
      i,
      salt: "",
      years,
      site,
      agency: primary,
      style,
      columnDir,
      columnId,
      pubHost,
      srng,
      specials,
    };
    if (role.forms) ctx.forms = role.forms;
    else if (i >= MIN_SITES) ctx.formRng = xrng;
    const items = placeReports(ctx);

    // Look-alikes: real pages that must not be taken for annual reports.
    const lookAlikeArea = style === "gkmlpt" ? "/gkmlpt/content/" : openArea;
    LOOK_ALIKES(agency.name, latest).forEach((la, k) => {
      const p = `${lookAlikeArea}other/la_${k}_${randInt(srng, 1000, 9999)}.html`;
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
    const fillerArea = style === "gkmlpt" ? "/gkmlpt/content/tzgg/" : `${openArea}tzgg/`;
    for (const f of FILLERS.slice(0, 3)) {
      const p = `${fillerArea}${randInt(srng, 10000, 99999)}.html`;
      site.pages[p] = htmlPage(f, `<h1>${esc(f)}</h1>\n<p>${esc(agency.name)}</p>`);
      items.push({
        title: f,
        href: p,
        date: `${pick(srng, years)}-${pad2(randInt(srng, 1, 12))}-${pad2(randInt(srng, 1, 28))}`,
      });
    }

    // Bad inputs met through the report column: an older "report" link that misbehaves.
    const oldTitle = `${agency.name}${minYear - 2}年政府信息公开工作年度报告`;
    const oldDate = `${minYear - 1}-01-1${randInt(xrng, 0, 9)}`;
    const badLink = (p: string): void => {
      items.push({ title: oldTitle, href: p, date: oldDate });
    };
    if (special === "redirectLoop") {
      const a = `${columnDir}old/nb${minYear - 2}.html`;
      const b = `${columnDir}old/nb${minYear - 2}_1.html`;
      site.pages[a] = { status: 302, location: b };
      site.pages[b] = { status: 302, location: url(a) };
      badLink(a);
    } else if (special === "redirectChain") {
      for (let k = 1; k <= REDIRECT_CHAIN_HOPS; k++)
        site.pages[`/art/chain/${k}.html`] = { status: 302, location: `/art/chain/${k + 1}.html` };
      site.pages[`/art/chain/${REDIRECT_CHAIN_HOPS + 1}.html`] = htmlPage(oldTitle, "<p>本页面已迁移。</p>");
      badLink("/art/chain/1.html");
    } else if (special === "hugeBody") {
      const p = `${columnDir}files/${minYear - 2}nb.pdf`;
      site.pages[p] = {
        status: 200,
        contentType: "application/pdf",
        stream: { kind: "zeros", length: HUGE_LENGTH },
      };
      badLink(p);
    } else if (special === "resetMidBody") {
      const p = `${columnDir}old/t${minYear - 2}_reset.html`;
      const para = `<p>${esc(oldTitle)}。本报告根据《中华人民共和国政府信息公开条例》编制。</p>\n`;
      site.pages[p] = {
        status: 200,
        contentType: HTML,
        body: htmlDoc(oldTitle, para.repeat(300)),
        stream: { kind: "reset", afterBytes: 4096 },
      };
      badLink(p);
    } else if (special === "trickleForever") {
      const p = `${columnDir}old/${minYear - 2}nb.html`;
      site.pages[p] = {
        status: 200,
        contentType: HTML,
        body: `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${esc(oldTitle)}</title></head><body>\n`,
        stream: { kind: "drip", intervalMs: 1000 },
      };
      badLink(p);
    }
    sortItems(items);

    // The report column.
    const state: SiteState = { site, items };
    if (style === "trs") trsColumn(site, columnDir, items, agency.name);
    else if (style === "hanweb") {
      hanwebColumn(site, columnId, unitId, items);
      state.hanweb = { columnId, unitId };
    } else if (style === "gkmlpt") {
      const sid = randInt(xrng, 100000, 999999);
      const catId = randInt(xrng, 1000, 9999);
      state.gkmlpt = { sid, catId };
      site.pages[openArea] = gkmlptIndex(site, sid, catId);
      specials.gkmlptHost = host;
      specials.gkmlptIndex = url(openArea);
      specials.gkmlptApi = url(`/gkmlpt/api/all/${catId}?page=1&sid=${sid}`);
    } else genericColumn(site, columnDir, items, agency.name);
    if (i === 4) {
      const col = site.pages[column];
      if (col) col.delayMs = 300;
      specials.delayedUrl = url(column);
    }
    if (special === "malformedHtml") {
      for (const [p, page] of Object.entries(site.pages))
        if (p.startsWith(columnDir) && /index(_\d+)?\.html$/.test(p) && typeof page.body === "string")
          page.body = malform(page.body);
    }

    // County portal: departments, each with its own area and report column under /xxgk/.
    const deptLinks: string[] = [];
    if (special === "county") {
      for (let k = 0; k < COUNTY_DEPARTMENTS; k++) {
        const drng = mulberry32(deriveSeed(seed, `site-${i}-dept-${k}`));
        const area = `/xxgk/bm${pad2(k + 1)}/`;
        const dDir = `${area}xxgknb/`;
        const dName = `${agency.name.replace(/人民政府$/, "")}${DEPARTMENTS[(k * 5 + i) % DEPARTMENTS.length] ?? "教育局"}`;
        usedOrgans.add(dName);
        const dept: SimAgency = {
          name: dName,
          level: "department",
          region,
          siteCode: siteCode(region, ++agencySeq),
          entryUrl: url(area),
          column: url(`${dDir}index.html`),
        };
        site.agencies.push(dept);
        const dItems = placeReports({
          ...ctx,
          salt: `dept${k}`,
          agency: dept,
          style: "generic",
          columnDir: dDir,
          srng: drng,
        });
        const guide = `${area}other/zn_${randInt(drng, 1000, 9999)}.html`;
        site.pages[guide] = htmlPage(`${dName}政府信息公开指南`, "<p>政府信息公开指南。</p>");
        dItems.push({
          title: `${dName}政府信息公开指南`,
          href: guide,
          date: `${latest + 1}-02-1${randInt(drng, 0, 9)}`,
        });
        sortItems(dItems);
        genericColumn(site, dDir, dItems, dName);
        site.pages[area] = htmlPage(
          `${dName} - 政府信息公开`,
          `<h1>${esc(dName)}</h1>\n<ul class="gknav">\n<li>${link(`${dDir}index.html`, "政府信息公开年报")}</li>\n<li>${link(guide, "政府信息公开指南")}</li>\n</ul>`,
        );
        site.pages[`${area}index.html`] = site.pages[area] as Page;
        deptLinks.push(`<li>${link(area, dName)}</li>`);
      }
      specials.countyPortalHost = host;
    }

    // Open-government area and home page.
    if (style !== "gkmlpt") {
      site.pages[openArea] = htmlPage(
        `政府信息公开 - ${agency.name}`,
        `<ul class="gknav">\n<li>${link(column, "政府信息公开年报")}</li>\n<li>${link(`${openArea}zc/`, "政府信息公开制度")}</li>\n<li>${link(items.find((x) => x.title.endsWith("政府信息公开指南"))?.href ?? "/", "政府信息公开指南")}</li>\n</ul>${deptLinks.length ? `\n<h2>部门信息公开</h2>\n<ul class="bmgk">\n${deptLinks.join("\n")}\n</ul>` : ""}`,
      );
      site.pages[`${openArea}index.html`] = site.pages[openArea] as Page;
      site.pages[`${openArea}zc/`] = htmlPage("政府信息公开制度", "<p>政府信息公开制度汇编。</p>");
    }
    const extras: string[] = [];
    if (i === 0) extras.push(link(`http://${SPAM_HOST}/`, "政务信息镜像站"));
    if (i === 4) {
      specials.trapStart = url(`/calendar?date=${latest + 1}-01-01`);
      extras.push(link(`/calendar?date=${latest + 1}-01-01`, "活动日历"));
    }
    extras.push(link(`/zxft/${randInt(srng, 100, 999)}.html`, "在线访谈")); // 404
    const homeTitle = `${agency.name}门户网站`;
    const areaHref = pubHost === host ? openArea : url(openArea);
    const home = htmlPage(
      homeTitle,
      `<div class="nav">${link("/", "首页")} ${link(areaHref, "政务公开")} ${link("/hdjl/", "互动交流")}</div>\n<div class="links">${extras.join(" ")}</div>`,
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

    // Sibling open-government host: everything under the open area moves to xxgk.<x>.gov.cn.
    if (special === "sibling") {
      const sib = plainSite({ host: pubHost, agency, style, openArea, column });
      for (const p of Object.keys(site.pages)) {
        if (!p.startsWith(openArea)) continue;
        sib.pages[p] = site.pages[p] as Page;
        delete site.pages[p];
      }
      sib.pages["/"] = sib.pages[openArea] as Page;
      sib.pages["/index.html"] = sib.pages[openArea] as Page;
      states.set(sib, { site: sib, items });
      extra.push(sib);
      specials.siblingPortalHost = host;
      specials.siblingHost = pubHost;
    }

    // Robots and challenge hosts.
    if (special === "robotsHtml") {
      site.robots = htmlDoc(
        "页面不存在",
        '<div class="err404"><h1>对不起，您访问的页面不存在！</h1>\n<p><a href="/">返回首页</a></p></div>',
      );
      site.robotsContentType = HTML;
    } else if (special === "robotsHuge") site.robots = hugeRobots();
    else if (special === "challenge412") site.challenge = ruishuChallenge(xrng);
    else if (special === "challenge521") site.challenge = jslChallenge(xrng);
    if (special && (BAD_INPUTS as readonly string[]).includes(special))
      specials.bad[special as BadInputName] = host;
    if (special === "forms") specials.formsHosts.push(host);

    if (i === 1) specials.crawlDelayHost = host;
    if (i === 2) specials.robotsBlockedHost = host;
    if (i === 3) specials.rateLimitedHost = host;
    if (i === 5) specials.deadHost = host;
    states.set(site, state);
    sites.push(site);
  }

  // The spam mirror: copies of site 0's report pages on a non-government domain.
  const src = sites[0] as SimSite;
  const spam = plainSite({
    host: SPAM_HOST,
    agency: { name: "政务信息镜像", level: "department", region: "000000" },
    style: "generic",
    openArea: "/",
    column: "/",
  });
  const copies: Item[] = [];
  src.reports.forEach((r, k) => {
    const page = r.url ? src.pages[new URL(r.url).pathname] : undefined;
    if (!page) return;
    const copy: Page = { status: page.status };
    if (page.contentType) copy.contentType = page.contentType;
    lazyBody(copy, () => page.body ?? "");
    spam.pages[`/copy/${k + 1}.html`] = copy;
    copies.push({ title: r.title, href: `/copy/${k + 1}.html`, date: r.publishedAt?.slice(0, 10) ?? "" });
  });
  spam.pages["/"] = htmlPage("政务信息镜像", listHtml(copies));
  spam.pages["/index.html"] = spam.pages["/"];
  states.set(spam, { site: spam, items: copies });

  return { seed, years, sites, spam, extra, specials };
}

// ---------------------------------------------------------------- routing (used by the server)

const hostIndex = new WeakMap<SimWeb, Map<string, SimSite>>();

export function findSite(web: SimWeb, host: string): SimSite | undefined {
  const h = host.toLowerCase().replace(/:\d+$/, "");
  let idx = hostIndex.get(web);
  if (!idx) {
    idx = new Map();
    for (const s of [...web.sites, ...(web.extra ?? []), web.spam]) idx.set(s.host, s);
    hostIndex.set(web, idx);
  }
  return idx.get(h);
}

const NOT_FOUND: Page = {
  status: 404,
  contentType: HTML,
  body: '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404</title></head><body><h1>404 页面不存在</h1></body></html>\n',
};

/** The page for a path with query (`robots.txt`, static pages, dataproxy.jsp, gkmlpt API, the calendar trap). */
export function resolvePage(site: SimSite, pathWithQuery: string, form?: URLSearchParams): Page {
  const u = new URL(pathWithQuery, "http://x");
  const q = new URLSearchParams(u.search);
  if (form) for (const [k, v] of form) q.set(k, v);
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return NOT_FOUND;
  }
  if (path === "/robots.txt")
    return {
      status: 200,
      contentType: site.robotsContentType ?? "text/plain; charset=utf-8",
      body: site.robots,
    };
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
  const api = /^\/gkmlpt\/api\/all\/(\d+)$/.exec(path);
  if (api && state?.gkmlpt) {
    const own = api[1] === String(state.gkmlpt.catId) && q.get("sid") === String(state.gkmlpt.sid);
    const body = own
      ? gkmlptApiPage(site.host, state.items, Number(q.get("page") ?? 1))
      : { articles: [], total: 0, page: 1, page_size: PAGE_SIZE };
    return { status: 200, contentType: "application/json; charset=utf-8", body: JSON.stringify(body) };
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

// ---------------------------------------------------------------- catalogue

export interface SeedRow {
  /** 网站标识码-like, 10 characters, unique per agency. */
  siteCode: string;
  agency: string;
  /** The same as `agency` (the crawler's JSON seed schema names it `name`). */
  name: string;
  /** Six-digit region code. */
  region: string;
  level: Level;
  entryUrl: string;
}

/** The agency catalogue a crawl starts from: one row per agency (several rows share the county portal's host). */
export function seeds(web: SimWeb): SeedRow[] {
  return web.sites.flatMap((s) =>
    s.agencies.map((a) => ({
      siteCode: a.siteCode,
      agency: a.name,
      name: a.name,
      region: a.region,
      level: a.level,
      entryUrl: a.entryUrl,
    })),
  );
}

const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** `seeds(web)` as CSV (header `siteCode,agency,region,level,entryUrl`, RFC 4180 quoting, LF line ends). */
export function seedsCsv(web: SimWeb): string {
  const cols = ["siteCode", "agency", "region", "level", "entryUrl"] as const;
  return `${[cols.join(","), ...seeds(web).map((r) => cols.map((c) => csvField(r[c])).join(","))].join("\n")}\n`;
}

// ---------------------------------------------------------------- truth

export interface TruthRow {
  host: string;
  agency: string;
  level: Level;
  region: string;
  year: number;
  /** Final report URL (page or file), or `missing` when the agency never published that year's report. */
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
  /** Catalogue key (`seeds()`): rows are per agency, `host` is the seed's host (site 10: the www portal). */
  siteCode: string;
  entryUrl: string;
  /** How the report is published; null when missing. `img-stack` pages need OCR. */
  form: ReportForm | null;
  /** The host answers an anti-bot challenge: reports unreachable, to be reported, never defeated. */
  challenge: boolean;
  /**
   * What the completion report (issue 5 §7) should say for this agency and year: `failed` (dead host),
   * `blocked` (challenge or robots), `not-found` (missing), else `found` (at `url`).
   */
  completion: "found" | "not-found" | "blocked" | "failed";
}

/** Per agency and year: what exists, when it was published, and what a polite crawler may fetch. */
export function truth(web: SimWeb): TruthRow[] {
  const rows: TruthRow[] = [];
  const allowed = (u: string): boolean => {
    const x = new URL(u);
    const s = findSite(web, x.host);
    return !s || robotsAllows(effectiveRobots(s), x.pathname);
  };
  for (const site of web.sites) {
    for (const r of site.reports) {
      const a = site.agencies.find((x) => x.siteCode === r.siteCode) ?? site.agencies[0];
      if (!a) continue;
      const dl = deadline(a.level, r.year);
      rows.push({
        host: site.host,
        agency: a.name,
        level: a.level,
        region: a.region,
        year: r.year,
        url: r.url ?? "missing",
        linkedAs: r.linkedAs,
        attachment: r.attachment,
        publishedAt: r.publishedAt,
        deadline: dl,
        late: r.publishedAt ? r.publishedAt.slice(0, 10) > dl : null,
        blockedByRobots: !allowed(a.column) || (r.url !== null && !allowed(r.url)),
        dead: site.dead,
        gbk: r.gbk,
        siteCode: a.siteCode,
        entryUrl: a.entryUrl,
        form: r.form,
        challenge: site.challenge !== undefined,
        completion: "found",
      });
      const row = rows[rows.length - 1] as TruthRow;
      row.completion = row.dead
        ? "failed"
        : row.challenge || row.blockedByRobots
          ? "blocked"
          : row.url === "missing"
            ? "not-found"
            : "found";
    }
  }
  return rows;
}

// ---------------------------------------------------------------- bad inputs

export interface BadInputRow {
  name: BadInputName;
  host: string;
  /** Catalogue key of the agency whose site carries the bad input (it is in `seeds()`). */
  siteCode: string;
  /** The URL at which a crawler meets it. */
  url: string;
  /** What a correct crawler records for `url`. */
  outcome: "failed" | "blocked" | "fetched";
  /** Suggested reason code for that record. */
  reason:
    | "redirect-loop"
    | "too-many-redirects"
    | "body-too-large"
    | "connection-reset"
    | "read-timeout"
    | "robots-not-text"
    | "robots-truncated"
    | "anti-bot-challenge"
    | "malformed-html";
  /** Whether the agency's reports of `truth()` are still found (false only for the challenge hosts). */
  reportsFound: boolean;
  note: string;
}

const BAD_SPEC: Record<
  BadInputName,
  {
    at: "oldLink" | "column" | "robots" | "entry";
    outcome: BadInputRow["outcome"];
    reason: BadInputRow["reason"];
    note: string;
  }
> = {
  redirectLoop: {
    at: "oldLink",
    outcome: "failed",
    reason: "redirect-loop",
    note: "302 A → B → A: stop at the first repeated URL (or the hop limit), record the loop on the entry URL, go on with the column.",
  },
  redirectChain: {
    at: "oldLink",
    outcome: "failed",
    reason: "too-many-redirects",
    note: `${REDIRECT_CHAIN_HOPS} consecutive 302 hops before a 200: a crawler following at most 10 records too many redirects and never fetches the end page.`,
  },
  hugeBody: {
    at: "oldLink",
    outcome: "failed",
    reason: "body-too-large",
    note: "Content-Length: 2147483648, zeros until the client hangs up: refuse on the header (or abort at the size cap), keep no partial body.",
  },
  resetMidBody: {
    at: "oldLink",
    outcome: "failed",
    reason: "connection-reset",
    note: "Headers with the full Content-Length, 4 KiB of body, then the socket is destroyed: a failed fetch (retried within the attempt limit), never a stored truncated body.",
  },
  trickleForever: {
    at: "oldLink",
    outcome: "failed",
    reason: "read-timeout",
    note: "One byte per second, no length, forever: the crawler's total deadline must end it; the host's other URLs are still crawled.",
  },
  malformedHtml: {
    at: "column",
    outcome: "fetched",
    reason: "malformed-html",
    note: "Column pages with a stray </html>, unclosed tags and broken attributes: parsed leniently, every report link found.",
  },
  robotsHtml: {
    at: "robots",
    outcome: "fetched",
    reason: "robots-not-text",
    note: "robots.txt answers 200 text/html (a soft-404 page): no rules, allow all.",
  },
  robotsHuge: {
    at: "robots",
    outcome: "fetched",
    reason: "robots-truncated",
    note: `5 MiB robots.txt whose only Disallow (Disallow: /) starts after the first ${ROBOTS_MAX_BYTES} bytes: read the first 500 KiB as Google does (RFC 9309 allows any limit of at least 500 KiB) → allow all; a crawler that parses the whole file blocks the host.`,
  },
  challenge412: {
    at: "entry",
    outcome: "blocked",
    reason: "anti-bot-challenge",
    note: "Every request (robots.txt too) answers 412 with a Ruishu-style $_ts script and a cookie: record the host as challenged and its agency's years as blocked; never run the script.",
  },
  challenge521: {
    at: "entry",
    outcome: "blocked",
    reason: "anti-bot-challenge",
    note: "Every request (robots.txt too) answers 521 with a document.cookie=…; location.href=… script (Jiasule/Cloudflare-like): record as challenged; never set the cookie and retry.",
  },
};

/** What a correct crawler records for each hostile host, and whether the crawl of that agency goes on. */
export function badInputs(web: SimWeb): BadInputRow[] {
  const minYear = web.years[0] ?? 2021;
  return BAD_INPUTS.map((name) => {
    const host = web.specials.bad[name];
    const site = findSite(web, host);
    const a = site?.agencies[0];
    if (!site || !a) throw new Error(`no bad-input site ${name}`);
    const spec = BAD_SPEC[name];
    const oldTitle = `${a.name}${minYear - 2}年政府信息公开工作年度报告`;
    const oldHref = states.get(site)?.items.find((it) => it.title === oldTitle)?.href ?? "/";
    const url =
      spec.at === "oldLink"
        ? new URL(oldHref, a.column).href
        : spec.at === "column"
          ? a.column
          : spec.at === "robots"
            ? `http://${host}/robots.txt`
            : a.entryUrl;
    return {
      name,
      host,
      siteCode: a.siteCode,
      url,
      outcome: spec.outcome,
      reason: spec.reason,
      reportsFound: spec.outcome !== "blocked",
      note: spec.note,
    };
  });
}
