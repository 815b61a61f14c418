/**
 * The agency catalogue: who must publish a report, at what level, and where their site starts.
 * Imported from CSV or JSON (网站标识码, agency name, region code, level, host or entry URL) or
 * made from bare URLs on the command line. Keyed by agency; several agencies may share a host.
 */
import type Database from "better-sqlite3";
import { z } from "zod";
import { canonicalUrl, hostOf } from "./url.js";

export type AgencyLevel = "department" | "government";

export interface Seed {
  siteCode: string | null;
  name: string;
  region: string | null;
  level: AgencyLevel | null;
  entryUrl: string;
}

export interface Agency extends Seed {
  id: number;
  host: string;
}

/** Problems with individual catalogue lines: reported, the rest imported. */
export interface SeedIssue {
  line: number;
  message: string;
}

const HEADER_ALIASES: Record<string, keyof Seed> = {
  sitecode: "siteCode",
  site_code: "siteCode",
  网站标识码: "siteCode",
  agency: "name",
  name: "name",
  机构: "name",
  机关: "name",
  单位名称: "name",
  名称: "name",
  region: "region",
  地区: "region",
  区划代码: "region",
  行政区划代码: "region",
  level: "level",
  层级: "level",
  级别: "level",
  entryurl: "entryUrl",
  entry_url: "entryUrl",
  entry: "entryUrl",
  url: "entryUrl",
  host: "entryUrl",
  网址: "entryUrl",
  域名: "entryUrl",
  首页: "entryUrl",
};

function levelOf(raw: string | null | undefined): AgencyLevel | null | "bad" {
  const v = (raw ?? "").trim().toLowerCase();
  if (!v) return null;
  if (["department", "dept", "部门", "政府部门", "工作部门"].includes(v)) return "department";
  if (["government", "gov", "政府", "人民政府", "本级政府"].includes(v)) return "government";
  return "bad";
}

function entryOf(raw: string): string | null {
  const v = raw.trim();
  if (!v) return null;
  return canonicalUrl(/^https?:\/\//i.test(v) ? v : `http://${v}/`);
}

/** RFC 4180 fields (quotes, doubled quotes, commas and newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

const JsonSeed = z.object({
  siteCode: z.string().nullish(),
  name: z.string().min(1),
  region: z.string().nullish(),
  level: z.string().nullish(),
  entryUrl: z.string().min(1),
});

function toSeed(
  raw: Partial<Record<keyof Seed, string | null | undefined>>,
  line: number,
  issues: SeedIssue[],
): Seed | null {
  const name = (raw.name ?? "").trim();
  const entry = entryOf(raw.entryUrl ?? "");
  const level = levelOf(raw.level);
  if (!name) issues.push({ line, message: "no agency name" });
  if (!entry) issues.push({ line, message: `not a host or URL: ${JSON.stringify(raw.entryUrl ?? "")}` });
  if (level === "bad")
    issues.push({ line, message: `unknown level ${JSON.stringify(raw.level)} (department or government)` });
  if (!name || !entry || level === "bad") return null;
  return {
    siteCode: raw.siteCode?.trim() || null,
    name,
    region: raw.region?.trim() || null,
    level,
    entryUrl: entry,
  };
}

/** Reads a catalogue file's text: JSON (an array of objects) when it starts with `[`, CSV otherwise. */
export function parseSeeds(text: string): { seeds: Seed[]; issues: SeedIssue[] } {
  const issues: SeedIssue[] = [];
  const seeds: Seed[] = [];
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  if (trimmed.startsWith("[")) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      return { seeds, issues: [{ line: 0, message: `not valid JSON: ${(err as Error).message}` }] };
    }
    (Array.isArray(data) ? data : []).forEach((item, i) => {
      const r = JsonSeed.safeParse(item);
      if (!r.success) {
        issues.push({
          line: i + 1,
          message: r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; "),
        });
        return;
      }
      const s = toSeed(r.data, i + 1, issues);
      if (s) seeds.push(s);
    });
    return { seeds, issues };
  }
  const rows = parseCsv(trimmed);
  const header = (rows[0] ?? []).map(
    (h) => HEADER_ALIASES[h.trim().toLowerCase()] ?? HEADER_ALIASES[h.trim()],
  );
  if (!header.includes("name") || !header.includes("entryUrl"))
    return {
      seeds,
      issues: [
        { line: 1, message: "header must name at least the agency (name) and its site (entryUrl/host)" },
      ],
    };
  rows.slice(1).forEach((r, i) => {
    const raw: Partial<Record<keyof Seed, string>> = {};
    header.forEach((key, k) => {
      if (key) raw[key] = r[k] ?? "";
    });
    const s = toSeed(raw, i + 2, issues);
    if (s) seeds.push(s);
  });
  return { seeds, issues };
}

/** A bare URL from the command line: the agency is named after its host until a report names it. */
export function seedFromUrl(url: string): Seed | null {
  const entry = entryOf(url);
  return entry ? { siteCode: null, name: hostOf(entry), region: null, level: null, entryUrl: entry } : null;
}

interface AgencyRow {
  id: number;
  site_code: string | null;
  name: string;
  region: string | null;
  level: AgencyLevel | null;
  entry_url: string;
  host: string;
}

const fromRow = (r: AgencyRow): Agency => ({
  id: r.id,
  siteCode: r.site_code,
  name: r.name,
  region: r.region,
  level: r.level,
  entryUrl: r.entry_url,
  host: r.host,
});

/** Adds (or updates by site code / name + entry) the seeds; returns them with their ids. */
export function upsertAgencies(db: Database.Database, seeds: readonly Seed[], at: string): Agency[] {
  const bySite = db.prepare<[string], AgencyRow>("SELECT * FROM crawl_agencies WHERE site_code = ?");
  const byName = db.prepare<[string, string], AgencyRow>(
    "SELECT * FROM crawl_agencies WHERE name = ? AND entry_url = ?",
  );
  const insert = db.prepare(
    "INSERT INTO crawl_agencies(site_code, name, region, level, entry_url, host, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const update = db.prepare(
    "UPDATE crawl_agencies SET name = ?, region = ?, level = ?, entry_url = ?, host = ? WHERE id = ?",
  );
  const get = db.prepare<[number], AgencyRow>("SELECT * FROM crawl_agencies WHERE id = ?");
  const out: Agency[] = [];
  db.transaction(() => {
    for (const s of seeds) {
      const host = hostOf(s.entryUrl);
      const existing = (s.siteCode ? bySite.get(s.siteCode) : undefined) ?? byName.get(s.name, s.entryUrl);
      let id: number;
      if (existing) {
        update.run(
          s.name,
          s.region ?? existing.region,
          s.level ?? existing.level,
          s.entryUrl,
          host,
          existing.id,
        );
        id = existing.id;
      } else {
        id = Number(insert.run(s.siteCode, s.name, s.region, s.level, s.entryUrl, host, at).lastInsertRowid);
      }
      const row = get.get(id);
      if (row) out.push(fromRow(row));
    }
  })();
  return out;
}

export function listAgencies(db: Database.Database): Agency[] {
  return db.prepare<[], AgencyRow>("SELECT * FROM crawl_agencies ORDER BY id").all().map(fromRow);
}
