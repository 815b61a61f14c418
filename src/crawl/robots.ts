/**
 * robots.txt as a host policy (RFC 9309, read with the maintained `robots-parser`): what we may
 * fetch and how long to wait between requests. Only the first 500 KiB count, as RFC 9309 allows
 * and Google does; a 404 or a page that is not a robots file means "no rules"; a server error
 * means "try again later" rather than "everything allowed".
 */
import { createRequire } from "node:module";

interface ParsedRobots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// A CommonJS module whose typings claim an ES default export; loaded as what it is.
const robotsParser = createRequire(import.meta.url)("robots-parser") as (
  url: string,
  text: string,
) => ParsedRobots;

export const ROBOTS_MAX_BYTES = 500 * 1024;

export interface RobotsPolicy {
  /** `rules` (a robots file was read), `none` (404/410 or not a robots file), `unreachable`. */
  kind: "rules" | "none" | "unreachable";
  /** The text the rules came from (truncated to `ROBOTS_MAX_BYTES`). */
  text: string;
  /** Crawl-delay for our agent in ms, already capped; null when none is set. */
  crawlDelayMs: number | null;
  /** What the crawl log should say about this file (a capped delay, an HTML page, truncation). */
  notes: string[];
}

/** Looks like an HTML page served at /robots.txt (common on CMS sites that route every path). */
function isHtml(text: string, contentType: string | undefined): boolean {
  if (contentType && /html/i.test(contentType)) return true;
  return /^\s*(?:<!doctype\s+html|<html|<head|<body)/i.test(text);
}

/** Builds the policy from an HTTP answer to `/robots.txt` (status 0: no answer at all). */
export function robotsPolicy(
  status: number,
  body: Buffer | null,
  contentType: string | undefined,
  agent: string,
  maxCrawlDelayMs: number,
): RobotsPolicy {
  const notes: string[] = [];
  if (status === 0 || status >= 500 || status === 429)
    return {
      kind: "unreachable",
      text: "",
      crawlDelayMs: null,
      notes: [`robots.txt unreachable (HTTP ${status})`],
    };
  if (status >= 400 || !body)
    return { kind: "none", text: "", crawlDelayMs: null, notes: [`robots.txt HTTP ${status}: no rules`] };
  let bytes = body;
  if (bytes.length > ROBOTS_MAX_BYTES) {
    notes.push(`robots.txt is ${bytes.length} bytes; only the first ${ROBOTS_MAX_BYTES} are read`);
    bytes = bytes.subarray(0, ROBOTS_MAX_BYTES);
  }
  const text = bytes.toString("utf8");
  if (isHtml(text, contentType)) {
    notes.push("robots.txt is an HTML page, not a robots file: no rules");
    return { kind: "none", text: "", crawlDelayMs: null, notes };
  }
  const parsed = robotsParser("http://robots.invalid/robots.txt", text);
  const delay = parsed.getCrawlDelay(agent);
  let crawlDelayMs: number | null = null;
  if (delay !== undefined && Number.isFinite(delay) && delay > 0) {
    crawlDelayMs = Math.round(delay * 1000);
    if (crawlDelayMs > maxCrawlDelayMs) {
      notes.push(`Crawl-delay ${delay}s capped at ${maxCrawlDelayMs / 1000}s`);
      crawlDelayMs = maxCrawlDelayMs;
    } else notes.push(`Crawl-delay ${delay}s honoured`);
  }
  return { kind: "rules", text, crawlDelayMs, notes };
}

/** A compiled policy for repeated checks; parsing once per host, not per URL. */
export class RobotsRules {
  private readonly parsed: ParsedRobots | null;
  constructor(
    policy: Pick<RobotsPolicy, "kind" | "text">,
    private readonly agent: string,
  ) {
    this.parsed =
      policy.kind === "rules" ? robotsParser("http://robots.invalid/robots.txt", policy.text) : null;
  }

  /** Whether our agent may fetch `url` (path and query matter, the host does not). */
  allows(url: string): boolean {
    if (!this.parsed) return true;
    const u = new URL(url);
    return this.parsed.isAllowed(`http://robots.invalid${u.pathname}${u.search}`, this.agent) !== false;
  }
}
