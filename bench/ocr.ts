/**
 * OCR benchmark: seconds per page and peak memory of the OCR path (render, find the tables, read every
 * cell) over the scanned PDF samples with the pool using both cores, against the native `tesseract` CLI
 * (Debian tesseract-ocr, OMP_THREAD_LIMIT=1, two processes at a time) reading the same pages whole as
 * the speed reference. Prints figures; asserts nothing.
 *
 *   npm run bench:ocr
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { closeOcr } from "../src/extractors/ocr/engine.js";
import { extractReport } from "../src/pipeline/extract.js";

const FILES = readdirSync("samples/scan")
  .filter((f) => f.endsWith(".pdf"))
  .map((f) => path.join("samples/scan", f));

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

function ensureTesseract(): boolean {
  if (spawnSync("tesseract", ["--version"]).status === 0) return true;
  if (process.getuid?.() !== 0) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
  spawnSync("apt-get", ["install", "-y", "-q", "tesseract-ocr", "tesseract-ocr-chi-sim", "poppler-utils"], {
    stdio: "inherit",
    env,
  });
  return spawnSync("tesseract", ["--version"]).status === 0;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: "ignore", env });
    p.on("error", reject);
    p.on("exit", () => resolve());
  });
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.availableParallelism()} cores`);
  let pages = 0;
  const t0 = performance.now();
  for (const f of FILES) {
    const t = performance.now();
    const r = await extractReport({ bytes: readFileSync(f), locator: f });
    const n = r.needs_ocr.length;
    pages += n;
    console.log(
      `  ${path.basename(f)}: ${n} pages, ${((performance.now() - t) / 1000 / n).toFixed(2)} s/page`,
    );
  }
  const ours = (performance.now() - t0) / 1000;
  await closeOcr();
  clearInterval(sampler);
  console.log(
    `nianbao OCR: ${pages} pages in ${ours.toFixed(1)} s = ${(ours / pages).toFixed(2)} s/page, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );

  if (!ensureTesseract() || spawnSync("pdftoppm", ["-v"]).error) {
    console.log("native tesseract not available (install tesseract-ocr tesseract-ocr-chi-sim): skipped");
    return;
  }
  const work = mkdtempSync(path.join(os.tmpdir(), "nianbao-bench-ocr-"));
  try {
    const images: string[] = [];
    for (const f of FILES) {
      const base = path.join(work, path.basename(f, ".pdf"));
      spawnSync("pdftoppm", ["-r", "200", "-gray", "-png", f, base]);
    }
    for (const f of readdirSync(work).sort()) images.push(path.join(work, f));
    const env = { ...process.env, OMP_THREAD_LIMIT: "1" };
    const langs = spawnSync("tesseract", ["--list-langs"], { encoding: "utf8" }).stdout.includes("chi_sim")
      ? "chi_sim+eng"
      : "eng";
    const t1 = performance.now();
    const queue = [...images];
    await Promise.all(
      [0, 1].map(async () => {
        for (let img = queue.shift(); img; img = queue.shift())
          await run("tesseract", [img, "-", "-l", langs], env);
      }),
    );
    const native = (performance.now() - t1) / 1000;
    console.log(
      `native tesseract (${langs}, OMP_THREAD_LIMIT=1, 2 processes, whole pages at 200 dpi): ${images.length} pages in ${native.toFixed(1)} s = ${(native / images.length).toFixed(2)} s/page`,
    );
    console.log(`ratio nianbao / native: ${(ours / pages / (native / images.length)).toFixed(2)}×`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
