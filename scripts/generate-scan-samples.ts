/**
 * Writes OCR samples into samples/scan/: pages of committed text PDFs rendered by pdftoppm and
 * degraded by ImageMagick the way scanners and phones degrade them (skew, noise, blur, JPEG, a red
 * seal over a table, a page upside down, uneven lighting), saved as image-only PDFs and as PNG,
 * JPEG and multi-page TIFF files, each with a `<id>.truth.json` copied from its source's truth
 * (`kind: "scan"`; image files keep only the cells of the tables on their pages). CI never runs
 * this: it reads the committed files.
 *
 *   npx tsx scripts/generate-scan-samples.ts [--only=<id>] [--index-only]
 *     --index-only rewrites index.json (e.g. after measuring new floors) without touching the images.
 *   apt-get install -y poppler-utils imagemagick
 *
 * The image-only PDFs are written here (one image XObject per page, DCT for JPEG, Flate for grey
 * PNG), so no PDF writer needs to be trusted or allowed by ImageMagick's security policy.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { extractReport } from "../src/pipeline/extract.js";
import { imagePdf } from "../src/samples/image-pdf.js";
import { ensureDebianPackages } from "./apt.js";

const OUT = path.resolve("samples/scan");

interface Page {
  /** 1-based page of the source PDF. */
  page: number;
  /** ImageMagick options applied to the rendered page. */
  ops: string[];
}

interface Sample {
  id: string;
  source: string;
  /** Output kind: an image-only PDF of every page, or image file(s) of some pages. */
  output: "pdf" | "png" | "jpg" | "tif";
  dpi: number;
  color: boolean;
  pages: Page[] | "all";
  /** Options for the "all" pages, and per-page exceptions. */
  ops: string[];
  overrides?: Record<number, string[]>;
  notes: string;
  /** Share of truth cells read exactly, measured when the sample was made (the golden test's floor). */
  minExact: number;
}

const JPEG = (q: number) => ["-quality", String(q)];
const ROT = (deg: number) => ["-background", "white", "-rotate", String(deg), "+repage"];
const NOISE = ["-seed", "7", "-attenuate", "0.35", "+noise", "Gaussian"];
const BLUR = ["-blur", "0x0.5"];
/** A red seal over the table's right side, multiplied like ink: print under it stays black. */
const STAMP = (cx: number, cy: number) => [
  "(",
  "+clone",
  "-fill",
  "white",
  "-colorize",
  "100",
  "-fill",
  "rgb(245,200,200)",
  "-stroke",
  "rgb(215,30,30)",
  "-strokewidth",
  "7",
  "-draw",
  `circle ${cx},${cy} ${cx + 150},${cy}`,
  "-stroke",
  "none",
  "-fill",
  "rgb(220,40,40)",
  "-draw",
  `translate ${cx},${cy} polygon 0,-50 12,-15 48,-15 19,6 29,40 0,19 -29,40 -19,6 -48,-15 -12,-15`,
  ")",
  "-compose",
  "multiply",
  "-composite",
];
/** Light falling off from one corner, as in a phone photo of a page on a desk. */
const UNEVEN = [
  "(",
  "+clone",
  "-sparse-color",
  "Barycentric",
  "0,0 gray(62%) %w,0 gray(90%) 0,%h gray(80%) %w,%h white",
  ")",
  "-compose",
  "multiply",
  "-composite",
];

