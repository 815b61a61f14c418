/**
 * Real reports against their ground truth, cell by cell and finding by finding, plus a golden
 * snapshot of the whole `extract --json` output per sample. Regenerate goldens with
 * `UPDATE_GOLDEN=1 npm test` (CI never sets it) and review the diff before committing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toContractJson } from "../../src/pipeline/contract.js";
import { extractReport } from "../../src/pipeline/extract.js";
import { score, type Truth } from "../helpers/truth.js";

const REAL = path.resolve("samples/real");
const GOLDEN = path.resolve("test/golden/real");
const PDF_SAMPLES = ["hzq2024.pdf"];
const TEXT_SAMPLES = [
  "seed-wuhai-edu-2022.txt",
  "kewei-2024-pdfjs-dump.md",
  ...[2019, 2020, 2021, 2022, 2023, 2024, 2025].map((y) => `pingtan/pingtan-${y}.txt`),
];

async function run(file: string) {
  const full = path.join(REAL, file);
  const report = await extractReport({ bytes: readFileSync(full), locator: `samples/real/${file}` });
  const truth = JSON.parse(readFileSync(full.replace(/\.(txt|md|pdf)$/, ".truth.json"), "utf8")) as Truth;
  return { report, truth };
}

describe("real samples give their ground truth", () => {
  for (const file of [...TEXT_SAMPLES, ...PDF_SAMPLES]) {
    it(file, async () => {
      const { report, truth } = await run(file);
      const s = score(report, truth);
      expect(s.wrong).toEqual([]);
      expect(s.missingFindings).toEqual([]);
      expect(s.unexpectedFindings).toEqual([]);
      expect(s.exact + s.ambiguous).toBe(Object.keys(truth.cells).length);
      expect(report.meta.year).toBe(truth.year);
      expect(report.meta.templates).toEqual(truth.templates);
      // A document with undetermined cells never claims success.
      expect(report.status).toBe(s.ambiguous > 0 ? "partial" : "ok");
    });
  }

  it("the founding sample: all 200 cells exact and no finding at all", async () => {
    const { report } = await run("seed-wuhai-edu-2022.txt");
    expect(Object.values(report.cells).filter((c) => c.source === "printed")).toHaveLength(200);
    expect(report.findings).toEqual([]);
    expect(Object.keys(report.sections)).toHaveLength(6);
  });

  it("pingtan 2020 breaks T3.R2 in exactly two columns, with the residuals the table implies", async () => {
    const { report } = await run("pingtan/pingtan-2020.txt");
    const r2 = report.findings.filter((f) => f.rule === "T3.R2");
    expect(r2.map((f) => [f.path, f.expected, f.actual, f.residual])).toEqual([
      ["t3.results_total.natural_person", 26, 20, -6],
      ["t3.results_total.total", 27, 21, -6],
    ]);
  });

  it("hzq2024.pdf: every cell from the PDF text layer, with page and bounding box", async () => {
    const { report } = await run("hzq2024.pdf");
    const cell = report.cells["t3.new_requests.natural_person"];
    expect(cell).toMatchObject({ value: 95, source: "printed" });
    expect(cell?.loc?.page).toBe(3);
    expect(cell?.loc?.bbox).toHaveLength(4);
    // table 三 continues on page 4
    expect(report.cells["t3.carried_forward.total"]?.loc?.page).toBe(4);
    expect(report.meta.organ).toBe("淮安市洪泽区人民政府");
    expect(report.needs_ocr).toEqual([]);
  });

  it("organ and year come from the title; publication date from the page header", async () => {
    const { report } = await run("pingtan/pingtan-2023.txt");
    expect(report.meta.organ).toBe("平潭综合实验区");
    expect(report.meta.published_at).toBe("2024-03-08");
    expect(report.meta.period).toBe("2023-01-01/2023-12-31");
  });
});

describe("golden snapshots of extract --json", () => {
  mkdirSync(GOLDEN, { recursive: true });
  for (const file of [...TEXT_SAMPLES, ...PDF_SAMPLES]) {
    it(file, async () => {
      const { report } = await run(file);
      const json = `${JSON.stringify(toContractJson(report), null, 1)}\n`;
      const golden = path.join(GOLDEN, `${path.basename(file).replace(/\.\w+$/, "")}.json`);
      if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) {
        if (process.env.CI) throw new Error(`golden file missing in CI: ${golden}`);
        writeFileSync(golden, json);
      }
      expect(json).toBe(readFileSync(golden, "utf8"));
    });
  }
});
