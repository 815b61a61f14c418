/**
 * Generated PDFs in several producer styles (LibreOffice, Chromium; ruled, unruled, table 三 split
 * across pages, narrow wrapped headers, landscape and /Rotate pages) round-trip cell by cell from
 * the text layer; the OCR samples are detected page by page and never yield invented numbers.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
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

describe("PDF samples from the text layer", () => {
  for (const entry of index.samples) {
    it(`${entry.id} (${entry.producer}, ${entry.style})`, async () => {
      const { truth, report } = await run(entry);
      if (truth.needs_ocr && truth.needs_ocr.length > 0) {
        expect(report.needs_ocr.map((m) => [m.page, m.reason])).toEqual(
          truth.needs_ocr.map((m) => [m.page, m.reason]),
        );
        expect(report.status).toBe("partial");
        expect(report.findings.filter((f) => f.origin === "source" && f.severity === "error")).toEqual([]);
        // Whatever was read from the text layer is right; nothing is invented for the pictured pages.
        for (const [p, cell] of Object.entries(report.cells)) {
          if (cell.value !== null) expect([p, cell.value]).toEqual([p, truth.cells[p]]);
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