const SAMPLES: Sample[] = [
  {
    id: "scan-lo-ruled-v2021-skew-jpeg",
    source: "samples/pdf/lo-ruled-v2021.pdf",
    output: "pdf",
    dpi: 150,
    color: false,
    pages: "all",
    ops: [...ROT(1.2), ...NOISE, ...JPEG(60)],
    notes: "150 dpi grey, turned 1.2°, Gaussian noise, JPEG quality 60, image-only PDF",
    minExact: 1,
  },
  {
    id: "scan-chrome-ruled-v2019-stamp",
    source: "samples/pdf/chrome-ruled-v2019.pdf",
    output: "pdf",
    dpi: 150,
    color: true,
    pages: "all",
    ops: [...ROT(-0.6), ...STAMP(980, 900), ...BLUR, ...JPEG(70)],
    notes: "150 dpi colour, turned -0.6°, a red seal over the right of the page's table, blur, JPEG 70",
    minExact: 1,
  },
  {
    id: "scan-lo-ruled-v2019-upside-down",
    source: "samples/pdf/lo-ruled-v2019.pdf",
    output: "pdf",
    dpi: 150,
    color: false,
    pages: "all",
    overrides: { 2: [...ROT(180.5), ...NOISE, ...JPEG(65)] },
    ops: [...ROT(0.4), ...NOISE, ...JPEG(65)],
    notes: "150 dpi grey, page 2 (table 三) scanned upside down (180.5°), the rest turned 0.4°, JPEG 65",
    minExact: 1,
  },
  {
    id: "scan-chrome-v2021-split-t3-photo",
    source: "samples/pdf/chrome-v2021-split-t3.pdf",
    output: "pdf",
    dpi: 170,
    color: false,
    pages: "all",
    ops: [...UNEVEN, ...ROT(1.8), ...JPEG(62)],
    notes:
      "170 dpi grey, photographed look: light falling off to one corner, turned 1.8°, JPEG 62; table 三 across two pages",
    minExact: 1,
  },
  {
    id: "scan-hzq2024",
    source: "samples/real/hzq2024.pdf",
    output: "pdf",
    dpi: 150,
    color: false,
    pages: "all",
    ops: [...ROT(0.7), ...NOISE, ...JPEG(65)],
    notes: "the real report hzq2024.pdf scanned: 150 dpi grey, turned 0.7°, noise, JPEG 65",
    minExact: 1,
  },
  {
    id: "render-lo-v2021-narrow",
    source: "samples/pdf/lo-v2021-narrow.pdf",
    output: "pdf",
    dpi: 150,
    color: false,
    pages: "all",
    ops: [],
    notes: "clean 150 dpi grey render (lossless), narrow wrapped value columns",
    minExact: 1,
  },
  {
    id: "page-chrome-ruled-v2021-t3",
    source: "samples/pdf/chrome-ruled-v2021.pdf",
    output: "png",
    dpi: 150,
    color: false,
    pages: [{ page: 2, ops: [] }],
    ops: [],
    notes: "one page (table 三 and 四) as a clean 150 dpi grey PNG",
    minExact: 1,
  },
  {
    id: "photo-lo-ruled-v2021-t3",
    source: "samples/pdf/lo-ruled-v2021.pdf",
    output: "jpg",
    dpi: 160,
    color: true,
    pages: [{ page: 2, ops: [...UNEVEN, ...ROT(-1.5), ...BLUR, ...JPEG(58)] }],
    ops: [],
    notes: "one page as a phone photo: colour JPEG 58, uneven light, turned -1.5°",
    minExact: 1,
  },
  {
    id: "fax-lo-v2019-split-t3",
    source: "samples/pdf/lo-v2019-split-t3.pdf",
    output: "tif",
    dpi: 200,
    color: false,
    pages: "all",
    ops: [...ROT(0.3), "-threshold", "55%", "-type", "bilevel"],
    notes: "every page in one multi-page bilevel TIFF (CCITT G4, like a fax), 200 dpi, turned 0.3°",
    minExact: 1,
  },
  {
    id: "scan-lo-v2021-unruled",
    source: "samples/pdf/lo-v2021-unruled.pdf",
    output: "pdf",
    dpi: 150,
    color: false,
    pages: "all",
    ops: [...ROT(0.8), ...NOISE, ...JPEG(65)],
    overrides: { 3: [...ROT(179.4), ...NOISE, ...JPEG(65)] },
    notes:
      "tables without any rules, 150 dpi grey, turned 0.8°, page 3 upside down (179.4°), noise, JPEG 65 (read from word boxes in columns)",
    minExact: 1,
  },
];

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

