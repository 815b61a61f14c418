/**
 * `nianbao crawl`: seeds → frontier → polite fetches → discovery → ingest, resumable after a
 * crash at any moment. Each task's effects (bytes stored, report extracted and saved, links
 * enqueued, task completed) commit in one transaction; a task whose process died before that
 * commit is simply leased again on restart, and a completed task is never fetched again.
 */
import { createHash, randomBytes } from "node:crypto";
import PQueue from "p-queue";
import { decodeBytes } from "../extractors/decode.js";
import type { ExtractHints } from "../extractors/types.js";
import { EXTRACTOR, extractReport } from "../pipeline/extract.js";
import {
  type Extractor,
  extractForStore,
  type PendingExtraction,
  storeExtraction,
} from "../pipeline/ingest.js";
import { ExtractionPool } from "../pipeline/pool.js";
import type { Store } from "../store/store.js";
import { type Agency, listAgencies, type Seed, upsertAgencies } from "./catalogue.js";
import { discover, type FoundLink, type PageRole } from "./discover.js";
import { drain } from "./drain.js";
import { FetchError, type FetchLimits, type FetchOptions, type FetchResponse, fetchOnce } from "./fetch.js";
import { FETCH_KIND, type FetchTaskData, Frontier, fetchKey, type TaskOutcome } from "./frontier.js";
import type { LeasedTask, TaskSpec } from "./queue.js";
import { RobotsRules, robotsPolicy } from "./robots.js";
import { canonicalUrl, hostOf, type Scope, scopeOf, siteOf, urlKind } from "./url.js";
import type { ArchiveWriter } from "./warc.js";

export interface CrawlOptions {
  /** Product token; the contact (URL or e-mail) is appended so site operators can reach us. */
  userAgent?: string;
  contact?: string;
  /** Requests in flight over all hosts. */
  concurrency?: number;
  /** Minimum gap between two requests to one host (ms); robots.txt Crawl-delay may raise it. */
  minDelayMs?: number;
  /** Upper bound for robots.txt Crawl-delay and Retry-After (ms). */
  maxCrawlDelayMs?: number;
  maxRetryAfterMs?: number;
  /** Links followed from an entry page before giving up on a branch. */
  maxDepth?: number;
  /** URLs admitted to the frontier per host (a link trap ends here at worst). */
  maxUrlsPerHost?: number;
  /** Redirect hops (HTTP and shell pages) followed from one link. */
  maxRedirects?: number;
  /** Consecutive connection failures after which a host is parked as dead. */
  deadAfter?: number;
  /** Attempts per URL for retryable failures. */
  maxAttempts?: number;
  /** First retry delay (ms); doubles with each attempt. */
  retryBaseMs?: number;
  limits?: Partial<FetchLimits>;
  connectTo?: FetchOptions["connectTo"];
  /** Hosts outside `*.gov.cn` / `.政务` treated as government sites. */
  allowHosts?: readonly string[];
  /** How long a task may stay leased before another process may take it (ms). */
  leaseMs?: number;
  archive?: ArchiveWriter | null;
  /**
   * Extraction threads. Extracting a PDF takes the CPU for a while; in this thread it would stall
   * every fetch in flight (their timeouts too), so by default documents go to one worker thread.
   * 0 extracts in this thread (tests that count on a single thread).
   */
  workers?: number;
  extract?: Extractor;
  /** Stop after this many fetches (tests interrupt a crawl this way; the kill test uses SIGKILL). */
  maxFetches?: number;
  log?: (event: CrawlEvent) => void;
  clock?: () => number;
}

export type CrawlEvent =
  | { type: "fetch"; url: string; role: string; status: number | null; error?: string; ms: number }
  | { type: "blocked"; url: string; why: string }
  | { type: "report"; url: string; status: string; organ: string | null; year: number | null }
  | { type: "host"; host: string; note: string };

export interface CrawlSummary {
  fetches: number;
  reports: number;
  frontier: Record<string, number>;
  hosts: { dead: string[]; challenge: string[]; robotsBlocked: string[] };
  stoppedEarly: boolean;
}

const VERSION_UA = `nianbao/${EXTRACTOR.version}`;

/** Outcome of a report page waiting for the pictures of its tables. */
const AWAITING_IMAGES = "awaiting-images";
/** Consecutive 429s on one host that cost its URLs no attempt. */
const MAX_FREE_THROTTLES = 20;
/** Pictures fetched for one page at most (a long photo gallery is not a report). */
const MAX_PICTURES = 30;

