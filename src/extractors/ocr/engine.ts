/**
 * The OCR engine: tesseract.js workers, created lazily once and reused across pages and documents.
 * Language data comes from the `@tesseract.js-data/*` packages in node_modules — never from a CDN —
 * and is never cached into the working directory. Each lane of the pool holds one worker per model
 * (the English model reads digits, the Chinese one labels), so one lane per core keeps both cores
 * busy without two threads fighting over one. `closeOcr()` terminates every worker so a CLI run
 * exits and tests leak no threads.
 */
import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { isMainThread } from "node:worker_threads";
import { createWorker, OEM, PSM, type Worker } from "tesseract.js";

export type OcrModel = "digits" | "label";

export interface OcrReading {
  text: string;
  /** Tesseract's mean word confidence, 0–1. */
  confidence: number;
}

/** Worker start takes ~0.4 s; a worker that has not started in this time never will (bad data path). */
const START_TIMEOUT_MS = 30_000;
/** One cell crop takes milliseconds; a recognition this slow means a wedged worker. */
const JOB_TIMEOUT_MS = 60_000;
/** Idle workers are stopped after this long (see scheduleIdleStop). */
const IDLE_MS = 1_500;

const require = createRequire(import.meta.url);

function langDir(lang: "eng" | "chi_sim"): string {
  return `${path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`))}/4.0.0_best_int`;
}

const SETTINGS: Record<OcrModel, { lang: "eng" | "chi_sim"; params: Record<string, string> }> = {
  // Single line, digits (and the decimal point and dash of money and blank cells) only.
  digits: {
    lang: "eng",
    params: {
      tessedit_pageseg_mode: PSM.SINGLE_LINE,
      tessedit_char_whitelist: "0123456789.-",
      user_defined_dpi: "300",
    },
  },
  // A label may wrap over several lines inside its cell.
  label: {
    lang: "chi_sim",
    params: { tessedit_pageseg_mode: PSM.SINGLE_BLOCK, user_defined_dpi: "300" },
  },
};

export class OcrUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OcrUnavailableError";
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OcrUnavailableError(`${what}超时 (${what} timed out)`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function startWorker(model: OcrModel): Promise<Worker> {
  const { lang, params } = SETTINGS[model];
  const dir = langDir(lang);
  // A missing data file makes tesseract.js crash the process or hang; check it before starting.
  await access(`${dir}/${lang}.traineddata.gz`).catch(() => {
    throw new OcrUnavailableError(`OCR语言数据缺失：${lang} (missing traineddata in ${dir})`);
  });
  let fatal: ((e: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    fatal = reject;
  });
  failed.catch(() => {});
  const creating = createWorker(lang, OEM.LSTM_ONLY, {
    langPath: dir,
    gzip: true,
    cacheMethod: "none",
    errorHandler: (e: unknown) => fatal?.(new OcrUnavailableError(`OCR引擎错误：${String(e)}`)),
  });
  let worker: Worker;
  try {
    worker = await withTimeout(Promise.race([creating, failed]), START_TIMEOUT_MS, "OCR引擎启动");
  } catch (err) {
    // A worker that starts after all must not keep the process alive.
    creating.then((w) => w.terminate()).catch(() => {});
    throw err;
  }
  // tesseract's own diagnostics ("Image too small to scale!!" for a sliver of a cell) would
  // otherwise land on the user's stderr; what matters reaches the report as confidence and findings.
  await worker.setParameters({ ...params, debug_file: "/dev/null" } as Record<string, string>);
  return worker;
}

/** One lane: a worker per model, started on first use, running one job at a time. */
interface Lane {
  workers: Partial<Record<OcrModel, Promise<Worker>>>;
  busy: boolean;
}

interface Job {
  model: OcrModel;
  image: Buffer;
  resolve: (r: OcrReading) => void;
  reject: (e: Error) => void;
}

/**
 * One lane per core in the main thread. Inside an extraction worker thread (`ingest -w N` already
 * runs one document per core) one lane, so a batch does not start cores × cores OCR threads.
 */
function defaultLanes(): number {
  return isMainThread ? Math.max(1, os.availableParallelism?.() ?? os.cpus().length) : 1;
}

export class OcrPool {
  private readonly lanes: Lane[];
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(size = defaultLanes()) {
    this.lanes = Array.from({ length: size }, () => ({ workers: {}, busy: false }));
  }

  get size(): number {
    return this.lanes.length;
  }

  recognize(image: Buffer, model: OcrModel): Promise<OcrReading> {
    if (this.closed) return Promise.reject(new OcrUnavailableError("OCR引擎已关闭 (OCR pool closed)"));
    return new Promise((resolve, reject) => {
      this.queue.push({ model, image, resolve, reject });
      this.pump();
    });
  }

  private idleTimer: NodeJS.Timeout | undefined;

  /**
   * Workers are threads that keep a process alive: when no job has come for a while they are
   * terminated (and restarted by the next job), so a caller that forgets `closeOcr()` still exits.
   */
  private scheduleIdleStop(): void {
    clearTimeout(this.idleTimer);
    if (this.queue.length > 0 || this.lanes.some((l) => l.busy)) return;
    this.idleTimer = setTimeout(() => {
      if (this.queue.length > 0 || this.lanes.some((l) => l.busy)) return;
      const all = this.lanes.flatMap((l) => Object.values(l.workers));
      for (const l of this.lanes) l.workers = {};
      for (const w of all) w?.then((x) => x.terminate()).catch(() => {});
    }, IDLE_MS);
  }

  private pump(): void {
    clearTimeout(this.idleTimer);
    for (const lane of this.lanes) {
      if (lane.busy) continue;
      const job = this.queue.shift();
      if (!job) return;
      lane.busy = true;
      this.run(lane, job).finally(() => {
        lane.busy = false;
        this.pump();
        this.scheduleIdleStop();
      });
    }
  }

  private async run(lane: Lane, job: Job): Promise<void> {
    try {
      let starting = lane.workers[job.model];
      if (!starting) {
        starting = startWorker(job.model);
        lane.workers[job.model] = starting;
        // A lane whose worker failed to start tries again on its next job rather than failing forever.
        starting.catch(() => {
          if (lane.workers[job.model] === starting) delete lane.workers[job.model];
        });
      }
      const worker = await starting;
      const result = await withTimeout(worker.recognize(job.image), JOB_TIMEOUT_MS, "OCR识别");
      job.resolve({ text: result.data.text, confidence: Math.max(0, result.data.confidence) / 100 });
    } catch (err) {
      job.reject(err as Error);
    }
  }

  /** Terminates every worker; pending jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0))
      job.reject(new OcrUnavailableError("OCR引擎已关闭 (OCR pool closed)"));
    const all = this.lanes.flatMap((l) => Object.values(l.workers));
    for (const l of this.lanes) l.workers = {};
    await Promise.all(all.map((w) => w?.then((x) => x.terminate()).catch(() => {})));
  }
}

let shared: OcrPool | null = null;

/** The process-wide pool, created on first use. */
export function ocrPool(): OcrPool {
  if (!shared) shared = new OcrPool();
  return shared;
}

/** Terminates the process-wide pool (the next OCR job starts a new one). */
export async function closeOcr(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
