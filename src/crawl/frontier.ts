/**
 * The crawl frontier in SQLite (tables of migration 4): every URL with its state, lease,
 * attempts and outcome, and every host with its politeness gate. Implements `TaskQueue` for one
 * machine. All writes are synchronous statements on the store's connection, so the crawler can
 * wrap "document stored + task completed + links enqueued" in one transaction.
 */
import type Database from "better-sqlite3";
import type { PageRole } from "./discover.js";
import type { LeasedTask, TaskQueue, TaskSpec, TaskState } from "./queue.js";

export const FETCH_KIND = "fetch";
/** `image`: a picture a report page shows (its tables as images), fetched for OCR of that page. */
export type FrontierRole = PageRole | "robots" | "image";

export interface FetchTaskData {
  url: string;
  role: FrontierRole;
  depth: number;
  parentId: number | null;
  agencyId: number | null;
  /** Anchor text the URL was found under. */
  text?: string;
  yearHint?: number | null;
  listedDate?: string | null;
  /** POST body (Hanweb dataproxy.jsp). */
  form?: string;
  /** Redirect hops (HTTP or shell page) taken to reach this URL. */
  hops?: number;
  /** The URLs of those hops, to recognise a redirect loop. */
  chain?: string[];
  /** The URL first linked, when this one was reached through redirects. */
  linkedAs?: string;
}

export interface HostRow {
  host: string;
  state: "ok" | "dead" | "challenge";
  robots_kind: string | null;
  robots_text: string | null;
  crawl_delay_ms: number | null;
  next_at: number;
  failures: number;
  requests: number;
  notes: string;
}

export interface TaskOutcome {
  state: Exclude<TaskState, "pending" | "leased">;
  outcome: string;
  httpStatus?: number | null;
  sha256?: string | null;
  contentType?: string | null;
  etag?: string | null;
  lastModified?: string | null;
  fetchedAt?: string | null;
  reportId?: number | null;
  error?: string | null;
}

interface TaskRow {
  id: number;
  kind: string;
  dedupe_key: string;
  host: string;
  attempts: number;
  max_attempts: number;
  data: string;
}

const ROLE_PRIORITY: Record<FrontierRole, number> = {
  robots: 0,
  image: 1,
  report: 1,
  attachment: 1,
  list: 2,
  entry: 3,
  nav: 4,
};

/** Dedupe key of a fetch: the canonical URL, plus the form for POSTs. */
export function fetchKey(url: string, form?: string): string {
  return form ? `POST ${url}\n${form}` : url;
}

export class Frontier implements TaskQueue<FetchTaskData> {
  private readonly now: () => number;
  private readonly iso: () => string;
  private readonly st;

