/** `nianbao export` as users run it: a real process on a real file, compared with exportData. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportData } from "../../src/export/index.js";
import { buildFixture, digest, type Fixture, removeFixture } from "./fixture.js";

const CLI = path.resolve("src/cli/main.ts");
// By URL, so the loader is found when the process runs in another directory.
const TSX = pathToFileURL(path.resolve("node_modules/tsx/dist/loader.mjs")).href;
let fx: Fixture;

function nianbao(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, ["--import", TSX, CLI, ...args], {
    timeout: 60_000,
    cwd: cwd ?? process.cwd(),
  });
  return { code: r.status, out: r.stdout, err: r.stderr.toString("utf8") };
}

beforeAll(async () => {
  fx = await buildFixture();
});
afterAll(() => removeFixture(fx));

describe("nianbao export", () => {
  it("writes the same CSV bytes to --out and to stdout as exportData returns", async () => {
    const expected = (await exportData(fx.store, "cells", "csv", { year: 2022 })).body;
    const out = path.join(fx.dir, "cells.csv");
    const r = nianbao(["export", "--format", "csv", "--year", "2022", "--db", fx.db, "--out", out]);
    expect(r.err).toMatch(/已导出/);
    expect(r.code).toBe(0);
    expect(digest(fs.readFileSync(out))).toBe(digest(expected));
    const piped = nianbao(["export", "--format", "csv", "--kind", "cells", "--year", "2022", "--db", fx.db]);
    expect(piped.code).toBe(0);
    expect(digest(piped.out)).toBe(digest(expected));
  });

  it("defaults to reports for jsonl and passes organ and template through", async () => {
    const filter = { organ: "平潭", template: "v2021" };
    const expected = (await exportData(fx.store, "reports", "jsonl", filter)).body;
    const r = nianbao([
      "export",
      "--format",
      "jsonl",
      "--organ",
      "平潭",
      "--template",
      "v2021",
      "--db",
      fx.db,
    ]);
    expect(r.code).toBe(0);
    expect(r.out.length).toBeGreaterThan(1000);
    expect(digest(r.out)).toBe(digest(expected));
    const findings = (await exportData(fx.store, "findings", "csv", {})).body;
    expect(digest(nianbao(["export", "--format", "csv", "--kind", "findings", "--db", fx.db]).out)).toBe(
      digest(findings),
    );
  });

  it("writes xlsx to ./nianbao-<kind>.xlsx unless --out is given", async () => {
    const cwd = fs.mkdtempSync(path.join(fx.dir, "cwd-"));
    const r = nianbao(["export", "--format", "xlsx", "--kind", "findings", "--db", fx.db], cwd);
    expect(r.code).toBe(0);
    expect(r.out.length).toBe(0);
    const file = path.join(cwd, "nianbao-findings.xlsx");
    // Zip entries carry timestamps, so compare the sheets rather than the bytes.
    const fromCli = new ExcelJS.Workbook();
    await fromCli.xlsx.load(new Uint8Array(fs.readFileSync(file)).buffer);
    const fromApi = new ExcelJS.Workbook();
    await fromApi.xlsx.load(new Uint8Array((await exportData(fx.store, "findings", "xlsx", {})).body).buffer);
    const values = (wb: ExcelJS.Workbook) =>
      wb.worksheets.map((ws) => ws.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : row)));
    expect(values(fromCli)).toEqual(values(fromApi));
    expect(fromCli.getWorksheet("findings")?.rowCount).toBeGreaterThan(1);
  });

  it("exits 2 with the message for an unsupported combination or a bad option", () => {
    const cells = nianbao(["export", "--format", "jsonl", "--kind", "cells", "--db", fx.db]);
    expect(cells.code).toBe(2);
    expect(cells.err).toMatch(/JSON Lines/);
    const format = nianbao(["export", "--format", "pdf", "--db", fx.db]);
    expect(format.code).toBe(2);
    expect(format.err).toMatch(/unknown format/);
    expect(nianbao(["export", "--db", fx.db]).code).toBe(2);
    expect(nianbao(["export", "--format", "csv", "--db", path.join(fx.dir, "missing.db")]).code).toBe(2);
  });
});
