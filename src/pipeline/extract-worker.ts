/**
 * Worker-thread side of the extraction pool: receives documents, returns reports. Extraction is
 * pure (bytes in, Report out), so a worker holds no state beyond loaded modules.
 */
import { parentPort } from "node:worker_threads";
import type { ExtractHints } from "../extractors/types.js";
import { extractReport } from "./extract.js";

export interface JobMessage {
  id: number;
  bytes: Uint8Array;
  locator: string;
  contentType?: string;
  hints?: ExtractHints;
}

parentPort?.on("message", async (job: JobMessage) => {
  try {
    const report = await extractReport({
      bytes: job.bytes,
      locator: job.locator,
      ...(job.contentType ? { contentType: job.contentType } : {}),
      ...(job.hints ? { hints: job.hints } : {}),
    });
    parentPort?.postMessage({ id: job.id, report });
  } catch (err) {
    parentPort?.postMessage({ id: job.id, error: (err as Error).stack ?? String(err) });
  }
});
