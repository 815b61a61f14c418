/**
 * A store built the way users build one: samples ingested into a temporary SQLite file. Picked
 * so every export and canned query has something to find: real reports of consecutive years
 * (pingtan), injected T3.R1 breaks, a T3.X1 carry-over pair (临水县教育局 2019→2020), money
 * cells, one file that fails; plus two synthetic reports whose organ and finding message hold a
 * comma, a quote and a line break, and whose money cells have exact decimals (7730.28, 306040.50).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Report } from "../../src/model/report.js";
import { EXTRACTOR, extractReport } from "../../src/pipeline/extract.js";
import { ingestFiles } from "../../src/pipeline/ingest.js";
import { openStore, type Store } from "../../src/store/store.js";

export const SAMPLE_FILES = [
  ...[2019, 2020, 2021, 2022, 2023, 2024, 2025].map((y) => `samples/real/pingtan/pingtan-${y}.txt`),
  "samples/real/seed-wuhai-edu-2022.txt",
  "samples/generated/gen-v2019-text-cell-lines-1.txt",
  "samples/generated/gen-v2019-inj-t3r3-html-clean.html",
  "samples/generated/gen-v2021-inj-t3r1-html-clean.html",
  "samples/generated/gen-v2019-inj-t3r1-html-blanks.html",
  "samples/generated/gen-v2021-html-gbk-nodecl-1.html",
  "samples/generated/gen-v2021-inj-t3r2-html-split-t3.html",
];

/** Organ and message that need CSV quoting. */
export const TRICKY_ORGAN = '测试,"引号"机关\n第二行';
export const TRICKY_MESSAGE = '含逗号,和"引号"\r\n以及换行';

export interface Fixture {
  dir: string;
  db: string;
  store: Store;
  /** Report with TRICKY_ORGAN, a TRICKY_MESSAGE finding and t2.admin_fees.amount_wan_yuan = 7730.28. */
  trickyId: number;
  /** v2019 report with t2.central_procurement.amount = "306040.50" (trailing zero kept). */
  decimalId: number;
}

async function saveSynthetic(store: Store, sample: string, edit: (r: Report) => void): Promise<number> {
  // Different bytes from the sample, so the synthetic report is a document of its own.
  const bytes = Buffer.concat([fs.readFileSync(sample), Buffer.from(`\n<!-- synthetic: ${sample} -->\n`)]);
  const report = await extractReport({ bytes, locator: `synthetic/${path.basename(sample)}` });
  if (report.status === "failed") throw new Error(`${sample} did not extract`);
  edit(report);
  const saved = store.saveExtraction({
    bytes,
    locator: report.source.locator,
    mediaType: report.source.media_type,
    report,
    status: report.status,
    extractorName: EXTRACTOR.name,
    extractorVersion: EXTRACTOR.version,
    format: report.source.format,
    charset: report.source.charset,
  });
  if (saved.reportId === null) throw new Error(`synthetic report from ${sample} was not stored`);
  return saved.reportId;
}

export async function buildFixture(): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nianbao-export-"));
  const db = path.join(dir, "fixture.db");
  const store = openStore(db);
  const empty = path.join(dir, "empty.txt");
  fs.writeFileSync(empty, "");
  await ingestFiles(store, [...SAMPLE_FILES, empty]);

  const trickyId = await saveSynthetic(store, "samples/generated/gen-v2021-html-clean-1.html", (r) => {
    r.meta.organ = TRICKY_ORGAN;
    const fee = r.cells["t2.admin_fees.amount_wan_yuan"];
    if (!fee) throw new Error("sample lacks t2.admin_fees.amount_wan_yuan");
    r.cells["t2.admin_fees.amount_wan_yuan"] = { ...fee, value: 7730.28, decimal: "7730.28" };
    r.findings.push({
      rule: "X.UNPLACED_ROW",
      severity: "warning",
      origin: "extraction",
      path: null,
      paths: [],
      expected: null,
      actual: "7,3",
      residual: null,
      message: TRICKY_MESSAGE,
    });
  });
  const decimalId = await saveSynthetic(store, "samples/generated/gen-v2019-html-blanks-1.html", (r) => {
    const amount = r.cells["t2.central_procurement.amount"];
    if (!amount) throw new Error("sample lacks t2.central_procurement.amount");
    r.cells["t2.central_procurement.amount"] = { ...amount, value: 306040.5, decimal: "306040.50" };
  });
  return { dir, db, store, trickyId, decimalId };
}

export function removeFixture(f: Fixture | undefined): void {
  if (!f) return;
  f.store.close();
  fs.rmSync(f.dir, { recursive: true, force: true });
}

/** sha256 of bytes, to compare exports without printing them. */
export function digest(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

/** RFC 4180 parser (quotes, doubled quotes, CR/LF inside quotes); the test's independent reader. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else if (ch === "\n") {
      throw new Error(`bare LF outside quotes at ${i}`);
    } else field += ch;
  }
  if (field !== "" || row.length > 0) throw new Error("last line does not end with CRLF");
  return rows;
}
