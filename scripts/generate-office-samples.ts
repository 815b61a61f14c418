/**
 * Writes samples/office/: a handful of the generated HTML samples converted by LibreOffice to
 * `.docx` (MS Word 2007 XML) and `.doc` (MS Word 97), each with its truth file (the HTML sample's
 * truth, `id` and `file` updated) and an index.json shaped like samples/generated/index.json.
 * The binaries are committed: tests read them and CI has no LibreOffice. LibreOffice stamps dates
 * into its output, so re-running gives equivalent documents, not identical bytes.
 *
 *   npx tsx scripts/generate-office-samples.ts
 */

import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ensureDebianPackages } from "./apt.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SOURCE = path.join(ROOT, "samples/generated");
const OUT = path.join(ROOT, "samples/office");

/**
 * Both templates; real rowspan/colspan (html-clean); Word-exported HTML whose `<br>` become
 * multi-paragraph cells; blank, dash and slash cells (a blank at the very end of table 三);
 * table 三 split in two; injected inconsistencies. Left out: gbk-nodecl (LibreOffice guesses the
 * charset wrong and writes an empty document) and nested (nested tables' cell marks in a .doc are
 * plain paragraph marks, which word-extractor's text cannot tell from narrative).
 */
const SELECTED = [
  "gen-v2021-html-clean-1",
  "gen-v2019-html-clean-1",
  "gen-v2021-html-word-gbk-1",
  "gen-v2021-html-blanks-1",
  "gen-v2019-html-blanks-2",
  "gen-v2021-html-split-t3-1",
  "gen-v2021-inj-t3r1-html-clean",
  "gen-v2019-inj-t3r3-html-clean",
  "gen-v2021-inj-t2w1-html-word-gbk",
];

const FORMATS = [
  { ext: "docx", filter: "docx:MS Word 2007 XML" },
  { ext: "doc", filter: "doc:MS Word 97" },
] as const;

interface SourceEntry {
  id: string;
  file: string;
  truth: string;
  style: string;
  template: string;
  year: number;
  seed: number;
  injections: string[];
  expected_findings: number;
}

function requireSoffice(): void {
  ensureDebianPackages(["libreoffice-writer-nogui", "fonts-noto-cjk"], () => {
    const probe = spawnSync("soffice", ["--version"], { encoding: "utf8" });
    return !probe.error && probe.status === 0;
  });
}

/** One soffice run per format converts every selected file; a private profile lets runs go in parallel. */
function convert(inputs: string[], filter: string, outDir: string, profile: string): void {
  const r = spawnSync(
    "soffice",
    [
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      "--headless",
      "--convert-to",
      filter,
      "--outdir",
      outDir,
      ...inputs,
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`soffice failed (${r.status}): ${r.stderr}`);
}

function main(): void {
  requireSoffice();
  const index = JSON.parse(readFileSync(path.join(SOURCE, "index.json"), "utf8")) as {
    samples: SourceEntry[];
  };
  const chosen = SELECTED.map((id) => {
    const entry = index.samples.find((s) => s.id === id);
    if (!entry) throw new Error(`${id} is not in samples/generated/index.json`);
    return entry;
  });

  const work = mkdtempSync(path.join(tmpdir(), "nianbao-office-"));
  const profile = mkdtempSync(path.join(tmpdir(), "lo-profile-"));
  try {
    mkdirSync(OUT, { recursive: true });
    // Start clean so renamed or dropped samples do not linger.
    for (const f of readdirSync(OUT)) rmSync(path.join(OUT, f));
    const inputs = chosen.map((e) => path.join(SOURCE, e.file));
    const samples: Record<string, unknown>[] = [];
    for (const { ext, filter } of FORMATS) {
      convert(inputs, filter, work, profile);
      for (const e of chosen) {
        const id = `${e.id}-${ext}`;
        const file = `${e.id}.${ext}`;
        renameSync(path.join(work, `${path.parse(e.file).name}.${ext}`), path.join(OUT, file));
        const truth = JSON.parse(readFileSync(path.join(SOURCE, e.truth), "utf8")) as Record<string, unknown>;
        const notes = typeof truth.notes === "string" ? `${truth.notes}; ` : "";
        Object.assign(truth, {
          id,
          file,
          kind: ext,
          notes: `${notes}converted from ${e.file} by LibreOffice (${filter})`,
        });
        writeFileSync(path.join(OUT, `${id}.truth.json`), `${JSON.stringify(truth, null, 1)}\n`);
        samples.push({
          id,
          file,
          truth: `${id}.truth.json`,
          kind: ext,
          style: e.style,
          source: `samples/generated/${e.file}`,
          template: e.template,
          year: e.year,
          seed: e.seed,
          injections: e.injections,
          expected_findings: e.expected_findings,
        });
      }
    }
    const out = { generator: "scripts/generate-office-samples.ts (LibreOffice)", samples };
    writeFileSync(path.join(OUT, "index.json"), `${JSON.stringify(out, null, 1)}\n`);
    process.stdout.write(`wrote ${samples.length} samples to ${path.relative(ROOT, OUT)}/\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

main();
