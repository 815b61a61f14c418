/**
 * Database access for exports. Exports read through their own read-only connection to the store's
 * file, because they must iterate rows one at a time (`Store.query` returns every row as an object
 * at once: two million cell rows for 10k reports). The connection is private to one export, so a
 * statement may stay open while an async writer awaits between rows.
 */
import Database from "better-sqlite3";
import { TemplateIdSchema } from "../model/report.js";
import type { Store } from "../store/store.js";
import { ExportError } from "./table.js";

export interface ExportFilter {
  year?: number;
  /** Substring of the organ name (as in `audit --organ`). */
  organ?: string;
  /** Exact template id of the report (`reports.template`). */
  template?: string;
}

/** Named parameters of FILTER_SQL; null = no filter, so one statement serves every combination. */
export interface FilterParams {
  year: number | null;
  organ: string | null;
  template: string | null;
}

/** Conditions on `reports r` (or a view aliased r) matching a FilterParams. */
export const FILTER_SQL = `(@year IS NULL OR r.year = @year)
  AND (@organ IS NULL OR instr(r.organ, @organ) > 0)
  AND (@template IS NULL OR r.template = @template)`;

const TEMPLATES: readonly string[] = TemplateIdSchema.options;

/** Checks a filter (it may come from a URL) and turns it into statement parameters. */
export function filterParams(filter: ExportFilter): FilterParams {
  const { year, organ, template } = filter;
  if (year !== undefined && !Number.isInteger(year)) {
    throw new ExportError(`年度必须是整数：${String(year)} (year must be an integer)`);
  }
  if (template !== undefined && template !== "" && !TEMPLATES.includes(template)) {
    throw new ExportError(
      `未知的模板：${template}，可选 ${TEMPLATES.join("、")} (unknown template; one of ${TEMPLATES.join(", ")})`,
    );
  }
  // An empty string means "no filter" (a blank form field), not "organ contains nothing".
  return {
    year: year ?? null,
    organ: organ === undefined || organ === "" ? null : organ,
    template: template === undefined || template === "" ? null : template,
  };
}

/** Runs `fn` with a read-only connection to the store's file, closed afterwards whatever happens. */
export async function withReader<T>(store: Store, fn: (db: Database.Database) => Promise<T> | T): Promise<T> {
  if (store.path === ":memory:" || store.path === "") {
    throw new ExportError("导出需要数据库文件，不能用内存数据库 (export needs a file-backed store)");
  }
  const db = new Database(store.path, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    db.pragma("query_only = ON");
    // One read transaction: every query of the export sees the same snapshot (WAL), even while
    // ingest writes; closing the connection ends it.
    db.exec("BEGIN");
    return await fn(db);
  } finally {
    db.close();
  }
}
