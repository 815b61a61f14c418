/**
 * The archived page.html of the 平潭综合实验区 annual reports (samples/real/pingtan-html, see its
 * README) through the HTML path. These are the same reports as samples/real/pingtan/*.txt, but here
 * every table is a real <table>, so every truth cell — table 2 included — must come out exact
 * (the truth files carry no `ambiguous_ok`). Pre-2019 pages are legacy cases: no template applies.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractReport } from "../../src/pipeline/extract.js";
import { score, type Truth } from "../helpers/truth.js";

const DIR = path.resolve("samples/real/pingtan-html");
const YEARS = [2019, 2020, 2021, 2023, 2025];
const LEGACY_YEARS = [2011];

async function run(year: number) {
  const file = path.join(DIR, `pingtan-${year}.html`);
  const bytes = readFileSync(file);
  const report = await extractReport({ bytes, locator: `samples/real/pingtan-html/pingtan-${year}.html` });
  const truth = JSON.parse(readFileSync(file.replace(/\.html$/, ".truth.json"), "utf8")) as Truth;
  return { report, truth, html: bytes.toString("utf8") };
}

/** `<meta name="PubDate" content="2024-03-08 15:34"/>` → `2024-03-08`. */
function pubDate(html: string): string | undefined {
  return /<meta\s+name="PubDate"\s+content="(\d{4}-\d{2}-\d{2})/i.exec(html)?.[1];
}

describe("pingtan page.html gives every truth cell exactly", () => {
  for (const year of YEARS) {
    it(`pingtan-${year}.html`, async () => {
      const { report, truth, html } = await run(year);
      expect(report.source.format).toBe("html");
      expect(truth.ambiguous_ok).toBeUndefined();
      const s = score(report, truth);
      expect(s.wrong).toEqual([]);
      expect(s.ambiguous).toBe(0);
      expect(s.exact).toBe(Object.keys(truth.cells).length);
      expect(s.missingFindings).toEqual([]);
      expect(s.unexpectedFindings).toEqual([]);
      expect(report.status).toBe("ok");
      expect(report.problems).toEqual([]);
      expect(report.meta.organ).toBe("平潭综合实验区");
      expect(report.meta.organ).toBe(truth.organ);
      expect(report.meta.year).toBe(truth.year);
      expect(report.meta.templates).toEqual(truth.templates);
      const date = pubDate(html);
      expect(date).toBeDefined();
      expect(report.meta.published_at).toBe(date);
    });
  }

  it("pingtan-2020.html breaks T3.R2 in exactly two columns, as the glued text does", async () => {
    const { report } = await run(2020);
    const r2 = report.findings.filter((f) => f.rule === "T3.R2");
    expect(r2.map((f) => [f.path, f.expected, f.actual, f.residual])).toEqual([
      ["t3.results_total.natural_person", 26, 20, -6],
      ["t3.results_total.total", 27, 21, -6],
    ]);
    expect(report.findings.filter((f) => f.severity === "error").map((f) => f.rule)).toEqual([
      "T3.R2",
      "T3.R2",
    ]);
  });

  it("the other 2019–2025 pages have no error finding at all", async () => {
    for (const year of YEARS.filter((y) => y !== 2020)) {
      const { report } = await run(year);
      expect(
        report.findings.filter((f) => f.severity === "error"),
        `pingtan-${year}`,
      ).toEqual([]);
    }
  });

  it("v2019 table 2 from the HTML: signed 本年增/减 and the 集中采购 amount in 元", async () => {
    const { report } = await run(2020);
    expect(report.cells["t2.penalty.change"]?.value).toBe(-18);
    expect(report.cells["t2.admin_fees.change"]?.value).toBe(-15);
    expect(report.cells["t2.central_procurement.amount"]?.value).toBe(73802895.9);
  });
});

describe("pre-2019 pages are legacy: no template, status failed", () => {
  for (const year of LEGACY_YEARS) {
    it(`pingtan-${year}.html`, async () => {
      const { report, html } = await run(year);
      const truth = JSON.parse(readFileSync(path.join(DIR, `pingtan-${year}.truth.json`), "utf8"));
      expect(truth).toMatchObject({ year, legacy: true });
      expect(report.source.format).toBe("html");
      expect(report.status).toBe("failed");
      expect(report.meta.template).toBe("legacy");
      expect(report.problems.length).toBeGreaterThan(0);
      expect(report.meta.year).toBe(year);
      expect(report.meta.published_at).toBe(pubDate(html));
    });
  }
});
