/**
 * The `extract --json` contract (stable; documented in README): one object with
 * `source`, `meta`, `status`, `problems`, `tables` {t2, t3, t4} nested as table → row key → column key → cell,
 * `findings`, `extra_rows`, `sections`, `preamble`, `needs_ocr`, `extractor`. Row keys may contain a dot
 * (`denied.state_secret`); the column key is always the last segment of a cell path.
 */
import type { Cell, Report } from "../model/report.js";

export const CONTRACT_VERSION = 1;

export type ContractTables = Record<"t2" | "t3" | "t4", Record<string, Record<string, Cell>>>;

export function nestCells(cells: Record<string, Cell>): ContractTables {
  const tables: ContractTables = { t2: {}, t3: {}, t4: {} };
  for (const [path, cell] of Object.entries(cells)) {
    const table = path.slice(0, 2) as keyof ContractTables;
    const col = path.slice(path.lastIndexOf(".") + 1);
    const row = path.slice(3, path.lastIndexOf("."));
    const t = tables[table];
    if (!t) continue;
    t[row] ??= {};
    t[row][col] = cell;
  }
  return tables;
}

export function toContractJson(report: Report) {
  return {
    contract_version: CONTRACT_VERSION,
    source: report.source,
    extractor: report.extractor,
    status: report.status,
    problems: report.problems,
    meta: report.meta,
    tables: nestCells(report.cells),
    findings: report.findings,
    extra_rows: report.extra_rows,
    sections: report.sections,
    preamble: report.preamble,
    needs_ocr: report.needs_ocr,
  };
}