const CHALLENGE_MARKERS =
  /\$_ts|__jsl_clearance|document\.cookie\s*=|challenge-platform|cf-chl|jschallenge|_0x[0-9a-f]{4}|acw_sc__v2|安全验证|滑动验证|浏览器安全检查/i;

/** HTTP 412/521 (or 403/503) script challenges (Ruishu, Jiasule, Cloudflare): recognised, never solved. */
function isChallenge(status: number, body: Buffer): boolean {
  if (![403, 412, 503, 521].includes(status)) return false;
  const text = body.subarray(0, 64 * 1024).toString("latin1") + body.subarray(0, 64 * 1024).toString("utf8");
  return /<script/i.test(text) && (status === 412 || status === 521 || CHALLENGE_MARKERS.test(text));
}

function retryAfterMs(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const s = Number(value.trim());
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(value);
  return Number.isNaN(d) ? null : Math.max(0, d - now);
}

function isHtmlLike(contentType: string | undefined, body: Buffer): boolean {
  if (contentType && /html|xml|text\/plain|json/i.test(contentType)) return true;
  const head = body.subarray(0, 512).toString("latin1").trimStart().toLowerCase();
  return head.startsWith("<") || head.startsWith("{") || head.startsWith("[");
}

function lastModifiedDay(v: string | undefined): string | null {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export class Crawler {
  private readonly frontier: Frontier;
  private readonly opts: Required<
    Pick<
      CrawlOptions,
      | "concurrency"
      | "minDelayMs"
      | "maxCrawlDelayMs"
      | "maxRetryAfterMs"
      | "maxDepth"
      | "maxUrlsPerHost"
      | "maxRedirects"
      | "deadAfter"
      | "maxAttempts"
      | "retryBaseMs"
      | "leaseMs"
    >
  >;
  private readonly userAgent: string;
  private readonly robotsAgent = "nianbao";
  private readonly robots = new Map<string, RobotsRules>();
  private readonly urlsPerHost = new Map<string, number>();
  private readonly agencies = new Map<number, Agency>();
  private readonly now: () => number;
  private scope: Scope = { sites: new Set(), allowHosts: new Set() };
  private fetches = 0;
  private reports = 0;
  private extract: Extractor = extractReport;
  /** Consecutive 429 answers per host (see MAX_FREE_THROTTLES). */
  private readonly throttled = new Map<string, number>();
  /** Picture pages being read now (finishPictures runs once per page at a time). */
  private readonly finishing = new Set<number>();
  /** Global limit on requests in flight (the per-host gate is the lease's "one per host"). */
  private readonly requests: PQueue;

  constructor(
    private readonly store: Store,
    private readonly cfg: CrawlOptions = {},
  ) {
    this.now = cfg.clock ?? Date.now;
    this.opts = {
      concurrency: cfg.concurrency ?? 16,
      minDelayMs: cfg.minDelayMs ?? 1000,
      maxCrawlDelayMs: cfg.maxCrawlDelayMs ?? 10_000,
      maxRetryAfterMs: cfg.maxRetryAfterMs ?? 120_000,
      maxDepth: cfg.maxDepth ?? 8,
      maxUrlsPerHost: cfg.maxUrlsPerHost ?? 5000,
      maxRedirects: cfg.maxRedirects ?? 10,
      deadAfter: cfg.deadAfter ?? 3,
      maxAttempts: cfg.maxAttempts ?? 3,
      retryBaseMs: cfg.retryBaseMs ?? 2000,
      leaseMs: cfg.leaseMs ?? 10 * 60_000,
    };
    this.requests = new PQueue({ concurrency: this.opts.concurrency });
    const contact = cfg.contact ? `; +${cfg.contact}` : "";
    this.userAgent = `${cfg.userAgent ?? VERSION_UA} (annual-report harvester for government transparency audits${contact})`;
    this.frontier = new Frontier(
      store.connection,
      `${process.pid}-${randomBytes(4).toString("hex")}`,
      this.opts.leaseMs,
      this.now,
    );
  }

  /** Adds agencies from a catalogue and their entry pages; known URLs and agencies are not added twice. */
  seed(seeds: readonly Seed[]): Agency[] {
    const agencies = upsertAgencies(this.store.connection, seeds, new Date(this.now()).toISOString());
    this.store.atomically(() => {
      for (const a of agencies) {
        this.frontier.enqueue([
          this.robotsTask(a.entryUrl),
          this.task({ url: a.entryUrl, role: "entry", depth: 0, parentId: null, agencyId: a.id }),
        ]);
      }
    });
    return agencies;
  }

  private task(data: FetchTaskData): TaskSpec<FetchTaskData> {
    return {
      kind: FETCH_KIND,
      dedupeKey: fetchKey(data.url, data.form),
      hostKey: hostOf(data.url),
      maxAttempts: this.opts.maxAttempts,
      data,
    };
  }

  /** robots.txt of the host of `url`, on that URL's scheme (an https-only site answers there). */
  private robotsTask(of: string): TaskSpec<FetchTaskData> {
    const u = new URL(of);
    const url = `${u.protocol}//${u.host}/robots.txt`;
    return this.task({ url, role: "robots", depth: 0, parentId: null, agencyId: null });
  }

  /** Begins a new pass: pages that lead to reports are checked again (conditionally), documents are not refetched. */
  newPass(): number {
    const n = this.store.atomically(() => this.frontier.reopenForNewPass());
    this.robots.clear();
    this.urlsPerHost.clear();
    return n;
  }

  /** Runs until the frontier has nothing left (or `maxFetches`); safe to call again after a crash. */
  async run(): Promise<CrawlSummary> {
    const db = this.store.connection;
    for (const a of listAgencies(db)) this.agencies.set(a.id, a);
    this.scope = {
      sites: new Set([...this.agencies.values()].map((a) => siteOf(a.host))),
      allowHosts: new Set((this.cfg.allowHosts ?? []).map((h) => h.toLowerCase())),
    };
    this.store.atomically(() => this.frontier.reclaim());
    const workers = this.cfg.workers ?? 1;
    const pool = this.cfg.extract || workers < 1 ? null : new ExtractionPool({ size: workers });
    this.extract = this.cfg.extract ?? (pool ? (input) => pool.extract(input) : extractReport);
    try {
      return await this.loop();
    } finally {
      await pool?.close();
    }
  }

  private async loop(): Promise<CrawlSummary> {
    const db = this.store.connection;
    // Pages whose pictures all arrived before a crash stopped their reading.
    for (const id of this.frontier.withOutcome(AWAITING_IMAGES)) await this.finishPictures(id);

    const stoppedEarly = await drain(this.frontier, {
      kind: FETCH_KIND,
      concurrency: this.opts.concurrency,
      // Documents fetched and waiting for extraction: enough to keep every thread busy, bounded
      // so that bodies do not pile up in memory when extraction is the slower side.
      backlog: Math.max(8, 4 * Math.max(1, this.cfg.workers ?? 1)),
      handle: async (t, releaseHost) => {
        await this.handle(t, releaseHost);
        if (t.data.role === "image" && t.data.parentId !== null) await this.finishPictures(t.data.parentId);
      },
      onFault: (t, err) => this.fault(t, err),
      stop: () => this.cfg.maxFetches !== undefined && this.fetches >= this.cfg.maxFetches,
      now: this.now,
    });
    const hosts = db
      .prepare<[], { host: string; state: string; robots_kind: string | null }>(
        "SELECT host, state, robots_kind FROM crawl_hosts ORDER BY host",
      )
      .all();
    const robotsBlocked = db
      .prepare<[], { host: string }>(
        "SELECT DISTINCT host FROM crawl_frontier WHERE state = 'blocked' AND outcome = 'robots' ORDER BY host",
      )
      .all()
      .map((r) => r.host);
    return {
      fetches: this.fetches,
      reports: this.reports,
      frontier: this.frontier.counts(),
      hosts: {
        dead: hosts.filter((h) => h.state === "dead").map((h) => h.host),
        challenge: hosts.filter((h) => h.state === "challenge").map((h) => h.host),
        robotsBlocked,
      },
      stoppedEarly,
    };
  }

  /** A bug in our own handling of one URL: recorded on the URL, the crawl goes on. */
  private fault(t: LeasedTask<FetchTaskData>, err: unknown): void {
    const msg = `crawler fault: ${(err as Error).stack ?? String(err)}`;
    this.store.atomically(() =>
      this.frontier.complete(t.id, { state: "failed", outcome: "fault", error: msg.slice(0, 2000) }),
    );
  }

  private rulesFor(host: string): RobotsRules {
    let r = this.robots.get(host);
    if (!r) {
      const row = this.frontier.host(host);
      r = new RobotsRules(
        {
          kind: (row?.robots_kind as "rules" | "none" | "unreachable") ?? "none",
          text: row?.robots_text ?? "",
        },
        this.robotsAgent,
      );
      if (row?.robots_kind === "unreachable")
        r = new RobotsRules({ kind: "rules", text: "User-agent: *\nDisallow: /\n" }, this.robotsAgent);
      this.robots.set(host, r);
    }
    return r;
  }

  private politeGap(host: string): number {
    const row = this.frontier.host(host);
    return Math.max(this.opts.minDelayMs, row?.crawl_delay_ms ?? 0);
  }

  private async handle(t: LeasedTask<FetchTaskData>, fetched: () => void): Promise<void> {
    const { url, role } = t.data;
    const host = t.hostKey;
    if (role !== "robots" && !this.rulesFor(host).allows(url)) {
      // A robots.txt that never answered (5xx, timeouts) blocks as a disallow would, but says so.
      const unreachable = this.frontier.host(host)?.robots_kind === "unreachable";
      this.store.atomically(() =>
        this.frontier.complete(t.id, {
          state: "blocked",
          outcome: unreachable ? "robots-unreachable" : "robots",
          error: unreachable
            ? "robots.txt unreachable: not crawled until it answers"
            : "disallowed by robots.txt",
        }),
      );
      this.cfg.log?.({ type: "blocked", url, why: unreachable ? "robots.txt unreachable" : "robots.txt" });
      return;
    }
    const prev = this.frontier.task(t.id);
    const headers: Record<string, string> = {};
    if (prev?.etag) headers["if-none-match"] = prev.etag;
    if (prev?.last_modified) headers["if-modified-since"] = prev.last_modified;
    const started = this.now();
    let res: FetchResponse;
    this.fetches++;
    try {
      res = await this.requests.add(() =>
        fetchOnce(
          { url, ...(t.data.form !== undefined ? { form: t.data.form } : {}), headers },
          {
            userAgent: this.userAgent,
            ...(this.cfg.limits ? { limits: this.cfg.limits } : {}),
            ...(this.cfg.connectTo ? { connectTo: this.cfg.connectTo } : {}),
          },
        ),
      );
    } catch (err) {
      this.fetchFailed(t, err, started);
      fetched();
      return;
    }
    // The gate closes before the host is freed, so the next lease already sees it.
    this.frontier.deferHost(host, this.now() + this.politeGap(host));
    fetched();
    this.cfg.log?.({ type: "fetch", url, role, status: res.status, ms: this.now() - started });
    await this.cfg.archive?.write(res, t.data.form);
    await this.answered(t, res, prev?.sha256 ?? null);
  }

  private fetchFailed(t: LeasedTask<FetchTaskData>, err: unknown, started: number): void {
    const host = t.hostKey;
    const e = err instanceof FetchError ? err : new FetchError(String(err), "connect", true, true);
    this.cfg.log?.({
      type: "fetch",
      url: t.data.url,
      role: t.data.role,
      status: null,
      error: `${e.code}: ${e.message}`,
      ms: this.now() - started,
    });
    this.store.atomically(() => {
      this.frontier.recordFetch({
        frontierId: t.id,
        url: t.data.url,
        method: t.data.form ? "POST" : "GET",
        status: null,
        headers: null,
        sha256: null,
        size: null,
        startedAt: new Date(started).toISOString(),
        fetchedAt: new Date(this.now()).toISOString(),
        error: `${e.code}: ${e.message}`,
      });
      this.frontier.deferHost(host, this.now() + this.politeGap(host));
      if (e.hostFailure) {
        const n = this.frontier.hostFailed(host);
        if (n >= this.opts.deadAfter) {
          const note = `dead host: ${n} consecutive connection failures (last: ${e.message})`;
          this.frontier.complete(t.id, { state: "failed", outcome: "dead-host", error: e.message });
          this.frontier.parkHost(host, "dead", "failed", "dead-host", note);
          this.frontier.noteHost(host, note);
          this.cfg.log?.({ type: "host", host, note });
          return;
        }
      }
      if (!e.retryable) {
        this.frontier.complete(t.id, { state: "failed", outcome: e.code, error: e.message });
        return;
      }
      const backoff = this.opts.retryBaseMs * 2 ** (t.attempts - 1);
      this.frontier.retry(t.id, this.now() + backoff, `${e.code}: ${e.message}`, e.code);
    });
  }

  private fetchRecord(t: LeasedTask<FetchTaskData>, res: FetchResponse, sha: string | null) {
    return {
      frontierId: t.id,
      url: t.data.url,
      method: res.method,
      status: res.status,
      headers: JSON.stringify(res.rawHeaders),
      sha256: sha,
      size: res.body.length,
      startedAt: res.startedAt,
      fetchedAt: res.fetchedAt,
      error: null,
    };
  }

  /** `previousSha`: the bytes this URL gave last time (a 304 means they are still the answer). */
  private async answered(
    t: LeasedTask<FetchTaskData>,
    res: FetchResponse,
    previousSha: string | null,
  ): Promise<void> {
    const host = t.hostKey;
    const now = this.now();
    const { role } = t.data;
    const base: Omit<TaskOutcome, "state" | "outcome"> = {
      httpStatus: res.status,
      contentType: res.headers["content-type"] ?? null,
      etag: res.headers.etag ?? null,
      lastModified: res.headers["last-modified"] ?? null,
      fetchedAt: res.fetchedAt,
    };
    const gap = this.politeGap(host);
    const common = (sha: string | null): void => {
      this.frontier.hostAnswered(host);
      this.frontier.recordFetch(this.fetchRecord(t, res, sha));
      this.frontier.deferHost(host, now + gap);
    };

    if (isChallenge(res.status, res.body)) {
      const note = `anti-bot challenge (HTTP ${res.status}): reported, not bypassed`;
      this.store.atomically(() => {
        common(null);
        this.frontier.complete(t.id, { ...base, state: "blocked", outcome: "challenge", error: note });
        this.frontier.parkHost(host, "challenge", "blocked", "challenge", note);
        this.frontier.noteHost(host, note);
      });
      this.cfg.log?.({ type: "host", host, note });
      return;
    }

    if (res.status === 429 || res.status === 503) {
      const wait = Math.min(
        this.opts.maxRetryAfterMs,
        retryAfterMs(res.headers["retry-after"], now) ?? this.opts.retryBaseMs * 2 ** (t.attempts - 1),
      );
      // A 429 says "slower", not "broken": it costs the URL no attempt, up to a bound per host so a
      // host that answers nothing but 429 still ends. A 503 costs an attempt like any server error.
      const throttled = (this.throttled.get(host) ?? 0) + 1;
      this.throttled.set(host, throttled);
      const free = res.status === 429 && throttled <= MAX_FREE_THROTTLES;
      this.store.atomically(() => {
        this.frontier.recordFetch(this.fetchRecord(t, res, null));
        this.frontier.hostAnswered(host);
        this.frontier.deferHost(host, now + Math.max(wait, gap));
        this.frontier.noteHost(
          host,
          `HTTP ${res.status}: backed off (Retry-After ${res.headers["retry-after"] ?? "absent"})`,
        );
        if (free) this.frontier.release(t.id, now + wait);
        else this.frontier.retry(t.id, now + wait, `HTTP ${res.status}`, `http-${res.status}`);
      });
      return;
    }
    this.throttled.delete(host);

    if (role === "robots" && res.status === 304) {
      // Unchanged since the last pass: the rules already stored stand.
      this.store.atomically(() => {
        common(null);
        this.frontier.complete(t.id, { ...base, state: "done", outcome: "robots-unchanged" });
      });
      return;
    }
    if (role === "robots") {
      const policy = robotsPolicy(
        res.status,
        res.body,
        res.headers["content-type"],
        this.robotsAgent,
        this.opts.maxCrawlDelayMs,
      );
      if (policy.kind === "unreachable") {
        // Asked again later; once its attempts are used up the frontier marks the host's robots.txt
        // unreachable (the same path a robots.txt that never connects takes) and its pages blocked.
        this.store.atomically(() => {
          common(null);
          for (const n of policy.notes) this.frontier.noteHost(host, n);
          this.frontier.retry(
            t.id,
            now + this.opts.retryBaseMs * 2 ** (t.attempts - 1),
            policy.notes.join("; "),
          );
        });
        return;
      }
      this.store.atomically(() => {
        const sha =
          res.status === 200
            ? this.store.putBlob(res.body, res.headers["content-type"] ?? "text/plain", t.data.url)
            : null;
        common(sha);
        this.frontier.setRobots(host, policy.kind, policy.text, policy.crawlDelayMs);
        // The delay the file asks for starts with the request that fetched it.
        this.frontier.deferHost(host, now + Math.max(this.opts.minDelayMs, policy.crawlDelayMs ?? 0));
        for (const n of policy.notes) this.frontier.noteHost(host, n);
        this.frontier.complete(t.id, {
          ...base,
          sha256: sha,
          state: "done",
          outcome: `robots-${policy.kind}`,
        });
      });
      this.robots.delete(host);
      for (const n of policy.notes) this.cfg.log?.({ type: "host", host, note: n });
      return;
    }

    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      const target = res.headers.location ? canonicalUrl(res.headers.location, t.data.url) : null;
      this.store.atomically(() => {
        common(null);
        const hops = (t.data.hops ?? 0) + 1;
        if (!target) {
          this.frontier.complete(t.id, {
            ...base,
            state: "failed",
            outcome: "bad-redirect",
            error: `HTTP ${res.status} without a usable Location`,
          });
        } else if (target === t.data.url || (t.data.chain ?? []).includes(target)) {
          this.frontier.complete(t.id, {
            ...base,
            state: "failed",
            outcome: "redirect-loop",
            error: `redirect loop: ${[...(t.data.chain ?? []), t.data.url, target].join(" → ")}`,
          });
        } else if (hops > this.opts.maxRedirects) {
          this.frontier.complete(t.id, {
            ...base,
            state: "failed",
            outcome: "too-many-redirects",
            error: `more than ${this.opts.maxRedirects} redirects`,
          });
        } else {
          this.follow(t, target, hops, `HTTP ${res.status}`);
          this.frontier.complete(t.id, { ...base, state: "done", outcome: "redirect", error: null });
        }
      });
      return;
    }

    let body = res.body;
    if (res.status === 304) {
      const stored = previousSha ? this.store.blob(previousSha) : null;
      if (!stored) {
        this.store.atomically(() => {
          common(null);
          this.frontier.complete(t.id, { ...base, state: "done", outcome: "not-modified" });
        });
        return;
      }
      body = stored;
    } else if (res.status >= 500) {
      this.store.atomically(() => {
        common(null);
        this.frontier.retry(t.id, now + this.opts.retryBaseMs * 2 ** (t.attempts - 1), `HTTP ${res.status}`);
      });
      return;
    } else if (res.status >= 400) {
      this.store.atomically(() => {
        common(null);
        this.frontier.complete(t.id, {
          ...base,
          state: "failed",
          outcome: `http-${res.status}`,
          error: `HTTP ${res.status}`,
        });
      });
      return;
    }
    await this.process(t, res, body, base, common);
  }

  /** Enqueues where a redirect or shell page leads: the same role, one hop further. */
  private follow(t: LeasedTask<FetchTaskData>, target: string, hops: number, how: string): void {
    const verdict = scopeOf(target, this.scope);
    if (verdict !== "in-scope") {
      this.frontier.recordOffsite(target, `${how} from ${t.data.url}`, t.data.url, t.data.agencyId, verdict);
      return;
    }
    this.admit([
      {
        ...t.data,
        url: target,
        form: undefined,
        hops,
        chain: [...(t.data.chain ?? []), t.data.url],
        parentId: t.id,
        linkedAs: t.data.linkedAs ?? t.data.url,
      } as FetchTaskData,
    ]);
  }

  /** Adds tasks within the per-host budget, with a robots.txt task for every new host. */
  private admit(items: FetchTaskData[]): void {
    const specs: TaskSpec<FetchTaskData>[] = [];
    for (const d of items) {
      const data = { ...d };
      if (data.form === undefined) delete data.form;
      const host = hostOf(data.url);
      let n = this.urlsPerHost.get(host);
      if (n === undefined) {
        n = this.frontier.urlsOfHost(host);
        if (n === 0) specs.push(this.robotsTask(data.url));
      }
      if (n >= this.opts.maxUrlsPerHost) {
        this.frontier.noteHost(
          host,
          `URL budget of ${this.opts.maxUrlsPerHost} reached; further links ignored`,
        );
        this.urlsPerHost.set(host, n);
        continue;
      }
      this.urlsPerHost.set(host, n + 1);
      specs.push(this.task(data));
    }
    this.frontier.enqueue(specs);
  }

  private async process(
    t: LeasedTask<FetchTaskData>,
    res: FetchResponse,
    body: Buffer,
    base: Omit<TaskOutcome, "state" | "outcome">,
    common: (sha: string | null) => void,
  ): Promise<void> {
    const { role, url } = t.data;
    const contentType = res.headers["content-type"];
    const sha = sha256(body);
    const html = isHtmlLike(contentType, body) && urlKind(url) === "page";
    const dup = this.frontier.sameContent(sha, t.id);

    if (role === "image") {
      this.store.atomically(() => {
        common(this.store.putBlob(body, contentType ?? "application/octet-stream", url));
        this.frontier.complete(t.id, { ...base, sha256: sha, state: "done", outcome: "image" });
      });
      return;
    }

    if (role === "report" || role === "attachment" || !html) {
      // A document: into the ingest pipeline (an HTML report page is also read for its attachments).
      const discovered =
        html && role === "report"
          ? discover({
              url,
              html: decodeBytes(body, { ...(contentType ? { contentType } : {}), html: true }).text,
              role,
            })
          : null;
      const publishedHint = t.data.listedDate ?? lastModifiedDay(res.headers["last-modified"]);
      const pending = await extractForStore(
        this.store,
        {
          bytes: body,
          locator: url,
          ...(contentType ? { contentType } : {}),
          hints: this.hints(t.data, publishedHint),
        },
        this.extract,
      );
      if (discovered && this.picturesFirst(t, pending, discovered.images)) {
        // The tables are pictures: fetch them, then read the page with them (finishPictures).
        this.store.atomically(() => {
          common(this.store.putBlob(body, contentType ?? "text/html", url));
          this.admitPictures(t, discovered.images);
          this.frontier.complete(t.id, { ...base, sha256: sha, state: "done", outcome: AWAITING_IMAGES });
        });
        return;
      }
      const item = this.store.atomically(() => {
        common(sha);
        const item = storeExtraction(this.store, body, url, pending);
        const agencyId = this.attribute(t, item.organ);
        if (agencyId !== t.data.agencyId) this.frontier.setAgency(t.id, agencyId);
        if (discovered) {
          const year = item.year ?? t.data.yearHint ?? null;
          this.admit(
            discovered.links
              .filter((l) => l.role === "attachment")
              .map((l) => ({
                url: l.url,
                role: "attachment" as const,
                depth: t.data.depth + 1,
                parentId: t.id,
                agencyId,
                text: l.text,
                yearHint: year,
                listedDate: publishedHint,
              })),
          );
        }
        this.frontier.complete(t.id, {
          ...base,
          sha256: sha,
          state: "done",
          outcome: `document-${item.status}`,
          reportId: item.reportId,
          error: item.problem,
        });
        return item;
      });
      this.reports++;
      this.cfg.log?.({ type: "report", url, status: item.status, organ: item.organ, year: item.year });
      return;
    }

    // A navigation or list page: its links lead on.
    const text = decodeBytes(body, { ...(contentType ? { contentType } : {}), html: true }).text;
    const d = dup ? null : discover({ url, html: text, role: role as PageRole });
    this.store.atomically(() => {
      const stored = this.store.putBlob(body, contentType ?? "text/html", url);
      common(stored);
      if (d?.forward) {
        const hops = (t.data.hops ?? 0) + 1;
        if (hops <= this.opts.maxRedirects) this.follow(t, d.forward.url, hops, d.forward.how);
      }
      if (d) this.admitLinks(t, d.links);
      this.frontier.complete(t.id, {
        ...base,
        sha256: sha,
        state: "done",
        outcome: dup ? `duplicate-of ${dup.url}` : d?.forward ? `forward (${d.forward.how})` : `${role}-page`,
      });
    });
  }

  private admitLinks(t: LeasedTask<FetchTaskData>, links: FoundLink[]): void {
    const depth = t.data.depth + 1;
    if (depth > this.opts.maxDepth) return;
    const items: FetchTaskData[] = [];
    for (const l of links) {
      const verdict = scopeOf(l.url, this.scope);
      if (verdict !== "in-scope") {
        // Copies of reports on other domains are evidence, not the agency's publication.
        if (l.role === "report")
          this.frontier.recordOffsite(l.url, l.text, t.data.url, t.data.agencyId, verdict);
        continue;
      }
      items.push({
        url: l.url,
        role: l.role,
        depth,
        parentId: t.id,
        agencyId: t.data.agencyId,
        text: l.text,
        yearHint: l.yearHint,
        listedDate: l.listedDate,
        ...(l.form !== undefined ? { form: l.form } : {}),
      });
    }
    this.admit(items);
  }

  /** Whether a report page must wait for its pictures before it is read. */
  private picturesFirst(t: LeasedTask<FetchTaskData>, pending: PendingExtraction, images: string[]): boolean {
    if (t.data.role !== "report" || images.length === 0 || pending.kind !== "report") return false;
    // Headings over `<img>` tables, or no table at all on a page that shows pictures (an image stack).
    const r = pending.report;
    return r.needs_ocr.some((m) => m.reason === "image-table") || Object.keys(r.cells).length === 0;
  }

  private admitPictures(t: LeasedTask<FetchTaskData>, images: string[]): void {
    const items: FetchTaskData[] = [];
    for (const url of images.slice(0, MAX_PICTURES)) {
      // Pictures may sit on another government host (an image server); never on other domains.
      if (scopeOf(url, this.scope) === "non-government") continue;
      items.push({ url, role: "image", depth: t.data.depth + 1, parentId: t.id, agencyId: t.data.agencyId });
    }
    this.admit(items);
  }

  /**
   * Reads a report page whose tables are pictures once every picture has been fetched (or has
   * failed): extraction gets them through `resolveImage`, and the page's task takes the result.
   * Idempotent: a page already read, or with pictures still pending, is left alone.
   */
  private async finishPictures(pageId: number): Promise<void> {
    const page = this.frontier.fetched(pageId);
    if (!page || page.outcome !== AWAITING_IMAGES || !page.sha256 || this.finishing.has(pageId)) return;
    if (this.frontier.openChildren(pageId, "image") > 0) return;
    const body = this.store.blob(page.sha256);
    if (!body) return;
    this.finishing.add(pageId);
    try {
      const pictures = new Map<string, Buffer>();
      for (const img of this.frontier.doneChildren(pageId, "image")) {
        const bytes = this.store.blob(img.sha256);
        if (bytes) pictures.set(img.url, bytes);
      }
      const data = JSON.parse(page.data) as FetchTaskData;
      const contentType = page.content_type ?? undefined;
      // In this thread: a resolver is a function and cannot travel to an extraction worker.
      const pending = await extractForStore(this.store, {
        bytes: body,
        locator: page.url,
        ...(contentType ? { contentType } : {}),
        hints: this.hints(data, data.listedDate ?? null),
        resolveImage: async (src) => pictures.get(canonicalUrl(src, page.url) ?? "") ?? null,
      });
      this.store.atomically(() => {
        if (this.frontier.fetched(pageId)?.outcome !== AWAITING_IMAGES) return;
        const item = storeExtraction(this.store, body, page.url, pending);
        this.frontier.resettle(
          pageId,
          AWAITING_IMAGES,
          `document-${item.status}`,
          item.reportId,
          item.problem,
        );
      });
      this.reports++;
    } finally {
      this.finishing.delete(pageId);
    }
  }

  /** What the catalogue knows of a document's agency, and the date its link was listed under. */
  private hints(data: FetchTaskData, publishedAt: string | null): ExtractHints {
    const agency = data.agencyId !== null ? this.agencies.get(data.agencyId) : undefined;
    return {
      // A seed given as a bare URL is named after its host: no organ to suggest.
      ...(agency && agency.name !== agency.host ? { organ: agency.name } : {}),
      ...(agency?.level ? { organLevel: agency.level } : {}),
      ...(publishedAt ? { publishedAt } : {}),
    };
  }

  /**
   * The agency a document belongs to: the one whose page led to it, unless the document names
   * another catalogue agency on the same host (a county portal publishing for its departments).
   */
  private attribute(t: LeasedTask<FetchTaskData>, organ: string | null): number | null {
    const own = t.data.agencyId;
    if (!organ) return own;
    const current = own !== null ? this.agencies.get(own) : undefined;
    if (current && (current.name === organ || current.name === current.host)) return own;
    for (const a of this.agencies.values()) if (a.host === t.hostKey && a.name === organ) return a.id;
    return own;
  }
}
