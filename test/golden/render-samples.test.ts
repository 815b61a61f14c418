/**
 * Clean renders of every text PDF sample (samples/pdf) read by the OCR path: each page rendered by
 * pdfjs to a picture and wrapped as an image-only PDF, so nothing of the text layer is left. The
 * issue's bar for a perfect scan is every cell exact — ruled, open-sided, unruled, narrow wrapped,
 * landscape, `/Rotate 90` and split tables alike —, the injected inconsistency found as in the
 * text PDF, and the title block read for the organ and year.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeOcr } from "../../src/extractors/ocr/engine.js";
import { extractReport } from "../../src/pipeline/extract.js";
import { renderedPdf } from "../../src/samples/render-pdf.js";
import { score, type Truth } from "../helpers/truth.js";

const DIR = path.resolve("samples/pdf");
const index = JSON.parse(readFileSync(path.join(DIR, "index.json"), "utf8")) as {
  samples: { id: string; notes?: string }[];
};
const textPdfs = index.samples.filter((s) => {
  const truth = JSON.parse(readFileSync(path.join(DIR, `${s.id}.truth.json`), "utf8")) as {
    needs_ocr?: unknown;
  };
  return truth.needs_ocr === undefined;
});

afterAll(closeOcr);

describe("clean renders of the PDF samples through OCR", () => {
  it("covers every text PDF sample", () => {
    expect(textPdfs.length).toBeGreaterThanOrEqual(13);
  });
  for (const sample of textPdfs) {
    it(`${sample.id}: every cell exact`, async () => {
      const truth = JSON.parse(readFileSync(path.join(DIR, `${sample.id}.truth.json`), "utf8")) as Truth;
      const bytes = await renderedPdf(readFileSync(path.join(DIR, `${sample.id}.pdf`)));
      const report = await extractReport({ bytes, locator: `render:${sample.id}` });
      // Nothing came from a text layer: every page was a picture.
      expect(report.needs_ocr.every((m) => m.reason === "no-text")).toBe(true);
      expect(report.needs_ocr.length).toBeGreaterThan(0);
      const s = score(report, truth);
      expect(s.wrong).toEqual([]);
      expect(s.exact).toBe(Object.keys(truth.cells).length);
      expect(s.missingFindings).toEqual([]);
      expect(s.unexpectedFindings).toEqual([]);
      // The title block of the first page names the organ and the year.
      expect(report.meta.year).toBe(truth.year);
      expect(report.meta.organ).toBe(truth.organ);
      // Every number says OCR read it (with its confidence), none that it was printed text.
      const cells = Object.values(report.cells);
      expect(cells.filter((c) => c.source === "printed")).toEqual([]);
      for (const c of cells.filter((c) => c.source === "ocr")) expect(c.confidence).toBeGreaterThanOrEqual(0);
    });
  }
});
