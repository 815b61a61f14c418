/**
 * A pool of extraction workers (worker_threads), one per core by default, created once and
 * always terminated by close(). Extraction is CPU-bound (parsing, PDF text layers), so a batch
 * ingest uses every core while the single SQLite writer stays on the main thread.
 *
 * Contract: extract() resolves with a Report for every input it can read and rejects only for a
 * fault of the pool itself (a worker that crashed or exceeded the time limit); such a worker is
 * replaced and the pool goes on.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { ExtractInput } from "../extractors/types.js";
import type { Report } from "../model/report.js";

interface Pending {
  resolve: (r: Report) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Pending>;
}

export interface PoolOptions {
  size?: number;
  /** A document taking longer than this is abandoned (its worker restarted). */
  timeoutMs?: number;
}

// The built package runs the compiled worker. In development (tests run the TypeScript sources)
// the worker first registers tsx's loader, since a worker does not inherit the parent's loaders.
const DEV = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(DEV ? "./extract-worker.ts" : "./extract-worker.js", import.meta.url);

function startWorker(): Worker {
  if (!DEV) return new Worker(WORKER_URL);
  const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(boot, { eval: true });
}

export class ExtractionPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private turn = 0;
  private closed = false;
  readonly size: number;
  private readonly timeoutMs: number;

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? os.availableParallelism());
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, jobs: new Map() };
    worker.on("message", (msg: { id: number; report?: Report; error?: string }) => {
      const job = slot.jobs.get(msg.id);
      if (!job) return;
      slot.jobs.delete(msg.id);
      clearTimeout(job.timer);
      if (msg.report) job.resolve(msg.report);
      else job.reject(new Error(msg.error ?? "worker returned nothing"));
    });
    const fail = (err: Error) => this.replace(slot, err);
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (!this.closed) fail(new Error(`提取进程意外退出 (worker exited with code ${code})`));
    });
    worker.unref();
    return slot;
  }

  /** Fails the slot's jobs and puts a fresh worker in its place. */
  private replace(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    for (const job of slot.jobs.values()) {
      clearTimeout(job.timer);
      job.reject(err);
    }
    slot.jobs.clear();
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (!this.closed) this.slots[i] = this.spawn();
  }

  extract(input: ExtractInput): Promise<Report> {
    if (this.closed) return Promise.reject(new Error("pool is closed"));
    // The least busy worker, round robin among equals.
    const start = this.turn++ % this.slots.length;
    let slot = this.slots[start]!;
    for (let k = 0; k < this.slots.length; k++) {
      const s = this.slots[(start + k) % this.slots.length]!;
      if (s.jobs.size < slot.jobs.size) slot = s;
    }
    const id = this.nextId++;
    return new Promise<Report>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.replace(slot, new Error(`提取超时（超过${this.timeoutMs / 1000}秒） (extraction timed out)`)),
        this.timeoutMs,
      );
      slot.jobs.set(id, { resolve, reject, timer });
      slot.worker.postMessage({
        id,
        bytes: input.bytes,
        locator: input.locator,
        ...(input.contentType ? { contentType: input.contentType } : {}),
        ...(input.hints ? { hints: input.hints } : {}),
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (s) => {
        for (const job of s.jobs.values()) {
          clearTimeout(job.timer);
          job.reject(new Error("pool closed"));
        }
        s.worker.removeAllListeners();
        await s.worker.terminate();
      }),
    );
  }
}
