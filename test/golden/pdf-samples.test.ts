/**
 * Generated PDFs in several producer styles (LibreOffice, Chromium; ruled, unruled, table 三 split
 * across pages, narrow wrapped headers, landscape and /Rotate pages) round-trip cell by cell from
 * the text layer; the OCR samples are detected page by page, and their pages are read by OCR.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeOcr } from "../../src/extractors/ocr/engine.js";
import { extractReport } from "../../src/pipeline/extract.js";
import { score, type Truth } from "../helpers/truth.js";

const DIR = path.resolve("samples/pdf");
interface Entry {
  id: string;
  file: string;
  producer: string;
  style: string;
}
type PdfTruth = Truth & { needs_ocr?: { page: number; reason: string }[] };
const index = JSON.parse(readFileSync(path.join(DIR, "index.json"), "utf8")) as { samples: Entry[] };

async function run(entry: Entry) {
  const file = path.join(DIR, entry.file);
  const truth = JSON.parse(readFileSync(file.replace(/\.pdf$/, ".truth.json"), "utf8")) as PdfTruth;
  const report = await extractReport({ bytes: readFileSync(file), locator: `samples/pdf/${entry.file}` });
  return { truth, report };
}

afterAll(closeOcr);

describe("PDF samples from the text layer", () => {
  for (const entry of index.samples) {
    it(`${entry.id} (${entry.producer}, ${entry.style})`, async () => {
      const { truth, report } = await run(entry);
      if (truth.needs_ocr && truth.needs_ocr.length > 0) {
        expect(report.needs_ocr.map((m) => [m.page, m.reason])).toEqual(
          truth.needs_ocr.map((m) => [m.page, m.reason]),
        );
        // The pictured pages are read by OCR: every cell, each with its confidence and box.
        const s = score(report, truth);
        expect(s.wrong).toEqual([]);
        expect(s.unexpectedFindings).toEqual([]);
        const ocrPages = new Set(truth.needs_ocr.map((m) => m.page));
        const read = Object.values(report.cells).filter((c) => c.loc?.grid.startsWith("ocr"));
        expect(read.length).toBeGreaterThan(0);
        for (const c of read) {
          expect(ocrPages.has(c.loc?.page ?? 0)).toBe(true);
          expect(c.confidence).toBeGreaterThanOrEqual(0);
          expect(c.loc?.bbox).toHaveLength(4);
        }
        return;
      }
      const s = score(report, truth);
      expect(s.wrong).toEqual([]);
      expect(s.missingFindings).toEqual([]);
      expect(s.unexpectedFindings).toEqual([]);
      expect(report.status).toBe("ok");
      expect(report.meta.templates).toEqual(truth.templates);
      expect(report.needs_ocr).toEqual([]);
      // Provenance: every printed cell points at its page and box.
      const printed = Object.values(report.cells).filter((c) => c.source === "printed");
      expect(printed.every((c) => c.loc?.page !== undefined && c.loc.bbox?.length === 4)).toBe(true);
    });
  }
});
