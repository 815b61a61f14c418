/**
 * Runs slow reads (background-worker.ts) off the request thread. One worker per instance, jobs in
 * order; the server keeps two instances so a long cross-year computation never queues the
 * dashboard aggregates behind it. A caller may wait a bounded time and show “still computing”:
 * the job goes on and its result is cached in the worker for the next request.
 */
import { Worker } from "node:worker_threads";
import type { CrossFilter, ReportFilter } from "./params.js";
import type { Audit, CrossResult } from "./queries.js";

export type BackgroundJob =
  | { kind: "audit"; filter: ReportFilter }
  | { kind: "cross"; filter: CrossFilter; page: number; perPage: number };

export interface BackgroundRequest {
  id: number;
  job: BackgroundJob;
}

export type BackgroundResponse = { id: number; result: Audit | CrossResult } | { id: number; error: string };

export type Outcome<T> =
  | { status: "ready"; result: T }
  | { status: "pending" }
  | { status: "failed"; message: string };

// The built package runs the compiled worker; tests run the TypeScript sources, where the worker
// first registers tsx's loader (a worker does not inherit the parent's loaders), as pipeline/pool.ts does.
const DEV = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(DEV ? "./background-worker.ts" : "./background-worker.js", import.meta.url);

function startWorker(dbPath: string): Worker {
  if (!DEV) return new Worker(WORKER_URL, { workerData: { dbPath } });
  const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(boot, { eval: true, workerData: { dbPath } });
}

interface Pending {
  resolve: (r: Audit | CrossResult) => void;
  reject: (e: Error) => void;
}

export class Background {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, Pending>();
  /** Identical jobs in flight share one run. */
  private readonly inflight = new Map<string, Promise<Audit | CrossResult>>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly dbPath: string) {}

  /** Starts the worker now, so the first request does not wait for the thread to load. */
  start(): this {
    if (!this.closed) this.ensureWorker();
    return this;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker(this.dbPath);
    w.on("message", (msg: BackgroundResponse) => {
      const job = this.jobs.get(msg.id);
      if (!job) return;
      this.jobs.delete(msg.id);
      if ("result" in msg) job.resolve(msg.result);
      else job.reject(new Error(msg.error));
    });
    // A crashed worker fails its jobs; the next job starts a fresh one.
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = null;
      for (const job of this.jobs.values()) job.reject(err);
      this.jobs.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`后台线程退出 (background worker exited with code ${code})`)));
    // The HTTP server keeps the process alive, not this helper.
    w.unref();
    this.worker = w;
    return w;
  }

  private run(job: BackgroundJob): Promise<Audit | CrossResult> {
    if (this.closed) return Promise.reject(new Error("closed"));
    const key = JSON.stringify(job);
    const running = this.inflight.get(key);
    if (running) return running;
    const id = this.nextId++;
    const p = new Promise<Audit | CrossResult>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      const req: BackgroundRequest = { id, job };
      this.ensureWorker().postMessage(req);
    }).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  audit(filter: ReportFilter): Promise<Audit> {
    return this.run({ kind: "audit", filter }) as Promise<Audit>;
  }

  /** The cross-year page if it is ready within `waitMs`; otherwise `pending` (the work goes on). */
  async crossYear(
    filter: CrossFilter,
    page: number,
    perPage: number,
    waitMs: number,
  ): Promise<Outcome<CrossResult>> {
    const job = this.run({ kind: "cross", filter, page, perPage }) as Promise<CrossResult>;
    // A job that settles after we stopped waiting must not become an unhandled rejection.
    job.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), waitMs);
    });
    try {
      const r = await Promise.race([job, timeout]);
      return r === "timeout" ? { status: "pending" } : { status: "ready", result: r };
    } catch (err) {
      return { status: "failed", message: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    for (const job of this.jobs.values()) job.reject(new Error("closed"));
    this.jobs.clear();
    if (w) {
      w.removeAllListeners();
      // Keep a listener: an error emitted while terminating must not crash the process.
      w.on("error", () => {});
      await w.terminate();
    }
  }
}
