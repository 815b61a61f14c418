/**
 * The `cells` export: one row per current report, one column per cell path (columns.ts).
 * One query for the reports (small), one for their cells in report order; a merge assembles each
 * report's row as the cell cursor moves, so the work is linear and one row is held at a time.
 * (A single reports⋈cells query would repeat the eight report columns on every cell row, which
 * costs more than the second query.)
 */
import type Database from "better-sqlite3";
import { CELL_COLUMNS, cellColumnNotes, cellColumnSpecs, REPORT_COLUMNS } from "./columns.js";
import { FILTER_SQL, type FilterParams } from "./source.js";
import type { Table, Value } from "./table.js";

const REPORTS = `SELECT r.id, r.organ, r.year, r.template, r.t3_template, r.status, r.locator, r.sha256
  FROM reports r
  WHERE r.is_current = 1 AND ${FILTER_SQL}
  ORDER BY r.id`;

const CELLS = `SELECT c.report_id, c.path, c.value, c.value_text
  FROM reports r JOIN cells c ON c.report_id = r.id
  WHERE r.is_current = 1 AND ${FILTER_SQL}
  ORDER BY r.id`;

type ReportRow = [
  id: number,
  organ: string | null,
  year: number | null,
  template: string | null,
  t3Template: string | null,
  status: string,
  locator: string,
  sha256: string,
];
type CellRow = [reportId: number, path: string, value: number | null, valueText: string | null];

function* wideRows(db: Database.Database, params: FilterParams): Generator<Value[]> {
  const first = REPORT_COLUMNS.length;
  const width = first + CELL_COLUMNS.length;
  const slot = new Map(CELL_COLUMNS.map((c, i) => [c.path, first + i]));
  // Money keeps its exact decimal text; everything else is the stored number.
  const exact = new Set(CELL_COLUMNS.filter((c) => c.kind === "money").map((c) => c.path));
  const reports = db.prepare<FilterParams, ReportRow>(REPORTS).raw(true).all(params);
  const start = (r: ReportRow): Value[] => {
    const row: Value[] = [...r];
    row.length = width;
    return row.fill(null, first);
  };
  let next = 0;
  let row: Value[] | null = null;
  let rowId = -1;
  for (const [reportId, path, value, valueText] of db
    .prepare<FilterParams, CellRow>(CELLS)
    .raw(true)
    .iterate(params)) {
    // Both cursors are in id order: emit every report up to this cell's (including cell-less ones).
    while (reportId !== rowId) {
      if (row) yield row;
      const r = reports[next++];
      if (!r) return; // unreachable: every cell's report is in the list
      row = start(r);
      rowId = r[0];
    }
    const i = slot.get(path);
    if (i !== undefined && row) row[i] = exact.has(path) ? valueText : value;
  }
  if (row) yield row;
  for (; next < reports.length; next++) {
    const r = reports[next];
    if (r) yield start(r);
  }
}

export function cellsTable(db: Database.Database, params: FilterParams): Table {
  return { sheet: "cells", columns: cellColumnSpecs(), rows: wideRows(db, params), notes: cellColumnNotes() };
}
