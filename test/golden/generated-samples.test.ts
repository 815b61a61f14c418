/**
 * Every committed generated sample (both templates, every HTML and text style, consistent ones and
 * ones with injected inconsistencies) round-trips cell by cell; injected inconsistencies are found
 * with the right rule and cells; consistent documents raise no error-level finding.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractReport } from "../../src/pipeline/extract.js";
import { score, type Truth } from "../helpers/truth.js";

const DIR = path.resolve("samples/generated");
interface IndexEntry {
  id: string;
  file: string;
  truth: string;
  style: string;
  content_type?: string;
}
const index = JSON.parse(readFileSync(path.join(DIR, "index.json"), "utf8")) as { samples: IndexEntry[] };

describe("generated samples round-trip exactly", () => {
  it("covers both templates and every style", () => {
    const styles = new Set(index.samples.map((s) => s.style));
    expect(styles.size).toBeGreaterThanOrEqual(11);
    expect(index.samples.some((s) => s.id.includes("v2019"))).toBe(true);
  });

  for (const entry of index.samples) {
    it(`${entry.id} (${entry.style})`, async () => {
      const truth = JSON.parse(readFileSync(path.join(DIR, entry.truth), "utf8")) as Truth;
      const report = await extractReport({
        bytes: readFileSync(path.join(DIR, entry.file)),
        locator: `samples/generated/${entry.file}`,
        ...(entry.content_type ? { contentType: entry.content_type } : {}),
      });
      const s = score(report, truth);
      expect(s.wrong).toEqual([]);
      expect(s.missingFindings).toEqual([]);
      expect(s.unexpectedFindings).toEqual([]);
      expect(report.status).toBe("ok");
      expect(report.meta.templates).toEqual(truth.templates);
      expect(report.meta.year).toBe(truth.year);
      expect(report.meta.organ).toBe(truth.organ);
      expect(Object.keys(report.sections)).toHaveLength(6);
    });
  }
});
