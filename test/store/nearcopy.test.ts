/** D.R6: a report that copies last year's narrative is found; real consecutive reports are not. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXTRACTOR, extractReport } from "../../src/pipeline/extract.js";
import { containment, shingles } from "../../src/store/similarity.js";
import { openStore } from "../../src/store/store.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-dr6-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function save(store: ReturnType<typeof openStore>, text: string, locator: string) {
  const bytes = new TextEncoder().encode(text);
  const report = await extractReport({ bytes, locator });
  store.saveExtraction({
    bytes,
    locator,
    mediaType: "text/plain",
    report,
    status: report.status,
    extractorName: EXTRACTOR.name,
    extractorVersion: EXTRACTOR.version,
    format: report.source.format,
    charset: report.source.charset,
  });
}

describe("near-copies of last year's report (D.R6)", () => {
  it("masks digits, so a copy with only the year and figures changed is still a copy", () => {
    const a = shingles("2022年，本机关共收到政府信息公开申请12件，均已按时答复，未发生行政复议。");
    const b = shingles("2023年，本机关共收到政府信息公开申请35件，均已按时答复，未发生行政复议。");
    expect(containment(b, a)).toBe(1);
  });

  it("flags a report whose narrative is last year's with the year changed, and not the real next report", async () => {
    const store = openStore(path.join(dir, "dr6.db"));
    try {
      const y2022 = readFileSync("samples/real/pingtan/pingtan-2022.txt", "utf8");
      await save(store, y2022, "pingtan-2022.txt");
      await save(store, readFileSync("samples/real/pingtan/pingtan-2023.txt", "utf8"), "pingtan-2023.txt");
      expect(store.crossYearFindings({ rule: "D.R6" })).toEqual([]);

      await save(store, y2022.replaceAll("2022", "2024").replaceAll("2023", "2025"), "copy-2024.txt");
      const copy = y2022.replaceAll("2022", "2025").replaceAll("2023", "2026");
      await save(store, copy, "copy-2025.txt");
      const found = store.crossYearFindings({ rule: "D.R6" });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        rule: "D.R6",
        severity: "warning",
        organ: "平潭综合实验区",
        year: 2025,
      });
      expect(found[0]?.message).toMatch(/100%|9\d%/);
    } finally {
      store.close();
    }
  });
});
