/** exportData against the store it reads: every value checked against `Store.getReport`. */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CELL_COLUMNS, REPORT_COLUMNS } from "../../src/export/columns.js";
import { csvField } from "../../src/export/csv.js";
import { ExportError, exportData } from "../../src/export/index.js";
import { decimalCell } from "../../src/export/xlsx.js";
import type { Cell } from "../../src/model/report.js";
import { toContractJson } from "../../src/pipeline/contract.js";
import {
  buildFixture,
  type Fixture,
  parseCsv,
  removeFixture,
  TRICKY_MESSAGE,
  TRICKY_ORGAN,
} from "./fixture.js";

let fx: Fixture;
beforeAll(async () => {
  fx = await buildFixture();
});
afterAll(() => removeFixture(fx));

/** exceljs declares its own `Buffer` (an ArrayBuffer); hand it a copy of the bytes as one. */
async function loadXlsx(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(body).buffer);
  return wb;
}

function csvRows(body: Buffer): { header: string[]; rows: Record<string, string>[] } {
  const text = body.toString("utf8");
  const [header, ...rest] = parseCsv(text.slice(1));
  if (!header) throw new Error("empty CSV");
  for (const r of rest) expect(r).toHaveLength(header.length);
  return { header, rows: rest.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""]))) };
}

/** The text a cell should export as: exact decimal for money, the number otherwise, empty for null. */
function expectedText(cell: Cell | undefined): string {
  if (!cell || cell.value === null) return "";
  return cell.decimal ?? String(cell.value);
}

describe("CSV encoding", () => {
  it("quotes per RFC 4180 only where needed", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvField(null)).toBe("");
    expect(csvField(-3)).toBe("-3");
  });

  it("starts with a BOM and ends every line with CRLF", async () => {
    const { body, contentType, filename } = await exportData(fx.store, "cells", "csv", {});
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(contentType).toBe("text/csv; charset=utf-8");
    expect(filename).toBe("nianbao-cells.csv");
    const text = body.toString("utf8");
    expect(text.endsWith("\r\n")).toBe(true);
    // parseCsv rejects any bare LF outside quotes.
    expect(() => parseCsv(text.slice(1))).not.toThrow();
  });
});

