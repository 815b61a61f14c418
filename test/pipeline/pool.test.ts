/** Extraction in worker threads: same reports as in-thread, faults become failed documents. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractReport } from "../../src/pipeline/extract.js";
import { ingestSources } from "../../src/pipeline/ingest.js";
import { ExtractionPool } from "../../src/pipeline/pool.js";
import { openStore } from "../../src/store/store.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILES = [
  "samples/real/seed-wuhai-edu-2022.txt",
  "samples/real/pingtan/pingtan-2020.txt",
  "samples/real/hzq2024.pdf",
  "samples/generated/gen-v2021-html-clean-1.html",
  "samples/office/gen-v2019-html-clean-1.docx",
];

describe("ExtractionPool", () => {
  it("gives the same report as extraction in this thread", async () => {
    const pool = new ExtractionPool({ size: 2 });
    try {
      for (const file of FILES) {
        const bytes = readFileSync(file);
        const [inWorker, inThread] = await Promise.all([
          pool.extract({ bytes, locator: file }),
          extractReport({ bytes, locator: file }),
        ]);
        expect(inWorker).toEqual(inThread);
      }
    } finally {
      await pool.close();
    }
  });

  it("a document that exceeds the time limit fails on its own, its bytes kept, and the pool goes on", async () => {
    const store = openStore(path.join(dir, "pool.db"));
    try {
      const sources = FILES.map((file) => ({
        locator: file,
        load: async () => ({ bytes: readFileSync(file) }),
      }));
      const slow = new ExtractionPool({ size: 1, timeoutMs: 1 });
      await expect(slow.extract({ bytes: readFileSync(FILES[2]!), locator: "x.pdf" })).rejects.toThrow(
        /超时|timed out/,
      );
      // The worker was replaced: the next document is taken up (and, at 1 ms, abandoned) again.
      await expect(slow.extract({ bytes: readFileSync(FILES[0]!), locator: "y" })).rejects.toThrow(
        /超时|timed out/,
      );
      await slow.close();

      const items = await ingestSources(store, sources, { workers: 2 });
      expect(items.map((i) => i.status)).toEqual(["ok", "partial", "ok", "ok", "ok"]);
      expect(store.listReports()).toHaveLength(5);
    } finally {
      store.close();
    }
  });
});
