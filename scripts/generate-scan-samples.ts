/**
 * Writes OCR samples into samples/scan/: pages of committed text PDFs rendered by pdftoppm and
 * degraded by ImageMagick the way scanners and phones degrade them (skew, noise, blur, JPEG, a red
 * seal over a table, a page upside down, uneven lighting), saved as image-only PDFs and as PNG,
 * JPEG and multi-page TIFF files, each with a `<id>.truth.json` copied from its source's truth
 * (`kind: "scan"`; image files keep only the cells of the tables on their pages). CI never runs
 * this: it reads the committed files.
 *
 *   npx tsx scripts/generate-scan-samples.ts
 *   apt-get install -y poppler-utils imagemagick
 *
 * The image-only PDFs are written here (one image XObject per page, DCT for JPEG, Flate for grey
 * PNG), so no PDF writer needs to be trusted or allowed by ImageMagick's security policy.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { PNG } from "pngjs";
import { extractReport } from "../src/pipeline/extract.js";
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
}

const JPEG = (q: number) => ["-quality", String(q)];
const ROT = (deg: number) => ["-background", "white", "-rotate", String(deg), "+repage"];
const NOISE = ["-attenuate", "0.35", "+noise", "Gaussian"];
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
  },
  {
    id: "scan-chrome-v2021-split-t3-photo",
    source: "samples/pdf/chrome-v2021-split-t3.pdf",
    output: "pdf",
    dpi: 170,
    color: false,
    pages: "all",
    ops: [...UNEVEN, ...ROT(1.8), ...BLUR, ...NOISE, ...JPEG(55)],
    notes:
      "170 dpi grey, photographed look: light falling off to one corner, turned 1.8°, blur, noise, JPEG 55; table 三 across two pages",
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

/** A PDF with one full-page image per page: JPEG (DCT) as is, PNG as grey Flate. */
function imagePdf(files: string[], dpi: number): Buffer {
  const objects: Buffer[] = [];
  const add = (body: Buffer | string) => {
    objects.push(typeof body === "string" ? Buffer.from(body, "latin1") : body);
    return objects.length;
  };
  const pageIds: number[] = [];
  const pagesId = 2;
  add("<< /Type /Catalog /Pages 2 0 R >>");
  add(""); // the page tree, filled in at the end
  for (const f of files) {
    const bytes = readFileSync(f);
    let w: number;
    let h: number;
    let dict: string;
    let data: Buffer;
    if (f.endsWith(".jpg")) {
      const sof = sofSize(bytes);
      w = sof.width;
      h = sof.height;
      dict = `/ColorSpace /${sof.components === 3 ? "DeviceRGB" : "DeviceGray"} /BitsPerComponent 8 /Filter /DCTDecode`;
      data = bytes;
    } else {
      const png = PNG.sync.read(bytes);
      w = png.width;
      h = png.height;
      const grey = Buffer.alloc(w * h);
      for (let i = 0; i < w * h; i++) grey[i] = png.data[i * 4]!;
      dict = "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode";
      data = deflateSync(grey, { level: 9 });
    }
    const img = add(
      Buffer.concat([
        Buffer.from(
          `<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} ${dict} /Length ${data.length} >>\nstream\n`,
          "latin1",
        ),
        data,
        Buffer.from("\nendstream", "latin1"),
      ]),
    );
    const pw = (w * 72) / dpi;
    const ph = (h * 72) / dpi;
    const content = `q ${pw.toFixed(2)} 0 0 ${ph.toFixed(2)} 0 0 cm /Im0 Do Q`;
    const c = add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    pageIds.push(
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pw.toFixed(2)} ${ph.toFixed(2)}] /Resources << /XObject << /Im0 ${img} 0 R >> >> /Contents ${c} 0 R >>`,
      ),
    );
  }
  objects[pagesId - 1] = Buffer.from(
    `<< /Type /Pages /Kids [${pageIds.map((i) => `${i} 0 R`).join(" ")}] /Count ${pageIds.length} >>`,
    "latin1",
  );
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets: number[] = [];
  let size = parts[0]!.length;
  objects.forEach((o, i) => {
    offsets.push(size);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, "latin1"),
      o,
      Buffer.from("\nendobj\n", "latin1"),
    ]);
    parts.push(chunk);
    size += chunk.length;
  });
  const xref = [
    "xref",
    `0 ${objects.length + 1}`,
    "0000000000 65535 f ",
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n `),
    "trailer",
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    "startxref",
    String(size),
    "%%EOF\n",
  ].join("\n");
  parts.push(Buffer.from(xref, "latin1"));
  return Buffer.concat(parts);
}

function sofSize(b: Buffer): { width: number; height: number; components: number } {
  let i = 2;
  while (i < b.length) {
    const marker = b[i + 1]!;
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7), components: b[i + 9]! };
    }
    i += 2 + len;
  }
  throw new Error("no SOF marker");
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
  const index: unknown[] = [];
  for (const s of SAMPLES) {
    if (only && s.id !== only) continue;
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
      if (s.output === "pdf") writeFileSync(dest, imagePdf(rendered, s.dpi));
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
      index.push({
        id: s.id,
        file,
        source: out.source_sample,
        output: s.output,
        dpi: s.dpi,
        pages: pages.length,
        notes: s.notes,
      });
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
