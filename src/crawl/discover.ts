/**
 * Discovery: from one fetched page, the links worth following towards annual reports, and what
 * each is expected to be. Pure (page in, links out) so it is tested on pages, not on a network.
 *
 * A focused crawl: only links that look like the open-government area (nav), a report column or
 * its further pages (list), a report (report) or a report's attachment (attachment) are followed,
 * which is also what keeps calendar-style link traps and the rest of a portal out of the frontier.
 */
import * as cheerio from "cheerio";
import { normaliseDate } from "../extractors/html.js";
import { canonicalUrl, urlKind } from "./url.js";

export type PageRole = "entry" | "nav" | "list" | "report" | "attachment";

export interface FoundLink {
  url: string;
  role: Exclude<PageRole, "entry">;
  /** Anchor text (and title) with white space removed. */
  text: string;
  /** Report year named by the link text. */
  yearHint: number | null;
  /** Date printed beside the link on a list page (ISO day). */
  listedDate: string | null;
  /** POST form body (Hanweb dataproxy.jsp); the URL alone is then not the whole request. */
  form?: string;
  /** Higher first: reports before columns before navigation. */
  score: number;
  why: string;
}

export interface RejectedLink {
  url: string;
  text: string;
  why: string;
}

export interface Discovery {
  /** A shell page that only forwards (meta refresh, `location.replace`): where it goes. */
  forward: { url: string; how: "meta-refresh" | "script" } | null;
  links: FoundLink[];
  /** Look-alikes seen and refused (政府工作报告, 预算…), for the crawl log. */
  rejected: RejectedLink[];
  /** `<img>` sources of a report page whose tables may be pictures. */
  images: string[];
}

const OPEN_GOV_TEXT = /政府信息公开|政务信息公开|信息公开|政务公开/;
const OPEN_GOV_URL = /(?:^|[/_.-])(?:zfxxgk|xxgk|zwgk|gkmlpt|govinfo|zfgk)(?:[/_.-]|$)/i;
/**
 * Words of a report's title. Besides 年度报告/年报: `2023年度政府信息公开工作报告` (年度 apart from 报告),
 * and list titles cut short by the CMS (`…政府信息公开工作年度…`); the title attribute, when any, is whole.
 */
const REPORT_WORDS =
  /年度报告|年报|年度工作报告|信息公开工作报告|政务公开工作报告|信息公开工作年度?(?:…|\.{2,})/;
const COLUMN_URL = /(?:^|[/_.-])(?:nb|gknb|xxgknb|zfxxgknb|ndbg|xxgkndbg|gzndbg|zfxxgkndbg)(?:[/_.-]|$)/i;
/** Titles that mention reports but are other documents (spec §1; issue 5 §5). */
const LOOK_ALIKE =
  /政府工作报告|网站工作年度报表|政府网站.{0,6}报表|预算|决算|统计年报|统计公报|统计年鉴|公开指南|公开制度|审计(?:工作)?报告|国民经济和社会发展/;
/** The report's own name; it wins over look-alike words that an agency's name may contain (审计局, 统计局). */
const REPORT_TITLE = /(?:政府信息|政务|信息)公开(?:工作)?(?:年度)?(?:报告|年报)|年度政府信息公开/;
/** Navigation words that lead away from reports inside the open-government area. */
const NAV_NOISE = /指南|制度|规定|办法|意见箱|信箱|依申请公开$|申请表|登录|注册|English/i;
const NEXT_PAGE = /^(?:下一页|下页|尾页|末页|>|›|»|后一页)$/;
const YEAR = /((?:19|20)\d{2})\s*年/;

function squash(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, "");
}

function yearOf(text: string): number | null {
  const m = YEAR.exec(text) ?? /(?:^|\D)((?:19|20)\d{2})(?:年度|\D|$)/.exec(text);
  const y = m ? Number(m[1]) : null;
  return y !== null && y >= 2008 && y <= 2100 ? y : null;
}

