/**
 * The completion report: for every catalogue agency and every year asked about, whether its
 * annual report was found (where, published when, against which deadline), blocked (robots.txt,
 * anti-bot challenge), failed (dead host, errors) or not found although the site was crawled.
 * These rows are also the audit's late and missing-report findings.
 */
import type Database from "better-sqlite3";
import { organLevel, publicationDeadline } from "../pipeline/validate.js";

export type CompletionStatus = "found" | "not-found" | "blocked" | "failed";

export interface CompletionRow {
  agencyId: number;
  siteCode: string | null;
  agency: string;
  level: "department" | "government" | null;
  region: string | null;
  year: number;
  status: CompletionStatus;
  /** Why blocked / failed / not found. */
  reason: string | null;
  /** The report document's URL (after redirects) and the URL the site linked. */
  url: string | null;
  linkedAs: string | null;
  reportId: number | null;
  /** Extraction outcome of the document (ok / partial / failed). */
  extraction: string | null;
  publishedAt: string | null;
  /** Art. 49: departments by 31 January, governments by 31 March of the next year (spec §1.2). */
  deadline: string | null;
  late: boolean | null;
}

/** Years of the latest crawl pass, or null when the database was never crawled. */
export function lastPassYears(db: Database.Database): number[] | null {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'crawl_passes'").get();
  if (!has) return null;
  const last = db.prepare("SELECT years FROM crawl_passes ORDER BY id DESC LIMIT 1").get() as
    | { years: string }
    | undefined;
  if (last) return JSON.parse(last.years) as number[];
  // Crawled without a recorded pass (the Crawler used as a library): the years its report links name.
  const years = db
    .prepare<[], { y: number }>(
      `SELECT DISTINCT json_extract(data, '$.yearHint') AS y FROM crawl_frontier
       WHERE role = 'report' AND json_extract(data, '$.yearHint') IS NOT NULL ORDER BY y`,
    )
    .all()
    .map((r) => r.y);
  return years.length > 0 ? years : null;
}

interface AgencyRow {
  id: number;
  site_code: string | null;
  name: string;
  region: string | null;
  level: "department" | "government" | null;
  host: string;
  host_state: string | null;
}

interface DocRow {
  agency_id: number;
  role: string;
  url: string;
  linked_as: string | null;
  year_hint: number | null;
  report_id: number | null;
  r_year: number | null;
  published_at: string | null;
  listed_date: string | null;
  r_status: string | null;
  run_status: string | null;
}

interface TroubleRow {
  agency_id: number;
  role: string;
  state: string;
  outcome: string | null;
  error: string | null;
  year_hint: number | null;
  host_state: string;
}

const ROLE_RANK: Record<string, number> = { report: 0, attachment: 1 };
const STATUS_RANK: Record<string, number> = { ok: 0, partial: 1, failed: 2 };

