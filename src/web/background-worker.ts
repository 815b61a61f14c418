/**
 * Worker thread for the slow reads: dashboard aggregates and the cross-year rules take seconds on
 * a large store (better-sqlite3 is synchronous), and on the request thread they would stall every
 * other request. The worker has its own read-only `Queries`, whose caches keep each result until
 * the database changes, so paging through cross-year findings costs a slice, not a recomputation.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { BackgroundRequest, BackgroundResponse } from "./background.js";
import { Queries } from "./queries.js";

const q = new Queries((workerData as { dbPath: string }).dbPath);

parentPort?.on("message", (req: BackgroundRequest) => {
  let res: BackgroundResponse;
  try {
    const job = req.job;
    const result =
      job.kind === "audit"
        ? q.audit(job.filter)
        : q.crossYear(job.filter, { page: job.page, perPage: job.perPage });
    res = { id: req.id, result };
  } catch (err) {
    res = { id: req.id, error: (err as Error).message };
  }
  parentPort?.postMessage(res);
});
