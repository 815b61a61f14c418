/**
 * Query-string parsing shared by pages and API, so both accept and reject exactly the same input.
 * Malformed values are a 400 (`bad_param`), never a silent default: a typo in a shared URL
 * should say so instead of showing unfiltered data. Empty values count as absent because HTML
 * forms submit every field, filled or not.
 */

import type { RunStatus } from "../store/store.js";
import { badParam } from "./errors.js";
import type { CompletionFilter } from "./pages/completion.js";

export const TEMPLATES = ["v2019", "v2021", "v2021-collapsed-other", "hybrid", "legacy"] as const;
export type TemplateParam = (typeof TEMPLATES)[number];
export const STATUSES = ["ok", "partial", "failed"] as const satisfies readonly RunStatus[];
export const SEVERITIES = ["error", "warning", "info"] as const;
export const ORIGINS = ["source", "extraction"] as const;
export const CROSS_RULES = ["T3.X1", "T2.X1", "D.R6"] as const;

export const MAX_PER_PAGE = 200;
export const DEFAULT_PER_PAGE = 50;
const MAX_PAGE = 1_000_000;

/** Control characters other than tab and line breaks never belong in a filter. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

export class Params {
  private readonly sp: URLSearchParams;

  constructor(url: string) {
    // URLSearchParams never throws on bad percent-encoding (it substitutes U+FFFD).
    this.sp = new URL(url).searchParams;
  }

  /** Trimmed value, or undefined when absent or empty. */
  str(name: string, maxChars = 100): string | undefined {
    const all = this.sp.getAll(name);
    if (all.length > 1) throw badParam(`参数 ${name} 出现了多次 (${name} given more than once)`);
    const v = all[0]?.trim();
    if (v === undefined || v === "") return undefined;
    if (Array.from(v).length > maxChars)
      throw badParam(`参数 ${name} 过长，最多 ${maxChars} 个字符 (${name} is too long)`);
    if (hasControl(v)) throw badParam(`参数 ${name} 含有控制字符 (${name} has control characters)`);
    return v;
  }

  int(name: string, min: number, max: number): number | undefined {
    const v = this.str(name, 20);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw badParam(`参数 ${name} 必须是整数 (${name} must be an integer): ${v}`);
    const n = Number(v);
    if (n < min || n > max)
      throw badParam(`参数 ${name} 必须在 ${min} 到 ${max} 之间 (${name} out of range): ${v}`);
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.str(name, 40);
    if (v === undefined) return undefined;
    const hit = values.find((x) => x === v);
    if (hit === undefined)
      throw badParam(`参数 ${name} 只能是 ${values.join(" / ")} (${name} must be one of them): ${v}`);
    return hit;
  }

  /** Every parameter in order, for building page links that keep the current filters. */
  entries(): [string, string][] {
    return [...this.sp.entries()];
  }
}

export interface ReportFilter {
  year?: number;
  organ?: string;
  template?: TemplateParam;
}

export interface ReportListFilter extends ReportFilter {
  status?: RunStatus;
}

export interface FindingFilter extends ReportFilter {
  rule?: string;
  severity?: (typeof SEVERITIES)[number];
  origin?: (typeof ORIGINS)[number];
  report?: number;
}

export interface CrossFilter {
  year?: number;
  organ?: string;
  rule?: (typeof CROSS_RULES)[number];
}

export interface Paging {
  page: number;
  perPage: number;
}

/** Drops undefined members so filters compare and serialise cleanly (cache keys, links). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function reportFilter(p: Params): ReportFilter {
  return defined({
    year: p.int("year", 1990, 2100),
    organ: p.str("organ"),
    template: p.oneOf("template", TEMPLATES),
  });
}

export function reportListFilter(p: Params): ReportListFilter {
  return defined({ ...reportFilter(p), status: p.oneOf("status", STATUSES) });
}

export function findingFilter(p: Params): FindingFilter {
  const rule = p.str("rule", 40);
  if (rule !== undefined && !/^[A-Za-z0-9_.]+$/.test(rule))
    throw badParam(`参数 rule 不是规则编号 (rule is not a rule id): ${rule}`);
  return defined({
    ...reportFilter(p),
    rule,
    severity: p.oneOf("severity", SEVERITIES),
    origin: p.oneOf("origin", ORIGINS),
    report: p.int("report", 1, Number.MAX_SAFE_INTEGER),
  });
}

export function crossFilter(p: Params): CrossFilter {
  return defined({
    year: p.int("year", 1990, 2100),
    organ: p.str("organ"),
    rule: p.oneOf("rule", CROSS_RULES),
  });
}

export function paging(p: Params, perPageDefault = DEFAULT_PER_PAGE): Paging {
  return {
    page: p.int("page", 1, MAX_PAGE) ?? 1,
    perPage: p.int("per_page", 1, MAX_PER_PAGE) ?? perPageDefault,
  };
}

/** Search terms: the `q` parameter split on whitespace, duplicates dropped; at least one required. */
export function searchTerms(p: Params, required: boolean): string[] {
  const q = p.str("q", 200);
  if (q === undefined) {
    if (required) throw badParam("缺少检索词 q (q is required)");
    return [];
  }
  const terms = [...new Set(q.split(/\s+/).filter((t) => t !== ""))];
  if (terms.length > 10) throw badParam("检索词最多 10 个 (at most 10 terms)");
  return terms;
}

/** A report id from the path: a positive decimal integer, nothing else. */
export function reportId(raw: string | undefined): number {
  if (raw === undefined || !/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw badParam(`报告编号必须是正整数 (report id must be a positive integer)`);
  return Number(raw);
}

/** `/completion` filters: year, status (found / not-found / blocked / failed), agency name part, late only. */
export function completionFilter(p: Params): CompletionFilter {
  const year = p.int("year", 1990, 2100);
  const status = p.oneOf("status", ["found", "not-found", "blocked", "failed"] as const);
  const agency = p.str("agency");
  const late = p.oneOf("late", ["0", "1"] as const);
  return {
    ...(year !== undefined ? { year } : {}),
    ...(status ? { status } : {}),
    ...(agency ? { agency } : {}),
    ...(late !== undefined ? { late: late === "1" } : {}),
  };
}