  constructor(
    private readonly db: Database.Database,
    private readonly owner: string,
    private readonly leaseMs: number,
    clock: () => number = Date.now,
  ) {
    this.now = clock;
    this.iso = () => new Date(this.now()).toISOString();
    this.st = {
      insertTask: db.prepare(
        `INSERT OR IGNORE INTO crawl_frontier
           (kind, dedupe_key, url, host, role, priority, max_attempts, not_before, depth, parent_id, agency_id, data, created_at, updated_at)
         VALUES (@kind, @key, @url, @host, @role, @priority, @maxAttempts, @notBefore, @depth, @parentId, @agencyId, @data, @at, @at)`,
      ),
      insertHost: db.prepare("INSERT OR IGNORE INTO crawl_hosts(host) VALUES (?)"),
      hostHasWork: db.prepare("UPDATE crawl_hosts SET has_work = 1 WHERE host = ? AND has_work = 0"),
      readyHosts: db.prepare<[number, number], { host: string; robots_kind: string | null }>(
        `SELECT host, robots_kind FROM crawl_hosts
         WHERE state = 'ok' AND has_work = 1 AND next_at <= ? ORDER BY next_at, host LIMIT ?`,
      ),
      headOfHost: db.prepare<[string, number, number], TaskRow>(
        `SELECT id, kind, dedupe_key, host, attempts, max_attempts, data FROM crawl_frontier
         WHERE host = ? AND state = 'pending' AND not_before <= ? AND (? = 1 OR role = 'robots')
         ORDER BY priority, id LIMIT 1`,
      ),
      earliestOfHost: db.prepare<[string], { t: number | null }>(
        "SELECT min(not_before) AS t FROM crawl_frontier WHERE host = ? AND state = 'pending'",
      ),
      idleHost: db.prepare("UPDATE crawl_hosts SET has_work = 0 WHERE host = ?"),
      openRobots: db.prepare<[string], { id: number }>(
        "SELECT id FROM crawl_frontier WHERE host = ? AND role = 'robots' AND state IN ('pending', 'leased') LIMIT 1",
      ),
      deferHost: db.prepare("UPDATE crawl_hosts SET next_at = max(next_at, ?) WHERE host = ?"),
      leaseTask: db.prepare(
        `UPDATE crawl_frontier SET state = 'leased', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?
         WHERE id = ? AND state = 'pending'`,
      ),
      release: db.prepare(
        `UPDATE crawl_frontier SET state = 'pending', attempts = max(0, attempts - 1), lease_owner = NULL,
           lease_until = NULL, not_before = ?, updated_at = ? WHERE id = ? AND state = 'leased'`,
      ),
      attemptsOf: db.prepare<[number], { attempts: number; max_attempts: number; host: string }>(
        "SELECT attempts, max_attempts, host FROM crawl_frontier WHERE id = ?",
      ),
      retry: db.prepare(
        `UPDATE crawl_frontier SET state = 'pending', lease_owner = NULL, lease_until = NULL, not_before = ?, error = ?, updated_at = ?
         WHERE id = ?`,
      ),
      complete: db.prepare(
        `UPDATE crawl_frontier SET state = @state, outcome = @outcome, http_status = @httpStatus, sha256 = @sha256,
           content_type = @contentType, etag = coalesce(@etag, etag), last_modified = coalesce(@lastModified, last_modified),
           fetched_at = coalesce(@fetchedAt, fetched_at), report_id = coalesce(@reportId, report_id), error = @error,
           lease_owner = NULL, lease_until = NULL, updated_at = @at
         WHERE id = @id`,
      ),
      reclaim: db.prepare(
        `UPDATE crawl_frontier SET state = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE state = 'leased' AND (lease_until < ? OR lease_owner <> ?)`,
      ),
      allHostsWork: db.prepare(
        "UPDATE crawl_hosts SET has_work = 1 WHERE host IN (SELECT DISTINCT host FROM crawl_frontier WHERE state = 'pending')",
      ),
      nextEligible: db.prepare<[], { t: number | null }>(
        `SELECT min(max(f.not_before, h.next_at)) AS t FROM crawl_frontier f JOIN crawl_hosts h ON h.host = f.host
         WHERE f.state = 'pending' AND h.state = 'ok'`,
      ),
      counts: db.prepare<[], { state: TaskState; n: number }>(
        "SELECT state, count(*) AS n FROM crawl_frontier GROUP BY state",
      ),
      host: db.prepare<[string], HostRow>("SELECT * FROM crawl_hosts WHERE host = ?"),
      setRobots: db.prepare(
        `UPDATE crawl_hosts SET robots_kind = ?, robots_text = ?, crawl_delay_ms = ?, robots_fetched_at = ?, has_work = 1
         WHERE host = ?`,
      ),
      hostFailure: db.prepare(
        "UPDATE crawl_hosts SET failures = failures + 1 WHERE host = ? RETURNING failures",
      ),
      hostAnswered: db.prepare("UPDATE crawl_hosts SET failures = 0, requests = requests + 1 WHERE host = ?"),
      hostNote: db.prepare(
        "UPDATE crawl_hosts SET notes = json_insert(notes, '$[#]', ?) WHERE host = ? AND NOT EXISTS (SELECT 1 FROM json_each(notes) WHERE value = ?)",
      ),
      parkHost: db.prepare("UPDATE crawl_hosts SET state = ?, has_work = 0 WHERE host = ?"),
      parkTasks: db.prepare(
        `UPDATE crawl_frontier SET state = ?, outcome = ?, error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE host = ? AND state IN ('pending', 'leased')`,
      ),
      taskById: db.prepare<
        [number],
        {
          id: number;
          url: string;
          role: string;
          etag: string | null;
          last_modified: string | null;
          sha256: string | null;
          state: string;
        }
      >("SELECT id, url, role, etag, last_modified, sha256, state FROM crawl_frontier WHERE id = ?"),
      doneWithSha: db.prepare<[string, number], { id: number; url: string }>(
        "SELECT id, url FROM crawl_frontier WHERE sha256 = ? AND state = 'done' AND id <> ? LIMIT 1",
      ),
      recordFetch: db.prepare(
        `INSERT INTO crawl_fetches(frontier_id, url, method, status, headers, sha256, size, started_at, fetched_at, error)
         VALUES (@frontierId, @url, @method, @status, @headers, @sha256, @size, @startedAt, @fetchedAt, @error)`,
      ),
      urlsOfHost: db.prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM crawl_frontier WHERE host = ?",
      ),
      setAgency: db.prepare("UPDATE crawl_frontier SET agency_id = ? WHERE id = ?"),
      withOutcome: db.prepare<[string], { id: number }>("SELECT id FROM crawl_frontier WHERE outcome = ?"),
      pageRow: db.prepare<
        [number],
        {
          url: string;
          sha256: string | null;
          outcome: string | null;
          content_type: string | null;
          data: string;
        }
      >("SELECT url, sha256, outcome, content_type, data FROM crawl_frontier WHERE id = ?"),
      openChildren: db.prepare<[number, string], { n: number }>(
        "SELECT count(*) AS n FROM crawl_frontier WHERE parent_id = ? AND role = ? AND state IN ('pending', 'leased')",
      ),
      doneChildren: db.prepare<[number, string], { url: string; sha256: string }>(
        "SELECT url, sha256 FROM crawl_frontier WHERE parent_id = ? AND role = ? AND state = 'done' AND sha256 IS NOT NULL",
      ),
      resettle: db.prepare(
        "UPDATE crawl_frontier SET outcome = ?, report_id = ?, error = ?, updated_at = ? WHERE id = ? AND outcome = ?",
      ),
      offsite: db.prepare(
        "INSERT OR IGNORE INTO crawl_offsite(url, text, found_on, agency_id, reason) VALUES (?, ?, ?, ?, ?)",
      ),
    };
  }

  enqueue(tasks: readonly TaskSpec<FetchTaskData>[]): number {
    let added = 0;
    const at = this.iso();
    for (const t of tasks) {
      this.st.insertHost.run(t.hostKey);
      const r = this.st.insertTask.run({
        kind: t.kind,
        key: t.dedupeKey,
        url: t.data.url,
        host: t.hostKey,
        role: t.data.role,
        priority: t.priority ?? ROLE_PRIORITY[t.data.role],
        maxAttempts: t.maxAttempts ?? 3,
        notBefore: t.notBefore ?? 0,
        depth: t.data.depth,
        parentId: t.data.parentId,
        agencyId: t.data.agencyId,
        data: JSON.stringify(t.data),
        at,
      });
      if (r.changes > 0) {
        added++;
        this.st.hostHasWork.run(t.hostKey);
      }
    }
    return added;
  }

  lease(kind: string, limit: number, busyHosts: ReadonlySet<string>): LeasedTask<FetchTaskData>[] {
    return this.db.transaction(() => this.leaseInTx(kind, limit, busyHosts)).immediate();
  }

  private leaseInTx(
    kind: string,
    limit: number,
    busyHosts: ReadonlySet<string>,
  ): LeasedTask<FetchTaskData>[] {
    const now = this.now();
    const out: LeasedTask<FetchTaskData>[] = [];
    const hosts = this.st.readyHosts.all(now, limit + busyHosts.size);
    for (const h of hosts) {
      if (out.length >= limit) break;
      if (busyHosts.has(h.host)) continue;
      const row = this.st.headOfHost.get(h.host, now, h.robots_kind === null ? 0 : 1);
      if (!row && h.robots_kind === null && this.st.openRobots.get(h.host) === undefined) {
        // Its robots.txt task ended without an answer (attempts used up): the host's pages are now
        // leased and blocked as "robots.txt unreachable" instead of waiting for ever.
        this.st.setRobots.run("unreachable", "", null, this.iso(), h.host);
        continue;
      }
      if (!row || row.kind !== kind) {
        // Nothing eligible now: the host sleeps until its earliest pending task, or idles.
        const t = this.st.earliestOfHost.get(h.host)?.t ?? null;
        if (t === null) this.st.idleHost.run(h.host);
        else if (t > now) this.st.deferHost.run(t, h.host);
        continue;
      }
      this.st.leaseTask.run(this.owner, now + this.leaseMs, this.iso(), row.id);
      out.push({
        id: row.id,
        kind: row.kind,
        dedupeKey: row.dedupe_key,
        hostKey: row.host,
        attempts: row.attempts + 1,
        maxAttempts: row.max_attempts,
        data: JSON.parse(row.data) as FetchTaskData,
      });
    }
    return out;
  }

  release(id: number, notBefore: number): void {
    this.st.release.run(notBefore, this.iso(), id);
  }

  retry(id: number, notBefore: number, error: string, outcome = "gave-up"): TaskState {
    const row = this.st.attemptsOf.get(id);
    if (!row) return "failed";
    if (row.attempts >= row.max_attempts) {
      this.complete(id, {
        state: "failed",
        outcome,
        error: `${error} (after ${row.attempts} attempts)`,
      });
      return "failed";
    }
    this.st.retry.run(notBefore, error, this.iso(), id);
    this.st.hostHasWork.run(row.host);
    return "pending";
  }

  complete(id: number, o: TaskOutcome): void {
    this.st.complete.run({
      id,
      state: o.state,
      outcome: o.outcome,
      httpStatus: o.httpStatus ?? null,
      sha256: o.sha256 ?? null,
      contentType: o.contentType ?? null,
      etag: o.etag ?? null,
      lastModified: o.lastModified ?? null,
      fetchedAt: o.fetchedAt ?? null,
      reportId: o.reportId ?? null,
      error: o.error ?? null,
      at: this.iso(),
    });
  }

  /**
   * Makes tasks leased by an earlier process (killed, crashed) or by an expired lease pending
   * again. The SQLite frontier serves one crawler process at a time (`crawl` holds a lock file),
   * so every lease not owned by this process is stale.
   */
  reclaim(): number {
    const n = this.st.reclaim.run(this.iso(), this.now(), this.owner).changes;
    this.st.allHostsWork.run();
    return n;
  }

  /**
   * Starts a new pass over known sites (the April pass after the February one): navigation and
   * list pages, robots.txt and everything that failed for a transient reason become pending again.
   * Their validators (ETag, Last-Modified) and last bytes stay, so unchanged pages answer 304.
   * Documents already fetched are not fetched again. Returns the tasks reopened.
   */
  reopenForNewPass(): number {
    const at = this.iso();
    const n = this.db
      .prepare(
        `UPDATE crawl_frontier SET state = 'pending', attempts = 0, not_before = 0, lease_owner = NULL, lease_until = NULL,
           error = NULL, updated_at = ?
         WHERE (state = 'done' AND role IN ('robots', 'entry', 'nav', 'list'))
            OR (state IN ('failed', 'blocked') AND outcome IN ('dead-host', 'gave-up', 'challenge', 'fault', 'robots', 'robots-unreachable', 'reset', 'timeout-total', 'timeout-idle', 'timeout-connect', 'connect', 'dns'))`,
      )
      .run(at).changes;
    this.db.prepare("UPDATE crawl_hosts SET state = 'ok', failures = 0, next_at = 0, has_work = 1").run();
    return n;
  }

  nextEligible(): number | null {
    return this.st.nextEligible.get()?.t ?? null;
  }

  counts(): Record<TaskState, number> {
    const out: Record<TaskState, number> = { pending: 0, leased: 0, done: 0, failed: 0, blocked: 0 };
    for (const r of this.st.counts.all()) out[r.state] = r.n;
    return out;
  }

  // ------------------------------------------------------------ hosts

  host(host: string): HostRow | undefined {
    return this.st.host.get(host);
  }

  setRobots(host: string, kind: string, text: string, crawlDelayMs: number | null): void {
    this.st.setRobots.run(kind, text, crawlDelayMs, this.iso(), host);
  }

  /** The politeness gate: no request to `host` before `at` (epoch ms). */
  deferHost(host: string, at: number): void {
    this.st.deferHost.run(at, host);
  }

  /** Counts a connection-level failure; returns the consecutive failures so far. */
  hostFailed(host: string): number {
    const r = this.st.hostFailure.get(host) as { failures: number } | undefined;
    return r?.failures ?? 0;
  }

  hostAnswered(host: string): void {
    this.st.hostAnswered.run(host);
  }

  noteHost(host: string, note: string): void {
    this.st.hostNote.run(note, host, note);
  }

  /** Parks a host (dead, or behind an anti-bot challenge): its open tasks end with `outcome`. */
  parkHost(
    host: string,
    state: "dead" | "challenge",
    taskState: "failed" | "blocked",
    outcome: string,
    error: string,
  ): void {
    this.st.parkHost.run(state, host);
    this.st.parkTasks.run(taskState, outcome, error, this.iso(), host);
  }

  task(id: number) {
    return this.st.taskById.get(id);
  }

  /** Another completed task that fetched exactly these bytes (content dedupe). */
  sameContent(sha256: string, id: number): { id: number; url: string } | undefined {
    return this.st.doneWithSha.get(sha256, id);
  }

  recordFetch(r: {
    frontierId: number;
    url: string;
    method: string;
    status: number | null;
    headers: string | null;
    sha256: string | null;
    size: number | null;
    startedAt: string;
    fetchedAt: string;
    error: string | null;
  }): void {
    this.st.recordFetch.run(r);
  }

  /** URLs ever admitted for a host (the per-host budget). */
  urlsOfHost(host: string): number {
    return this.st.urlsOfHost.get(host)?.n ?? 0;
  }

  /** The agency a task's document turned out to belong to. */
  setAgency(id: number, agencyId: number | null): void {
    this.st.setAgency.run(agencyId, id);
  }

  /** Tasks completed with `outcome` (e.g. pages still waiting for their pictures). */
  withOutcome(outcome: string): number[] {
    return this.st.withOutcome.all(outcome).map((r) => r.id);
  }

  /** What a completed task fetched, for reading its bytes again. */
  fetched(id: number) {
    return this.st.pageRow.get(id);
  }

  /** Children of `id` in `role` still to be fetched. */
  openChildren(id: number, role: FrontierRole): number {
    return this.st.openChildren.get(id, role)?.n ?? 0;
  }

  /** Children of `id` in `role` fetched, with the sha256 of their bytes. */
  doneChildren(id: number, role: FrontierRole): { url: string; sha256: string }[] {
    return this.st.doneChildren.all(id, role);
  }

  /**
   * Changes a completed task's outcome from `from` to `outcome` (a page read once its pictures
   * arrived); false when it no longer had `from` (another run got there first).
   */
  resettle(
    id: number,
    from: string,
    outcome: string,
    reportId: number | null,
    error: string | null,
  ): boolean {
    return this.st.resettle.run(outcome, reportId, error, this.iso(), id, from).changes > 0;
  }

  recordOffsite(url: string, text: string, foundOn: string, agencyId: number | null, reason: string): void {
    this.st.offsite.run(url, text, foundOn, agencyId, reason);
  }
}
