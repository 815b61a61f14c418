/**
 * Full-text search over report sections. Every term is a substring match (like LIKE '%t%'),
 * answered by the cheapest exact index for its length:
 *  - 3+ characters → `sections_fts` (trigram), one phrase per term;
 *  - 2 Han characters → `sections_bigram`, a phrase of the term's bigrams;
 *  - anything else (1 character, 2 characters that are not both Han) → `instr` on the row.
 * Terms are ANDed; a term may occur in the heading or the text. Only current reports are searched.
 */
import type Database from "better-sqlite3";
import { bigramPhrase, isAllHan } from "./bigrams.js";
import { StoreError } from "./migrations.js";

export interface SearchOptions {
  /** Maximum hits (default 50); `Infinity` or 0 for all. */
  limit?: number;
  year?: number;
  /** Substring of the organ name. */
  organ?: string;
}

export interface SearchHit {
  reportId: number;
  sectionId: number;
  organ: string | null;
  year: number | null;
  sectionKey: string;
  heading: string;
  /** A window of the text around the first hit, every term occurrence marked as 【term】. */
  snippet: string;
}

type Route = "trigram" | "bigram" | "scan";

export function routeTerm(term: string): Route {
  const n = Array.from(term).length;
  if (n >= 3) return "trigram";
  if (n === 2 && isAllHan(term)) return "bigram";
  return "scan";
}

/** An FTS5 string literal: the whole term as one phrase, quotes doubled. */
function ftsLiteral(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

interface Plan {
  sql: string;
  params: (string | number | null)[];
}

/**
 * The conditions that select sections matching every term (aliases: `s` sections, `r` reports):
 * each term routed to the trigram index, the bigram index or a plain scan by `routeTerm`, ANDed.
 * Shared by the store's search and the web's paginated search, so both mean the same thing.
 */
export function termConditions(terms: readonly string[]): { where: string[]; params: string[] } {
  const trigram: string[] = [];
  const bigram: string[] = [];
  const scan: string[] = [];
  for (const t of terms) {
    const route = routeTerm(t);
    if (route === "trigram") trigram.push(ftsLiteral(t));
    else if (route === "bigram") bigram.push(bigramPhrase(t));
    else scan.push(t);
  }
  const where: string[] = [];
  const params: string[] = [];
  if (trigram.length > 0) {
    where.push("s.id IN (SELECT rowid FROM sections_fts WHERE sections_fts MATCH ?)");
    params.push(trigram.join(" AND "));
  }
  if (bigram.length > 0) {
    where.push("s.id IN (SELECT rowid FROM sections_bigram WHERE sections_bigram MATCH ?)");
    params.push(bigram.join(" AND "));
  }
  for (const t of scan) {
    where.push("(instr(s.heading, ?) > 0 OR instr(s.text, ?) > 0)");
    params.push(t, t);
  }
  return { where, params };
}

/** Build the SQL for a list of (already trimmed, non-empty) terms. Exported for tests. */
export function planSearch(terms: readonly string[], opts: SearchOptions): Plan {
  const conditions = termConditions(terms);
  const where = ["r.is_current = 1", ...conditions.where];
  const params: (string | number | null)[] = [...conditions.params];
  // Filters are always present (NULL = no filter) so one statement serves every filter combination.
  where.push("(? IS NULL OR r.year = ?)", "(? IS NULL OR instr(r.organ, ?) > 0)");
  const year = opts.year ?? null;
  const organ = opts.organ ?? null;
  params.push(year, year, organ, organ);
  const limit =
    opts.limit === undefined ? 50 : Number.isFinite(opts.limit) && opts.limit > 0 ? opts.limit : -1;
  params.push(Math.floor(limit));
  const sql = `SELECT s.id AS sectionId, s.report_id AS reportId, r.organ AS organ, r.year AS year,
      s.key AS sectionKey, s.heading AS heading, s.text AS text
    FROM sections s JOIN reports r ON r.id = s.report_id
    WHERE ${where.join("\n      AND ")}
    ORDER BY r.year DESC, r.organ, r.id, s.id
    LIMIT ?`;
  return { sql, params };
}

/** ASCII-only lower-casing keeps string length, so indexes found in the folded text stay valid. */
function foldAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Every [start, end) occurrence of any term, overlapping ones merged. */
function occurrences(text: string, terms: readonly string[]): [number, number][] {
  const hay = foldAscii(text);
  const spans: [number, number][] = [];
  for (const term of terms) {
    const needle = foldAscii(term);
    for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1))
      spans.push([i, i + needle.length]);
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

/** Move an index off the second half of a surrogate pair so slicing never splits a character. */
function onBoundary(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff ? i - 1 : i;
}

/**
 * A window of about `width` characters starting a little before the first occurrence of any term,
 * with every occurrence inside it wrapped in 【】 and whitespace collapsed. Returns null when no
 * term occurs in the text. Computed here rather than by FTS5 snippet() because hits come from two
 * indexes (and from plain scans) and trigram highlighting marks overlapping trigrams, not terms.
 */
export function snippet(text: string, terms: readonly string[], width = 80, before = 20): string | null {
  const spans = occurrences(text, terms);
  const first = spans[0];
  if (!first) return null;
  const start = onBoundary(text, Math.max(0, first[0] - before));
  const end = onBoundary(text, Math.min(text.length, Math.max(start + width, first[1])));
  let out = start > 0 ? "…" : "";
  let pos = start;
  for (const [a, b] of spans) {
    if (b <= start || a >= end) continue;
    const s = Math.max(a, start);
    const e = Math.min(b, end);
    out += text.slice(pos, s) + "【" + text.slice(s, e) + "】";
    pos = e;
  }
  out += text.slice(pos, end) + (end < text.length ? "…" : "");
  return out.replace(/\s+/g, " ").trim();
}

interface HitRow {
  sectionId: number;
  reportId: number;
  organ: string | null;
  year: number | null;
  sectionKey: string;
  heading: string;
  text: string;
}

/**
 * Runs searches, caching one prepared statement per query shape (which indexes, how many scanned
 * terms) so repeated searches do not re-prepare.
 */
export class SectionSearch {
  private readonly cache = new Map<string, Database.Statement<(string | number | null)[], HitRow>>();

  constructor(private readonly db: Database.Database) {}

  search(rawTerms: readonly string[], opts: SearchOptions = {}): SearchHit[] {
    const terms = [...new Set(rawTerms.map((t) => t.trim()).filter((t) => t !== ""))];
    if (terms.length === 0) throw new StoreError("search needs at least one non-empty term");
    const plan = planSearch(terms, opts);
    let stmt = this.cache.get(plan.sql);
    if (!stmt) {
      stmt = this.db.prepare<(string | number | null)[], HitRow>(plan.sql);
      this.cache.set(plan.sql, stmt);
    }
    return stmt.all(...plan.params).map((r) => ({
      reportId: r.reportId,
      sectionId: r.sectionId,
      organ: r.organ,
      year: r.year,
      sectionKey: r.sectionKey,
      heading: r.heading,
      snippet: snippet(r.text, terms) ?? snippet(r.heading, terms) ?? r.heading,
    }));
  }
}