/** `createPageHTML(pages, current, "index", "html")`: TRS list pages linked only from script. */
function trsPages(html: string, base: string): string[] {
  // Literal arguments, or (as most TRS templates print it) `var countPage = 12//共多少页` first.
  const m = /createPageHTML\(\s*(\w+)\s*,\s*(\w+)\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']/.exec(html);
  if (!m) return [];
  const countArg = m[1] ?? "";
  const count = /^\d+$/.test(countArg)
    ? Number(countArg)
    : Number(new RegExp(`\\b${countArg}\\s*=\\s*(\\d+)`).exec(html)?.[1] ?? 0);
  const out: string[] = [];
  for (let i = 0; i < Math.min(count, 500); i++) {
    const u = canonicalUrl(i === 0 ? `${m[3]}.${m[4]}` : `${m[3]}_${i}.${m[4]}`, base);
    if (u) out.push(u);
  }
  return out;
}

/** Hanweb `/col/colN/`: records in a `<script type="text/xml">` datastore, the rest from dataproxy.jsp. */
function hanwebRecords(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/g)) out.push(m[1] ?? "");
  return out;
}

interface HanwebPaging {
  proxy: string;
  total: number;
  perPage: number;
}

function hanwebPaging(html: string, base: string): HanwebPaging | null {
  const proxyHref =
    /<nextgroup>\s*<!\[CDATA\[\s*<a\s+href=["']([^"']*dataproxy\.jsp[^"']*)["']/i.exec(html)?.[1] ??
    /["']([^"'\s]*\/module\/web\/jpage\/dataproxy\.jsp\?[^"'\s]*)["']/.exec(html)?.[1];
  const total = Number(
    /totalRecord["']?\s*[:=]\s*["']?(\d+)/i.exec(html)?.[1] ?? /<totalrecord>(\d+)</i.exec(html)?.[1] ?? 0,
  );
  const perPage = Number(/perPage["']?\s*[:=]\s*["']?(\d+)/i.exec(html)?.[1] ?? 15) || 15;
  if (!proxyHref || !total) return null;
  const proxy = canonicalUrl(proxyHref.replace(/&amp;/g, "&"), base);
  return proxy ? { proxy, total: Math.min(total, 20_000), perPage } : null;
}

/** Records per dataproxy request: several list pages at once, as Hanweb's own jpage script asks. */
const HANWEB_BATCH_PAGES = 3;

function hanwebRequests(p: HanwebPaging): { url: string; form: string }[] {
  const out: { url: string; form: string }[] = [];
  const batch = p.perPage * HANWEB_BATCH_PAGES;
  for (let start = p.perPage + 1; start <= p.total; start += batch) {
    const end = Math.min(p.total, start + batch - 1);
    out.push({ url: p.proxy, form: `startrecord=${start}&endrecord=${end}&perpage=${p.perPage}` });
  }
  return out;
}

/**
 * Guangdong's gkmlpt (政府信息公开目录平台): the directory page is a script shell configured by
 * `window.GKMLPT_CONFIG` (site id, categories, API template); a category's articles come as JSON
 * from `/gkmlpt/api/all/<catId>?page=N&sid=<sid>`. Returns the API's first page for every
 * category named like an annual-report column.
 */
function gkmlptCategories(html: string, base: string): string[] {
  const m = /GKMLPT_CONFIG\s*=\s*(\{[\s\S]*?\})\s*;?\s*<\/script>/.exec(html);
  if (!m?.[1]) return [];
  let config: { sid?: unknown; categories?: unknown; api?: unknown };
  try {
    config = JSON.parse(m[1]) as typeof config;
  } catch {
    return [];
  }
  const sid = String(config.sid ?? "");
  const template =
    typeof config.api === "string" ? config.api : "/gkmlpt/api/all/{catId}?page={page}&sid={sid}";
  const out: string[] = [];
  for (const c of Array.isArray(config.categories) ? config.categories : []) {
    const cat = c as { id?: unknown; name?: unknown };
    const name = squash(String(cat.name ?? ""));
    if (!REPORT_WORDS.test(name) || (LOOK_ALIKE.test(name) && !REPORT_TITLE.test(name))) continue;
    const href = template
      .replace("{catId}", encodeURIComponent(String(cat.id ?? "")))
      .replace("{page}", "1")
      .replace("{sid}", encodeURIComponent(sid));
    const u = canonicalUrl(href, base);
    if (u) out.push(u);
  }
  return out;
}

/** Beijing-time day of a unix timestamp (gkmlpt's `publish_time`). */
function beijingDay(seconds: number): string | null {
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date(seconds * 1000 + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A gkmlpt API answer: its articles as anchors, and (from page 1) the URLs of the other pages. */
function gkmlptList(
  text: string,
  base: string,
): { anchors: { href: string; text: string; container: string }[]; pages: string[] } | null {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("{") || !trimmed.includes('"articles"')) return null;
  let data: { articles?: unknown; total?: unknown; page?: unknown; page_size?: unknown };
  try {
    data = JSON.parse(trimmed) as typeof data;
  } catch {
    return null;
  }
  if (!Array.isArray(data.articles)) return null;
  const anchors = data.articles.map((a) => {
    const art = a as { title?: unknown; url?: unknown; publish_time?: unknown };
    return {
      href: String(art.url ?? ""),
      text: squash(String(art.title ?? "")),
      container: beijingDay(Number(art.publish_time)) ?? "",
    };
  });
  const pages: string[] = [];
  const total = Number(data.total ?? 0);
  const size = Number(data.page_size ?? anchors.length);
  const u = new URL(base);
  if (u.searchParams.get("page") === "1" && total > 0 && size > 0) {
    for (let p = 2; p <= Math.min(Math.ceil(total / size), 500); p++) {
      u.searchParams.set("page", String(p));
      const next = canonicalUrl(u.toString());
      if (next) pages.push(next);
    }
  }
  return { anchors, pages };
}

function forwardOf($: cheerio.CheerioAPI, html: string, base: string): Discovery["forward"] {
  const refresh = $('meta[http-equiv="refresh" i]').attr("content");
  const target = refresh ? /url\s*=\s*['"]?([^'";]+)/i.exec(refresh)?.[1] : undefined;
  if (target) {
    const u = canonicalUrl(target, base);
    if (u) return { url: u, how: "meta-refresh" };
  }
  // A page that is nothing but a script sending the browser elsewhere.
  const bodyText = squash($("body").text());
  if (bodyText.length > 200) return null;
  const m =
    /(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*(?:\.replace|\.assign)?\s*(?:\(\s*|=\s*)["']([^"']+)["']/.exec(
      html,
    );
  if (m?.[1]) {
    const u = canonicalUrl(m[1], base);
    if (u) return { url: u, how: "script" };
  }
  return null;
}

/** The date printed next to a link in its list item or table row. */
function listedDateOf(container: string): string | null {
  const m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(container);
  return m ? normaliseDate(m[0]) : null;
}

export interface DiscoverInput {
  url: string;
  /** Decoded page text (HTML or the XML of a Hanweb dataproxy answer). */
  html: string;
  role: PageRole;
}

export function discover(input: DiscoverInput): Discovery {
  const { url: base, html, role } = input;
  const $ = cheerio.load(html);
  const out: Discovery = { forward: forwardOf($, html, base), links: [], rejected: [], images: [] };
  const seen = new Set<string>();
  const add = (l: FoundLink): void => {
    const key = `${l.url}\u0000${l.form ?? ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.links.push(l);
  };
  /** A further page of a list (paging, an API page): no text, no year, only where it leads. */
  const listPage = (url: string, score: number, why: string, form?: string): void =>
    add({
      url,
      role: "list",
      text: "",
      yearHint: null,
      listedDate: null,
      score,
      why,
      ...(form !== undefined ? { form } : {}),
    });

  const anchors: { href: string; text: string; container: string }[] = [];
  const collect = (root: cheerio.CheerioAPI) => {
    root("a[href], area[href]").each((_, el) => {
      const a = root(el);
      const text = squash(`${a.text()} ${a.attr("title") ?? ""}`);
      const container = squash(a.closest("li, tr, dd, p, div").first().text());
      anchors.push({ href: a.attr("href") ?? "", text, container });
    });
  };
  const gkmlpt = gkmlptList(html, base);
  if (gkmlpt) anchors.push(...gkmlpt.anchors);
  else {
    collect($);
    for (const fragment of hanwebRecords(html)) collect(cheerio.load(fragment));
  }

  for (const a of anchors) {
    if (/^\s*(?:javascript:|mailto:|tel:|#)/i.test(a.href)) continue;
    const url = canonicalUrl(a.href, base);
    if (!url || url === base) continue;
    const kind = urlKind(url);
    const path = new URL(url).pathname;
    const text = a.text;
    const year = yearOf(text);
    const reportWords = REPORT_WORDS.test(text);
    const openGov = OPEN_GOV_TEXT.test(text);
    if (LOOK_ALIKE.test(text) && !REPORT_TITLE.test(text)) {
      out.rejected.push({ url, text, why: "look-alike title" });
      continue;
    }
    if (kind === "other-file") continue;

    if (role === "report") {
      // A report page's own attachments (the PDF/Word/scan of the same report).
      if (kind !== "page" && (!LOOK_ALIKE.test(text) || REPORT_TITLE.test(text)))
        add({
          url,
          role: "attachment",
          text,
          yearHint: year,
          listedDate: null,
          score: 5,
          why: `attachment (${kind})`,
        });
      continue;
    }
    if (role === "attachment") continue;

    if (
      reportWords &&
      year !== null &&
      (openGov || /政府信息|信息公开|政务/.test(text) || COLUMN_URL.test(path))
    ) {
      add({
        url,
        role: "report",
        text,
        yearHint: year,
        listedDate: listedDateOf(a.container.replace(text, "")),
        score: 10 + (kind !== "page" ? 1 : 0),
        why: kind === "page" ? "report title" : `report title (${kind})`,
      });
      continue;
    }
    if (kind !== "page") continue;
    if (role === "list" && NEXT_PAGE.test(text)) {
      add({ url, role: "list", text, yearHint: null, listedDate: null, score: 6, why: "next list page" });
      continue;
    }
    if (reportWords && year === null && !NAV_NOISE.test(text)) {
      add({
        url,
        role: "list",
        text,
        yearHint: null,
        listedDate: null,
        score: 8,
        why: "report column title",
      });
      continue;
    }
    if (COLUMN_URL.test(path) && (role === "nav" || role === "entry") && !NAV_NOISE.test(text)) {
      add({ url, role: "list", text, yearHint: null, listedDate: null, score: 7, why: "report column URL" });
      continue;
    }
    // Inside the open-government area every link carries its URL token: there only the words count.
    const navByUrl = role === "entry" && OPEN_GOV_URL.test(path) && text.length <= 12;
    if ((role === "entry" || role === "nav") && !NAV_NOISE.test(text) && (openGov || navByUrl)) {
      add({
        url,
        role: "nav",
        text,
        yearHint: null,
        listedDate: null,
        score: openGov ? 4 : 3,
        why: "open-government area",
      });
    }
  }

  for (const api of gkmlptCategories(html, base)) listPage(api, 8, "gkmlpt report category API");
  if (role === "list" && gkmlpt) for (const u of gkmlpt.pages) listPage(u, 6, "gkmlpt API page");
  if (role === "list") {
    for (const u of trsPages(html, base)) if (u !== base) listPage(u, 6, "createPageHTML page");
    const paging = hanwebPaging(html, base);
    if (paging && !/<totalrecord>/i.test(html))
      for (const r of hanwebRequests(paging)) listPage(r.url, 6, "dataproxy.jsp records", r.form);
  }
  if (role === "report") {
    $("img[src]").each((_, el) => {
      const u = canonicalUrl($(el).attr("src") ?? "", base);
      if (u) out.images.push(u);
    });
  }
  out.links.sort((a, b) => b.score - a.score);
  return out;
}