describe("cells export (wide)", () => {
  it("has the report columns, then every t2 path of both templates, every t3 and t4 path", async () => {
    const { header } = csvRows((await exportData(fx.store, "cells", "csv", {})).body);
    expect(header.slice(0, 8)).toEqual([
      "report_id",
      "organ",
      "year",
      "template",
      "t3_template",
      "status",
      "locator",
      "sha256",
    ]);
    expect(header).toHaveLength(8 + 29 + 26 * 7 + 15);
    expect(header).toEqual([...REPORT_COLUMNS.map((c) => c.key), ...CELL_COLUMNS.map((c) => c.path)]);
    for (const p of [
      "t2.normative_documents.in_force",
      "t2.central_procurement.amount",
      "t3.denied.state_secret.total",
      "t3.other.no_correction.natural_person",
      "t3.other.subtotal.total",
      "t4.litigation_after_review.pending",
    ]) {
      expect(header).toContain(p);
    }
    expect(new Set(header).size).toBe(header.length);
  });

  it("has one row per current report whose values equal the stored cells", async () => {
    const { rows } = csvRows((await exportData(fx.store, "cells", "csv", {})).body);
    const reports = fx.store.listReports();
    expect(rows.map((r) => Number(r.report_id)).sort((a, b) => a - b)).toEqual(
      reports.map((r) => r.id).sort((a, b) => a - b),
    );
    let compared = 0;
    for (const row of rows) {
      const id = Number(row.report_id);
      const stored = fx.store.getReport(id);
      expect(stored).not.toBeNull();
      expect(row.organ).toBe(stored?.summary.organ ?? "");
      expect(row.sha256).toBe(stored?.summary.sha256);
      for (const c of CELL_COLUMNS) {
        const text = row[c.path] ?? "";
        const cell = stored?.report.cells[c.path];
        expect(text, `${id} ${c.path}`).toBe(expectedText(cell));
        const value = cell?.value;
        if (value !== null && value !== undefined) {
          expect(Number(text)).toBe(value);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("keeps a comma, quote and line break in the organ, and money as exact decimal text", async () => {
    const { rows } = csvRows((await exportData(fx.store, "cells", "csv", {})).body);
    const tricky = rows.find((r) => Number(r.report_id) === fx.trickyId);
    expect(tricky?.organ).toBe(TRICKY_ORGAN);
    expect(tricky?.["t2.admin_fees.amount_wan_yuan"]).toBe("7730.28");
    // A v2021 report leaves the v2019-only columns empty.
    expect(tricky?.["t2.central_procurement.amount"]).toBe("");
    const decimal = rows.find((r) => Number(r.report_id) === fx.decimalId);
    expect(decimal?.["t2.central_procurement.amount"]).toBe("306040.50");
    expect(decimal?.["t2.admin_fees.amount_wan_yuan"]).toBe("");
  });

  it("applies the year, organ and template filters", async () => {
    const ids = async (filter: { year?: number; organ?: string; template?: string }) =>
      csvRows((await exportData(fx.store, "cells", "csv", filter)).body)
        .rows.map((r) => Number(r.report_id))
        .sort((a, b) => a - b);
    const all = fx.store.listReports();
    const expectIds = (pick: (r: (typeof all)[number]) => boolean) =>
      all
        .filter(pick)
        .map((r) => r.id)
        .sort((a, b) => a - b);

    const y2022 = await ids({ year: 2022 });
    expect(y2022.length).toBeGreaterThan(1);
    expect(y2022).toEqual(expectIds((r) => r.year === 2022));
    expect(await ids({ organ: "平潭" })).toEqual(expectIds((r) => (r.organ ?? "").includes("平潭")));
    expect(await ids({ template: "v2019" })).toEqual(expectIds((r) => r.template === "v2019"));
    expect(await ids({ year: 2021, organ: "平潭", template: "v2021" })).toEqual(
      expectIds((r) => r.year === 2021 && (r.organ ?? "").includes("平潭") && r.template === "v2021"),
    );
    expect(await ids({ year: 1900 })).toEqual([]);
    // A blank form field is no filter.
    expect(await ids({ organ: "" })).toEqual(expectIds(() => true));
    const named = await exportData(fx.store, "cells", "csv", { year: 2022, template: "v2021" });
    expect(named.filename).toBe("nianbao-cells-2022-v2021.csv");
  });
});

describe("findings export", () => {
  it("lists single-report and cross-year findings with their columns", async () => {
    const { header, rows } = csvRows((await exportData(fx.store, "findings", "csv", {})).body);
    expect(header).toEqual([
      "report_id",
      "organ",
      "year",
      "rule",
      "severity",
      "origin",
      "path",
      "paths",
      "expected",
      "actual",
      "residual",
      "message",
    ]);
    const single = fx.store.findings();
    const cross = fx.store.crossYearFindings();
    expect(cross.some((f) => f.rule === "T3.X1")).toBe(true);
    expect(rows).toHaveLength(single.length + cross.length);
    const t3r1 = rows.filter((r) => r.rule === "T3.R1");
    expect(t3r1).toHaveLength(single.filter((f) => f.rule === "T3.R1").length);
    const x1 = rows.find((r) => r.rule === "T3.X1");
    const firstX1 = cross.find((f) => f.rule === "T3.X1");
    expect(x1?.paths).toBe(firstX1?.paths.join(";"));
    expect(Number(x1?.report_id)).toBe(firstX1?.reportId);
    const tricky = rows.find((r) => r.message === TRICKY_MESSAGE);
    expect(tricky).toMatchObject({ organ: TRICKY_ORGAN, actual: "7,3", expected: "", residual: "" });
    expect(Number(tricky?.report_id)).toBe(fx.trickyId);
  });

  it("filters cross-year findings by the later report's template too", async () => {
    const { rows } = csvRows((await exportData(fx.store, "findings", "csv", { template: "v2021" })).body);
    const v2021 = new Set(
      fx.store
        .listReports()
        .filter((r) => r.template === "v2021")
        .map((r) => r.id),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(v2021.has(Number(r.report_id))).toBe(true);
  });

  it("as JSON Lines keeps paths as an array and names the earlier report of cross-year findings", async () => {
    const { body, contentType } = await exportData(fx.store, "findings", "jsonl", { organ: "临水县教育局" });
    expect(contentType).toMatch(/ndjson/);
    const lines = body
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const x1 = lines.filter((l) => l.rule === "T3.X1");
    expect(x1.length).toBeGreaterThan(0);
    expect(Array.isArray(x1[0].paths)).toBe(true);
    expect(typeof x1[0].previous_report_id).toBe("number");
  });
});

describe("reports export", () => {
  it("writes one contract object per line, equal to the stored report's contract", async () => {
    const { body, contentType, filename } = await exportData(fx.store, "reports", "jsonl", {});
    expect(contentType).toBe("application/x-ndjson; charset=utf-8");
    expect(filename).toBe("nianbao-reports.jsonl");
    const text = body.toString("utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(fx.store.listReports().length);
    for (const line of lines) {
      const obj = JSON.parse(line);
      expect(obj.contract_version).toBe(1);
      const stored = fx.store.getReport(obj.source.sha256 as string);
      expect(stored).not.toBeNull();
      if (stored) expect(obj).toEqual(JSON.parse(JSON.stringify(toContractJson(stored.report))));
    }
  });

  it("filters JSON Lines like the tables", async () => {
    const { body } = await exportData(fx.store, "reports", "jsonl", { organ: "平潭", year: 2023 });
    const lines = body
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines)
      expect(l.meta).toMatchObject({ year: 2023, organ: expect.stringContaining("平潭") });
  });

  it("as CSV is a summary row per report", async () => {
    const { rows } = csvRows((await exportData(fx.store, "reports", "csv", {})).body);
    const summaries = fx.store.listReports();
    expect(rows).toHaveLength(summaries.length);
    for (const s of summaries) {
      const row = rows.find((r) => Number(r.report_id) === s.id);
      expect(row).toMatchObject({
        organ: s.organ ?? "",
        year: s.year === null ? "" : String(s.year),
        status: s.status,
        errors: String(s.errors),
        warnings: String(s.warnings),
        sha256: s.sha256,
        problems: s.problems.join("; "),
      });
    }
  });
});

describe("XLSX", () => {
  it("has a frozen bold header, numbers as numbers, exact money and a 说明 sheet", async () => {
    const { body, contentType, filename } = await exportData(fx.store, "cells", "xlsx", {});
    expect(contentType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(filename).toBe("nianbao-cells.xlsx");
    const wb = await loadXlsx(body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["cells", "说明"]);
    const ws = wb.getWorksheet("cells");
    if (!ws) throw new Error("no cells sheet");
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([...REPORT_COLUMNS.map((c) => c.key), ...CELL_COLUMNS.map((c) => c.path)]);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.getColumn(2).width).toBeGreaterThan(10);
    expect(ws.rowCount).toBe(fx.store.listReports().length + 1);

    const col = (path: string) => header.indexOf(path) + 1;
    const rowOf = (id: number) => {
      for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === id) return ws.getRow(r);
      throw new Error(`report ${id} not in sheet`);
    };
    const pingtan = fx.store.listReports({ organ: "平潭", year: 2022 })[0];
    if (!pingtan) throw new Error("no pingtan 2022");
    const newTotal = rowOf(pingtan.id).getCell(col("t3.new_requests.total"));
    expect(newTotal.value).toBe(fx.store.getReport(pingtan.id)?.report.cells["t3.new_requests.total"]?.value);
    expect(typeof newTotal.value).toBe("number");
    expect(rowOf(pingtan.id).getCell(col("year")).value).toBe(2022);

    const fee = rowOf(fx.trickyId).getCell(col("t2.admin_fees.amount_wan_yuan"));
    expect(fee.value).toBe(7730.28);
    expect(fee.numFmt).toBe("0.00");
    expect(rowOf(fx.trickyId).getCell(col("organ")).value).toBe(TRICKY_ORGAN);
    const amount = rowOf(fx.decimalId).getCell(col("t2.central_procurement.amount"));
    expect(amount.value).toBe(306040.5);
    expect(amount.numFmt).toBe("0.00");
    expect(rowOf(fx.decimalId).getCell(col("t2.admin_fees.amount_wan_yuan")).value).toBeNull();

    const notes = wb.getWorksheet("说明");
    if (!notes) throw new Error("no 说明 sheet");
    expect(notes.rowCount).toBe(header.length + 1);
    const secret = (notes.getRow(1 + col("t3.denied.state_secret.total")).values as unknown[]).slice(1);
    expect(secret[0]).toBe("t3.denied.state_secret.total");
    expect(secret).toEqual(expect.arrayContaining(["表三", "（三）不予公开", "1.属于国家秘密", "总计"]));
    const docs = (notes.getRow(1 + col("t2.normative_documents.issued")).values as unknown[]).slice(1);
    expect(docs).toEqual(expect.arrayContaining(["行政规范性文件", "本年制发件数", "v2021"]));
  });

  it("writes findings and reports sheets too", async () => {
    for (const kind of ["findings", "reports"] as const) {
      const wb = await loadXlsx((await exportData(fx.store, kind, "xlsx", { organ: "平潭" })).body);
      const ws = wb.getWorksheet(kind);
      expect(ws?.getRow(1).getCell(1).value).toBe("report_id");
      expect(ws?.rowCount).toBeGreaterThan(1);
    }
  });

  it("turns decimals into numbers only when a double keeps them exact", () => {
    expect(decimalCell("7730.28")).toEqual({ value: 7730.28, numFmt: "0.00" });
    expect(decimalCell("1.50")).toEqual({ value: 1.5, numFmt: "0.00" });
    expect(decimalCell("12")).toEqual({ value: 12 });
    expect(decimalCell("-0.005")).toEqual({ value: -0.005, numFmt: "0.000" });
    expect(decimalCell("1234567890123.4567")).toEqual({ value: "1234567890123.4567" });
    expect(decimalCell("约5")).toEqual({ value: "约5" });
  });
});

describe("errors", () => {
  it("refuses unsupported combinations and bad filters with a Chinese and English message", async () => {
    await expect(exportData(fx.store, "cells", "jsonl", {})).rejects.toThrow(ExportError);
    await expect(exportData(fx.store, "cells", "jsonl", {})).rejects.toThrow(/JSON Lines.*cells cannot/s);
    const bad = (k: string, f: string) => exportData(fx.store, k as "cells", f as "csv", {});
    await expect(bad("tables", "csv")).rejects.toThrow(/未知的导出内容.*unknown kind/);
    await expect(bad("cells", "pdf")).rejects.toThrow(/未知的导出格式.*unknown format/);
    await expect(exportData(fx.store, "cells", "csv", { template: "v2020" })).rejects.toThrow(
      /未知的模板.*unknown template/,
    );
    await expect(exportData(fx.store, "cells", "csv", { year: 2022.5 })).rejects.toThrow(
      /year must be an integer/,
    );
  });
});
