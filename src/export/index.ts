/**
 * Exports of the store for spreadsheets and scripts (used by `nianbao export` and the web server).
 *
 *   kind      csv / xlsx                               jsonl
 *   cells     wide table: a row per report, a column   — (use reports: cells are nested there)
 *             per cell path (columns.ts)
 *   findings  a row per finding (incl. cross-year)     an object per finding, `paths` as an array
 *   reports   summary table: a row per report          the `extract --json` contract per report
 *
 * Only current reports are exported (as in `audit`), ordered by report id.
 */
import type Database from "better-sqlite3";
import type { Store } from "../store/store.js";
import { cellsTable } from "./cells.js";
import { writeCsv } from "./csv.js";
import { findingRecords, findingsTable } from "./findings.js";
import { contractObjects, reportIds, reportsTable } from "./reports.js";
import { type ExportFilter, type FilterParams, filterParams, withReader } from "./source.js";
import { ExportError, type Table } from "./table.js";
import { writeXlsx } from "./xlsx.js";

export type { ExportFilter } from "./source.js";
export { ExportError } from "./table.js";

export type ExportKind = "cells" | "findings" | "reports";
export type ExportFormat = "csv" | "xlsx" | "jsonl";

export interface ExportResult {
  contentType: string;
  /** Suggested file name (ASCII, safe for Content-Disposition). */
  filename: string;
  body: Buffer;
}

export const EXPORT_KINDS: readonly ExportKind[] = ["cells", "findings", "reports"];
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "xlsx", "jsonl"];

const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  jsonl: "application/x-ndjson; charset=utf-8",
};

/** The default kind for a format, as the CLI documents it. */
export function defaultKind(format: ExportFormat): ExportKind {
  return format === "jsonl" ? "reports" : "cells";
}

function check(kind: string, format: string): void {
  // Both may come straight from a URL or the command line, whatever the static types say.
  if (!(EXPORT_KINDS as readonly string[]).includes(kind)) {
    throw new ExportError(
      `未知的导出内容：${kind}，可选 ${EXPORT_KINDS.join("、")} (unknown kind; one of ${EXPORT_KINDS.join(", ")})`,
    );
  }
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ExportError(
      `未知的导出格式：${format}，可选 ${EXPORT_FORMATS.join("、")} (unknown format; one of ${EXPORT_FORMATS.join(", ")})`,
    );
  }
  if (kind === "cells" && format === "jsonl") {
    throw new ExportError(
      "统计表宽表不能导出为 JSON Lines，请用 csv 或 xlsx；JSON Lines 的报告（reports）已含全部单元格 " +
        "(cells cannot be exported as JSON Lines: use csv or xlsx, or kind reports, whose lines hold every cell)",
    );
  }
}

export function exportFilename(kind: ExportKind, format: ExportFormat, filter: ExportFilter = {}): string {
  // The organ is left out: file names stay ASCII for Content-Disposition and every file system.
  const parts = ["nianbao", kind];
  if (filter.year !== undefined) parts.push(String(filter.year));
  if (filter.template) parts.push(filter.template);
  return `${parts.join("-")}.${format}`;
}

function jsonLines(objects: Iterable<object>): Buffer {
  const chunks: Buffer[] = [];
  for (const o of objects) chunks.push(Buffer.from(`${JSON.stringify(o)}\n`, "utf8"));
  return Buffer.concat(chunks);
}

function table(kind: ExportKind, store: Store, db: Database.Database, p: FilterParams): Table {
  if (kind === "cells") return cellsTable(db, p);
  if (kind === "findings") return findingsTable(store, db, p);
  return reportsTable(db, p);
}

/**
 * One export as bytes. Throws ExportError (a plain Error with a Chinese and English message) for
 * an unknown kind or format, an unsupported combination or a bad filter.
 */
export async function exportData(
  store: Store,
  kind: "cells" | "findings" | "reports",
  format: "csv" | "xlsx" | "jsonl",
  filter: { year?: number; organ?: string; template?: string },
): Promise<{ contentType: string; filename: string; body: Buffer }> {
  check(kind, format);
  const params = filterParams(filter);
  const body = await withReader(store, async (db) => {
    if (format === "jsonl") {
      return kind === "reports"
        ? jsonLines(contractObjects(store, reportIds(db, params)))
        : jsonLines(findingRecords(store, db, params));
    }
    const t = table(kind, store, db, params);
    return format === "csv" ? writeCsv(t) : await writeXlsx(t);
  });
  return { contentType: CONTENT_TYPE[format], filename: exportFilename(kind, format, filter), body };
}
