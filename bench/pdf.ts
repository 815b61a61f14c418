/**
 * PDF benchmark: pages/s and peak memory of the PDF backend end to end (text layer, ruling lines,
 * mapping, validation) over the committed PDFs, against `pdftotext -layout` on the same files as
 * the reference for raw text-extraction speed. Prints figures; asserts nothing.
 *
 *   npm run bench:pdf               # each file 5 times
 *   npm run bench:pdf -- --rounds 20
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { extractReport } from "../src/pipeline/extract.js";

const i = process.argv.indexOf("--rounds");
const rounds = i >= 0 ? Number(process.argv[i + 1]) : 5;

function pdfFiles(): string[] {
  const out = ["samples/real/hzq2024.pdf"];
  for (const dir of ["samples/pdf"]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith(".pdf")) out.push(path.join(dir, f));
  }
  return out;
}

async function pageCount(bytes: Uint8Array): Promise<number> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false })
    .promise;
  const n = doc.numPages;
  await doc.destroy();
  return n;
}

function havePdftotext(): boolean {
  if (spawnSync("pdftotext", ["-v"]).status === 0) return true;
  // The reference tool is a Debian package; install it when we may (root), else skip the comparison.
  if (process.getuid?.() === 0) {
    spawnSync("apt-get", ["install", "-y", "-q", "poppler-utils"], { stdio: "ignore" });
    return spawnSync("pdftotext", ["-v"]).status === 0;
  }
  return false;
}

const files = pdfFiles();
const docs = await Promise.all(
  files.map(async (f) => {
    const bytes = new Uint8Array(readFileSync(f));
    return { file: f, bytes, pages: await pageCount(bytes) };
  }),
);
const totalPages = docs.reduce((s, d) => s + d.pages, 0);

// Warm-up: module loading and cMap reading are paid once per process, not per document.
await extractReport({ bytes: docs[0]!.bytes, locator: docs[0]!.file });

let peakRss = process.memoryUsage().rss;
const perFile = new Map<string, number>();
const t0 = performance.now();
for (let r = 0; r < rounds; r++) {
  for (const d of docs) {
    const t = performance.now();
    await extractReport({ bytes: d.bytes, locator: d.file });
    perFile.set(d.file, (perFile.get(d.file) ?? 0) + performance.now() - t);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
}
const ours = (performance.now() - t0) / 1000;

console.log(
  `nianbao PDF bench — node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}`,
);
console.log(`${docs.length} PDFs, ${totalPages} pages, ${rounds} rounds`);
console.log(
  `nianbao (text layer + tables + checks): ${((totalPages * rounds) / ours).toFixed(1)} pages/s, peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
);
for (const d of docs) {
  const ms = (perFile.get(d.file) ?? 0) / rounds;
  console.log(
    `  ${d.file.padEnd(48)} ${String(d.pages).padStart(3)} p  ${ms.toFixed(0).padStart(5)} ms  ${(d.pages / (ms / 1000)).toFixed(1)} pages/s`,
  );
}
if (havePdftotext()) {
  const t1 = performance.now();
  for (let r = 0; r < rounds; r++)
    for (const d of docs) execFileSync("pdftotext", ["-layout", d.file, "/dev/null"]);
  const ref = (performance.now() - t1) / 1000;
  console.log(
    `pdftotext -layout (reference, text only, one process per file): ${((totalPages * rounds) / ref).toFixed(1)} pages/s`,
  );
} else {
  console.log("pdftotext not installed (apt-get install poppler-utils): reference skipped");
}
