/**
 * Scanned, photographed and faxed renders of the PDF samples (samples/scan, made by
 * scripts/generate-scan-samples.ts) read by the OCR path, cell by cell against their truth. Every
 * number OCR gets wrong must be flagged by a finding that names the cell: a wrong number is never
 * silent. Each sample's floor is what it reaches today (`min_exact` in index.json), so a change that
 * reads fewer cells fails; the target is 99.5%.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeOcr } from "../../src/extractors/ocr/engine.js";
import { extractReport } from "../../src/pipeline/extract.js";
import { score, type Truth } from "../helpers/truth.js";

const DIR = path.resolve("samples/scan");
interface Entry {
  id: string;
  file: string;
  output: string;
  notes: string;
  min_exact: number;
}
const index = JSON.parse(readFileSync(path.join(DIR, "index.json"), "utf8")) as { samples: Entry[] };

afterAll(closeOcr);

describe("scan samples through OCR", () => {
  for (const entry of index.samples) {
    it(`${entry.id} (${entry.notes})`, async () => {
      const file = path.join(DIR, entry.file);
      const truth = JSON.parse(readFileSync(path.join(DIR, `${entry.id}.truth.json`), "utf8")) as Truth & {
        needs_ocr?: { page: number; reason: string }[];
      };
      const report = await extractReport({
        bytes: readFileSync(file),
        locator: `samples/scan/${entry.file}`,
      });
      expect(report.source.format).toBe(entry.output === "pdf" ? "pdf" : "image");
      if (truth.needs_ocr) {
        expect(report.needs_ocr.map((m) => [m.page, m.reason])).toEqual(
          truth.needs_ocr.map((m) => [m.page, m.reason]),
        );
      }
      const s = score(report, truth);
      const total = Object.keys(truth.cells).length;
      expect(s.exact / total).toBeGreaterThanOrEqual(entry.min_exact);
      // No silent wrong numbers: a value that is not the truth is named by some finding.
      const flagged = new Set(report.findings.flatMap((f) => [...f.paths, ...(f.path ? [f.path] : [])]));
      const silent = Object.entries(truth.cells)
        .filter(([p, v]) => {
          const c = report.cells[p];
          return c !== undefined && c.value !== null && c.value !== v && !flagged.has(p);
        })
        .map(([p, v]) => `${p}: want ${v}, got ${report.cells[p]?.value} (${report.cells[p]?.raw})`);
      expect(silent).toEqual([]);
      // OCR cells carry their confidence and where they were read.
      const read = Object.values(report.cells).filter(
        (c) => c.source === "ocr" || c.source === "ocr-repaired",
      );
      expect(read.length).toBeGreaterThan(0);
      for (const c of read) {
        expect(c.confidence).toBeGreaterThanOrEqual(0);
        expect(c.loc?.page).toBeGreaterThan(0);
        expect(c.loc?.bbox).toHaveLength(4);
      }
    });
  }
});
