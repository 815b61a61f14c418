/**
 * Grids → canonical cells. The one mapper every backend feeds: rows are zoned into tables by
 * anchors, each table is mapped by its template, and the template of each table is recorded.
 */
import type { Grid } from "../model/grid.js";
import type { Cell, ExtraRow, Finding, ReportMeta } from "../model/report.js";
import { zoneRows } from "./map-rows.js";
import { detectT2Template, mapT2, mapT4 } from "./map-t2-t4.js";
import { mapT3 } from "./map-t3.js";

export interface MappedTables {
  cells: Record<string, Cell>;
  templates: ReportMeta["templates"];
  extraRows: ExtraRow[];
  findings: Finding[];
  found: { t2: boolean; t3: boolean; t4: boolean };
  t3RowsPrinted: number;
}

export function mapTables(grids: Grid[], yearHint: number | null): MappedTables {
  const zones = zoneRows(grids);
  const t2Detected = detectT2Template(zones.t2);
  const t2Template = t2Detected ?? (yearHint !== null && yearHint <= 2020 ? "v2019" : "v2021");
  const t2 = mapT2(zones.t2, t2Template);
  const preferSplit = t2Template === "v2021" || (yearHint ?? 2021) >= 2021;
  const t3 = mapT3(zones.t3, preferSplit);
  const t4 = mapT4(zones.t4);

  const t3Template = !t3.found
    ? null
    : !t3.collapsedOther
      ? "v2021"
      : t2Template === "v2021" && (t2.found || (yearHint ?? 0) >= 2021)
        ? "v2021-collapsed-other"
        : "v2019";
  return {
    cells: { ...(t2.found ? t2.cells : {}), ...(t3.found ? t3.cells : {}), ...(t4.found ? t4.cells : {}) },
    templates: {
      t2: t2.found ? t2Template : null,
      t3: t3Template,
      // Table 4 is identical in both templates; it carries the current template's id.
      t4: t4.found ? "v2021" : null,
    },
    extraRows: [...t2.extraRows, ...t3.extraRows, ...t4.extraRows],
    findings: [...t2.findings, ...t3.findings, ...t4.findings],
    found: { t2: t2.found, t3: t3.found, t4: t4.found },
    t3RowsPrinted: t3.rowsPrinted,
  };
}