export function completionReport(db: Database.Database, years: readonly number[]): CompletionRow[] {
  const agencies = db
    .prepare<[], AgencyRow>(
      `SELECT a.id, a.site_code, a.name, a.region, a.level, a.host, h.state AS host_state
       FROM crawl_agencies a LEFT JOIN crawl_hosts h ON h.host = a.host ORDER BY a.id`,
    )
    .all();
  const docs = db
    .prepare<[], DocRow>(
      `SELECT f.agency_id, f.role, f.url, json_extract(f.data, '$.linkedAs') AS linked_as,
              json_extract(f.data, '$.yearHint') AS year_hint, json_extract(f.data, '$.listedDate') AS listed_date, f.report_id,
              r.year AS r_year, r.published_at, r.status AS r_status, x.status AS run_status
       FROM crawl_frontier f
       LEFT JOIN reports r ON r.id = f.report_id
       LEFT JOIN extraction_runs x ON x.sha256 = f.sha256
       WHERE f.state = 'done' AND f.role IN ('report', 'attachment') AND f.agency_id IS NOT NULL
         AND f.outcome LIKE 'document-%'`,
    )
    .all();
  const troubles = db
    .prepare<[], TroubleRow>(
      `SELECT f.agency_id, f.role, f.state, f.outcome, f.error, json_extract(f.data, '$.yearHint') AS year_hint, h.state AS host_state
       FROM crawl_frontier f JOIN crawl_hosts h ON h.host = f.host
       WHERE f.agency_id IS NOT NULL AND f.state IN ('blocked', 'failed', 'pending', 'leased')
         AND f.role IN ('entry', 'nav', 'list', 'report')`,
    )
    .all();

  const docsBy = new Map<number, DocRow[]>();
  for (const d of docs) {
    const list = docsBy.get(d.agency_id) ?? [];
    list.push(d);
    docsBy.set(d.agency_id, list);
  }
  const troubleBy = new Map<number, TroubleRow[]>();
  for (const t of troubles) {
    const list = troubleBy.get(t.agency_id) ?? [];
    list.push(t);
    troubleBy.set(t.agency_id, list);
  }

  const out: CompletionRow[] = [];
  for (const a of agencies) {
    const level = a.level ?? organLevel(a.name);
    const mine = docsBy.get(a.id) ?? [];
    const trouble = troubleBy.get(a.id) ?? [];
    for (const year of years) {
      const deadline = level ? publicationDeadline(level, year) : null;
      const row: CompletionRow = {
        agencyId: a.id,
        siteCode: a.site_code,
        agency: a.name,
        level,
        region: a.region,
        year,
        status: "not-found",
        reason: null,
        url: null,
        linkedAs: null,
        reportId: null,
        extraction: null,
        publishedAt: null,
        deadline,
        late: null,
      };
      // The year the site files the document under (the link's title; an attachment inherits its
      // page's), else the year the document states.
      const candidates = mine
        .filter((d) => (d.year_hint ?? d.r_year) === year)
        .sort(
          (x, y) =>
            (ROLE_RANK[x.role] ?? 9) - (ROLE_RANK[y.role] ?? 9) ||
            (STATUS_RANK[x.r_status ?? x.run_status ?? "failed"] ?? 9) -
              (STATUS_RANK[y.r_status ?? y.run_status ?? "failed"] ?? 9),
        );
      const best = candidates[0];
      if (best) {
        row.status = "found";
        row.url = best.url;
        row.linkedAs = best.linked_as ?? best.url;
        row.reportId = best.report_id;
        row.extraction = best.r_status ?? best.run_status;
        // When the site published it: the date it lists beside the link (or the page's PubDate, which
        // extraction reads), before a date printed inside a file, which is often its signing date.
        const pub = candidates.map((c) => c.listed_date ?? c.published_at).find((p) => p !== null) ?? null;
        row.publishedAt = pub;
        row.late = pub && deadline ? pub.slice(0, 10) > deadline : null;
        out.push(row);
        continue;
      }
      const hostState = a.host_state ?? trouble[0]?.host_state ?? "ok";
      const dead = hostState === "dead" || trouble.some((t) => t.outcome === "dead-host");
      const challenge = hostState === "challenge" || trouble.some((t) => t.outcome === "challenge");
      const robots = trouble.find(
        (t) =>
          t.state === "blocked" &&
          (t.outcome === "robots" || t.outcome === "robots-unreachable") &&
          (t.year_hint === null || t.year_hint === year),
      );
      const failedLink = trouble.find(
        (t) => t.state === "failed" && t.role === "report" && t.year_hint === year,
      );
      const failedPath = trouble.find(
        (t) => t.state === "failed" && t.role !== "report" && !/^http-4/.test(t.outcome ?? ""),
      );
      const unfinished = trouble.find((t) => t.state === "pending" || t.state === "leased");
      if (dead) {
        row.status = "failed";
        row.reason = "dead host (connection failures)";
      } else if (challenge) {
        row.status = "blocked";
        row.reason = "anti-bot challenge page";
      } else if (robots) {
        row.status = "blocked";
        row.reason =
          robots.outcome === "robots-unreachable"
            ? "robots.txt unreachable (server errors): not crawled"
            : "robots.txt disallows the report column or page";
      } else if (failedLink) {
        row.status = "failed";
        row.reason = `report link failed: ${failedLink.error ?? failedLink.outcome}`;
      } else if (failedPath) {
        row.status = "failed";
        row.reason = `${failedPath.role} page failed: ${failedPath.error ?? failedPath.outcome}`;
      } else if (unfinished) {
        row.status = "failed";
        row.reason = "crawl not finished";
      } else {
        row.reason = "no report for this year on the crawled site";
      }
      out.push(row);
    }
  }
  return out;
}