function pageCount(file: string): number {
  const r = spawnSync("pdfinfo", [file], { encoding: "utf8" });
  return Number(/Pages:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
}

/** The source's truth cells that its text layer places on the given pages. */
async function cellsOnPages(
  source: string,
  pages: number[],
  truth: Record<string, number>,
): Promise<Record<string, number>> {
  const report = await extractReport({ bytes: readFileSync(source), locator: source, ocr: false });
  const onPages = (p: string) => {
    const page = report.cells[p]?.loc?.page;
    return page !== undefined && pages.includes(page);
  };
  return Object.fromEntries(Object.entries(truth).filter(([p]) => onPages(p)));
}

async function main(): Promise<void> {
  ensureDebianPackages(["poppler-utils", "imagemagick"], () =>
    ["pdftoppm", "convert", "pdfinfo"].every((t) => spawnSync(t, ["-v"]).error === undefined),
  );
  mkdirSync(OUT, { recursive: true });
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
  const indexOnly = process.argv.includes("--index-only");
  const index: unknown[] = [];
  for (const s of SAMPLES) {
    const entry = {
      id: s.id,
      file: `${s.id}.${s.output}`,
      source: s.source,
      output: s.output,
      dpi: s.dpi,
      notes: s.notes,
      min_exact: s.minExact,
    };
    index.push(entry);
    if (indexOnly || (only && s.id !== only)) continue;
    const work = mkdtempSync(path.join(tmpdir(), "nianbao-scan-"));
    try {
      const n = pageCount(s.source);
      const pages: Page[] =
        s.pages === "all"
          ? Array.from({ length: n }, (_, i) => ({ page: i + 1, ops: s.overrides?.[i + 1] ?? s.ops }))
          : s.pages;
      const rendered: string[] = [];
      for (const p of pages) {
        const base = path.join(work, `p${p.page}`);
        run("pdftoppm", [
          "-r",
          String(s.dpi),
          ...(s.color ? [] : ["-gray"]),
          "-png",
          "-f",
          String(p.page),
          "-l",
          String(p.page),
          "-singlefile",
          s.source,
          base,
        ]);
        const lossy = p.ops.includes("-quality");
        const ext = s.output === "tif" ? "png" : lossy ? "jpg" : "png";
        const out = `${base}-out.${ext}`;
        run("convert", [`${base}.png`, ...p.ops, ...(s.color ? [] : ["-colorspace", "Gray"]), out]);
        rendered.push(out);
      }
      const truthFile = s.source.replace(/\.pdf$/, ".truth.json");
      const truth = JSON.parse(readFileSync(truthFile, "utf8")) as Record<string, unknown> & {
        cells: Record<string, number>;
        blank_cells?: string[];
      };
      const file = `${s.id}.${s.output}`;
      const dest = path.join(OUT, file);
      if (s.output === "pdf")
        writeFileSync(
          dest,
          imagePdf(
            rendered.map((f) => readFileSync(f)),
            s.dpi,
          ),
        );
      else if (s.output === "tif") run("convert", [...rendered, "-compress", "group4", dest]);
      else writeFileSync(dest, readFileSync(rendered[0]!));
      const cells =
        s.output === "pdf" || s.output === "tif"
          ? truth.cells
          : await cellsOnPages(
              s.source,
              pages.map((p) => p.page),
              truth.cells,
            );
      const out = {
        ...truth,
        id: s.id,
        file,
        kind: "scan",
        source_sample: path.relative(process.cwd(), s.source),
        cells,
        blank_cells: (truth.blank_cells ?? []).filter((p) => p in cells),
        ...(s.output === "pdf"
          ? {
              needs_ocr: Array.from({ length: pages.length }, (_, i) => ({ page: i + 1, reason: "no-text" })),
            }
          : {}),
        notes: s.notes,
      };
      writeFileSync(path.join(OUT, `${s.id}.truth.json`), `${JSON.stringify(out, null, 1)}\n`);
      console.log(`${file}: ${pages.length} page(s), ${readFileSync(dest).length} bytes`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  if (!only)
    writeFileSync(
      path.join(OUT, "index.json"),
      `${JSON.stringify({ generator: "scripts/generate-scan-samples.ts", samples: index }, null, 1)}\n`,
    );
}

await main();
