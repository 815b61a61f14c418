/**
 * Batch ingest: files → extractReport → store, one transaction per document. A document that
 * fails becomes a failed run with its error (bytes kept); the batch always goes on.
 * Already-stored bytes with the same extractor version are skipped before any extraction work.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import PQueue from "p-queue";
import type { ExtractInput } from "../extractors/types.js";
import type { Report } from "../model/report.js";
import type { Store } from "../store/store.js";
import { EXTRACTOR, extractReport } from "./extract.js";
import { ExtractionPool } from "./pool.js";

export interface IngestItem {
  locator: string;
  status: "ok" | "partial" | "failed" | "skipped";
  reportId: number | null;
  organ: string | null;
  year: number | null;
  errors: number;
  warnings: number;
  problem: string | null;
}

export interface IngestOptions {
  /** Files read and stored in parallel. */
  concurrency?: number;
  /** Extraction worker threads; 1 (default) extracts in this thread. */
  workers?: number;
  onProgress?: (done: number, total: number, item: IngestItem) => void;
}

/** Names that are never reports: ground-truth and index files that sit beside samples. */
const IGNORED = /(?:\.truth\.json|index\.json|README[^/]*|\.gitkeep)$/i;

/** Expands files and directories (recursively) into a sorted list of files. */
export async function listInputs(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const visit = async (p: string) => {
    const s = await stat(p);
    if (s.isDirectory()) {
      const entries = (await readdir(p)).sort();
      for (const e of entries) if (!e.startsWith(".")) await visit(path.join(p, e));
    } else if (!IGNORED.test(p)) out.push(p);
  };
  for (const p of paths) await visit(p);
  return out;
}

function summarise(report: Report, reportId: number | null, skipped: boolean): IngestItem {
  const source = report.findings.filter((f) => f.origin === "source");
  return {
    locator: report.source.locator,
    status: skipped ? "skipped" : report.status,
    reportId,
    organ: report.meta.organ,
    year: report.meta.year,
    errors: source.filter((f) => f.severity === "error").length,
    warnings: source.filter((f) => f.severity === "warning").length,
    problem: report.status === "ok" ? null : (report.problems[0] ?? null),
  };
}

/** Turns bytes into a report: in this thread, or in a worker of an ExtractionPool. */
export type Extractor = (input: ExtractInput) => Promise<Report>;

/** Stores bytes and locator with no report: a skipped duplicate, or a failed run with its error. */
function withoutReport(
  store: Store,
  bytes: Uint8Array,
  locator: string,
  status: "skipped" | "failed",
  error: string | null,
  startedAt?: string,
): IngestItem {
  const saved = store.saveExtraction({
    bytes,
    locator,
    mediaType: "",
    report: null,
    status: "failed",
    ...(error ? { error } : {}),
    extractorName: EXTRACTOR.name,
    extractorVersion: EXTRACTOR.version,
    format: "",
    charset: null,
    ...(startedAt ? { startedAt } : {}),
  });
  return {
    locator,
    status,
    reportId: saved.reportId,
    organ: null,
    year: null,
    errors: 0,
    warnings: 0,
    problem: error,
  };
}

/** An extraction waiting to be stored (see `extractForStore` / `storeExtraction`). */
export type PendingExtraction =
  | { kind: "known" }
  | { kind: "report"; report: Report; startedAt: string }
  | { kind: "fault"; error: string; startedAt: string };

/**
 * The slow, asynchronous half of an ingest: skips bytes already extracted by this extractor
 * version, otherwise extracts. Nothing is written, so a caller can store the result together
 * with its own state in one transaction (the crawler does).
 */
export async function extractForStore(
  store: Store,
  input: ExtractInput,
  extract: Extractor = extractReport,
): Promise<PendingExtraction> {
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  if (store.hasRun(sha256, EXTRACTOR.name, EXTRACTOR.version)) return { kind: "known" };
  const startedAt = new Date().toISOString();
  try {
    return { kind: "report", report: await extract(input), startedAt };
  } catch (err) {
    // A fault of the extraction machinery (a crashed or timed-out worker): keep the bytes and say why.
    return { kind: "fault", error: (err as Error).message, startedAt };
  }
}

/** The synchronous half: stores the bytes and the extraction's outcome (one transaction, or a savepoint of the caller's). */
export function storeExtraction(
  store: Store,
  bytes: Uint8Array,
  locator: string,
  pending: PendingExtraction,
): IngestItem {
  // Stored already: this only records the (possibly new) locator.
  if (pending.kind === "known") return withoutReport(store, bytes, locator, "skipped", null);
  if (pending.kind === "fault")
    return withoutReport(store, bytes, locator, "failed", pending.error, pending.startedAt);
  const { report, startedAt } = pending;
  const failed = report.status === "failed";
  const saved = store.saveExtraction({
    bytes,
    locator,
    mediaType: report.source.media_type,
    report: failed ? null : report,
    status: report.status,
    ...(failed ? { error: report.problems.join("; ") } : {}),
    extractorName: EXTRACTOR.name,
    extractorVersion: EXTRACTOR.version,
    format: report.source.format,
    formatEvidence: report.source.format_evidence,
    charset: report.source.charset,
    startedAt,
  });
  return summarise(report, saved.reportId, saved.skipped);
}

/** Extracts and stores one document; never throws for bad input. */
export async function ingestBytes(
  store: Store,
  bytes: Uint8Array,
  locator: string,
  contentType?: string,
  extract: Extractor = extractReport,
): Promise<IngestItem> {
  const pending = await extractForStore(
    store,
    { bytes, locator, ...(contentType ? { contentType } : {}) },
    extract,
  );
  return storeExtraction(store, bytes, locator, pending);
}

/** One document to ingest; `load` is called when its turn comes, so a large batch is not held in memory. */
export interface IngestSource {
  locator: string;
  load: () => Promise<{ bytes: Uint8Array; contentType?: string }>;
}

export function ingestFiles(store: Store, files: string[], opts: IngestOptions = {}): Promise<IngestItem[]> {
  return ingestSources(
    store,
    files.map((file) => ({ locator: file, load: async () => ({ bytes: await readFile(file) }) })),
    opts,
  );
}

/**
 * Ingests documents with `opts.concurrency` in flight and, when `opts.workers` > 1, extraction
 * spread over that many worker threads; rows are written by this thread, one transaction each.
 */
export async function ingestSources(
  store: Store,
  sources: IngestSource[],
  opts: IngestOptions = {},
): Promise<IngestItem[]> {
  const pool = (opts.workers ?? 1) > 1 ? new ExtractionPool({ size: opts.workers! }) : null;
  const extract: Extractor = pool ? (input) => pool.extract(input) : extractReport;
  // Enough documents in flight to keep every worker busy while files are read and rows written.
  const queue = new PQueue({ concurrency: Math.max(opts.concurrency ?? 4, (pool?.size ?? 1) * 2) });
  const results: IngestItem[] = new Array(sources.length);
  let done = 0;
  try {
    await Promise.all(
      sources.map((source, i) =>
        queue.add(async () => {
          let item: IngestItem;
          try {
            const { bytes, contentType } = await source.load();
            item = await ingestBytes(store, bytes, source.locator, contentType, extract);
          } catch (err) {
            item = {
              locator: source.locator,
              status: "failed",
              reportId: null,
              organ: null,
              year: null,
              errors: 0,
              warnings: 0,
              problem: `无法读取或保存：${(err as Error).message}`,
            };
          }
          results[i] = item;
          done++;
          opts.onProgress?.(done, sources.length, item);
        }),
      ),
    );
  } finally {
    await pool?.close();
  }
  return results;
}
