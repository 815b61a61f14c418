/**
 * URL canonicalisation and crawl scope. A canonical URL is the frontier's dedupe key, so two
 * spellings of one page (`HTTP://Host:80/a/./b#x`, `http://host/a/b`) are fetched once.
 */

/** Query parameters that only track visits; dropping them merges otherwise identical pages. */
const TRACKING_PARAMS = /^(?:utm_[a-z]+|spm|from|_t|timestamp|random|rnd)$/i;

/** The canonical form of `href` resolved against `base`, or null when it is not an http(s) page. */
export function canonicalUrl(href: string, base?: string): string | null {
  let u: URL;
  try {
    u = base === undefined ? new URL(href.trim()) : new URL(href.trim(), base);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  u.hash = "";
  u.username = "";
  u.password = "";
  u.hostname = u.hostname.toLowerCase().replace(/\.$/, "");
  if ((u.protocol === "http:" && u.port === "80") || (u.protocol === "https:" && u.port === "443"))
    u.port = "";
  const params = [...u.searchParams].filter(([k]) => !TRACKING_PARAMS.test(k));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  u.search = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : "";
  // `new URL` already resolves dot segments and percent-encodes non-ASCII paths.
  return u.toString();
}

/** Host of a canonical URL (lower case, no port unless non-default). */
export function hostOf(url: string): string {
  return new URL(url).host;
}

/** Hosts that may be an agency's own: `*.gov.cn` and the `.政务` top-level domain (punycode `xn--zfr164b`). */
export function isGovernmentHost(host: string): boolean {
  const h = host.replace(/:\d+$/, "").toLowerCase();
  return /(?:^|\.)gov\.cn$/.test(h) || /(?:^|\.)(?:xn--zfr164b|政务)$/.test(h);
}

/**
 * The registrable site a government host belongs to: `xxgk.abc.gov.cn` and `www.abc.gov.cn` both
 * give `abc.gov.cn`, so an agency's open-government area on a sibling host stays in scope.
 */
export function siteOf(host: string): string {
  const h = host.replace(/:\d+$/, "").toLowerCase();
  const labels = h.split(".");
  if (/\.gov\.cn$/.test(h)) return labels.slice(-3).join(".");
  return labels.slice(-2).join(".");
}

export interface Scope {
  /** Sites (see `siteOf`) of the seeds: their hosts and sibling hosts are crawled. */
  sites: ReadonlySet<string>;
  /** Hosts allowed although not government domains (`--allow-host`). */
  allowHosts: ReadonlySet<string>;
}

export type ScopeVerdict = "in-scope" | "non-government" | "other-site";

/** Whether a URL belongs to the crawl: a seed's site on a government (or allowlisted) domain. */
export function scopeOf(url: string, scope: Scope): ScopeVerdict {
  const host = hostOf(url).replace(/:\d+$/, "");
  if (scope.allowHosts.has(host)) return "in-scope";
  if (!isGovernmentHost(host)) return "non-government";
  return scope.sites.has(siteOf(host)) ? "in-scope" : "other-site";
}

/** Document types by extension: attachments are ingested, pages are parsed for links. */
export type UrlKind = "page" | "pdf" | "doc" | "docx" | "wps" | "image" | "other-file";

export function urlKind(url: string): UrlKind {
  const u = new URL(url);
  const path = u.pathname.toLowerCase();
  // Download scripts name the file in the query: `downfile.jsp?filename=….pdf`, `download.do?file=….docx`.
  let query = u.search;
  try {
    query = decodeURIComponent(query);
  } catch {
    // Malformed escapes: look at the raw query.
  }
  const named = /\.(pdf|docx?|wps)(?:$|[&#])/i.exec(query.toLowerCase())?.[1];
  const ext = /\.([a-z0-9]{1,5})$/.exec(path)?.[1] ?? "";
  if (named && !["pdf", "doc", "docx", "wps"].includes(ext)) return named as UrlKind;
  if (ext === "pdf") return "pdf";
  if (ext === "doc") return "doc";
  if (ext === "docx") return "docx";
  if (ext === "wps") return "wps";
  if (["jpg", "jpeg", "png", "gif", "tif", "tiff", "bmp"].includes(ext)) return "image";
  if (["zip", "rar", "7z", "xls", "xlsx", "ppt", "pptx", "mp4", "mp3", "exe", "apk", "ofd"].includes(ext))
    return "other-file";
  return "page";
}
