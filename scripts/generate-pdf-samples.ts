/**
 * Writes PDF samples into samples/pdf/: synthetic reports (src/samples/generator.ts) printed by real PDF
 * producers, each as `<id>.pdf` + `<id>.truth.json` (same format as samples/generated, `kind: "pdf"`), and
 * an index.json. CI never runs this: it only reads the committed PDFs.
 *
 *   npx tsx scripts/generate-pdf-samples.ts [--keep] [--only=<id>]
 *     --keep leaves the work directory (HTML, FODT, raw PDFs) in /tmp; --only rebuilds one sample and
 *     leaves index.json alone.
 *   apt-get install -y libreoffice-writer-nogui chromium poppler-utils qpdf ghostscript fonts-noto-cjk
 *
 * Inputs are deterministic (fixed seeds; the first seed from a base that gives a non-trivial table 三);
 * the PDFs are not byte-identical across runs or tool versions (dates, ids, font subset names).
 *
 * How each sample is made (render-print.ts writes the HTML or flat ODT):
 *   lo-ruled-*            HTML, 1px ruled rowspan/colspan tables, Noto Serif CJK SC → LibreOffice
 *                         (HTML imported into Writer, writer_pdf_Export). One per template, one with an
 *                         injected T3.R2 inconsistency (expected_findings in the truth).
 *   chrome-ruled-*        the same kind of HTML (Noto Sans CJK SC) printed by headless Chromium.
 *   *-split-t3            section 三 starts a page and gets filler paragraphs until table 三 breaks across
 *                         two pages (checked with pdftotext: `本年新收` on one page, `不掌握` on the next).
 *                         Chromium: `<thead>` with `display: table-header-group` (header repeated);
 *                         LibreOffice: flat ODT without header rows (header not repeated).
 *   *-narrow              value columns fixed at ~2 characters, so `商业企业` prints as `商业` / `企业`.
 *                         Chromium: `table-layout: fixed` + `<col>` widths; LibreOffice: flat ODT column
 *                         widths (its HTML import ignores `<col>` widths), with a vertical `三、本年度办理结果`.
 *   *-landscape           Chromium: sections 二–四 on CSS named pages `size: A4 landscape`;
 *                         LibreOffice: flat ODT with a landscape page style for sections 二–四;
 *                         chrome-*-rotated-landscape: each table drawn turned by -90° on a portrait page
 *                         (CSS transform), then `qpdf --rotate=+90:<table pages>` so the page carries
 *                         /Rotate 90 and displays upright.
 *   *-unruled             `border="0"`, CSS `border: none`, numbers right-aligned in their columns.
 *   scan-image-only-*     a Chromium PDF rasterised and rebuilt by Ghostscript (`-sDEVICE=pdfimage8 -r150`):
 *                         one grey image per page, no fonts, no text at all.
 *   image-table-*         table 三 alone screenshotted by Chromium (`--screenshot`, height measured with
 *                         `--dump-dom`), the report printed by Chromium with that PNG in place of table 三.
 *   garbled-text-*        a LibreOffice PDF whose fonts lose their /ToUnicode CMaps (QPDF JSON round trip):
 *                         the text layer is there but pdftotext gives control characters and mojibake.
 * OCR samples carry `needs_ocr: [{page, reason}]`; their cell values are not expected from the text layer.
 *
 * Chromium output is repacked by qpdf (`--object-streams=generate`, content streams untouched): Skia
 * writes each CJK glyph group as its own Type 3 font with a 256-entry /Differences array, which otherwise
 * doubles the size.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type GeneratedReport,
  generateReport,
  type Injection,
  type Template,
  type TruthFile,
  toTruth,
} from "../src/samples/generator.js";
import {
  DEFAULT_PRINT_STYLE,
  type PrintStyle,
  renderFodt,
  renderPrintHtml,
  renderT3Only,
} from "../src/samples/render-print.js";
import { ensureDebianPackages } from "./apt.js";

const OUT = fileURLToPath(new URL("../samples/pdf/", import.meta.url));
const APT =
  "apt-get install -y libreoffice-writer-nogui chromium poppler-utils qpdf ghostscript fonts-noto-cjk";
const SANS = '"Noto Sans CJK SC", sans-serif';
const SERIF = '"Noto Serif CJK SC", serif';

// ---------------------------------------------------------------- tools

interface Tool {
  cmd: string;
  args: string[];
  pkg: string;
}

const TOOLS: Tool[] = [
  { cmd: "soffice", args: ["--version"], pkg: "libreoffice-writer-nogui" },
  { cmd: "chromium", args: ["--version"], pkg: "chromium" },
  { cmd: "pdftoppm", args: ["-v"], pkg: "poppler-utils" },
  { cmd: "pdftotext", args: ["-v"], pkg: "poppler-utils" },
  { cmd: "pdfinfo", args: ["-v"], pkg: "poppler-utils" },
  { cmd: "pdfimages", args: ["-v"], pkg: "poppler-utils" },
  { cmd: "qpdf", args: ["--version"], pkg: "qpdf" },
  { cmd: "gs", args: ["--version"], pkg: "ghostscript" },
];

/** Every tool present and the CJK fonts installed, installing them (as root) when they are not. */
function toolsPresent(): boolean {
  const missing = TOOLS.filter((t) => spawnSync(t.cmd, t.args, { stdio: "ignore" }).error !== undefined);
  const fonts = spawnSync("fc-list", [":family=Noto Serif CJK SC"], { encoding: "utf8" });
  return missing.length === 0 && fonts.error === undefined && fonts.stdout.trim() !== "";
}

function checkTools(): void {
  ensureDebianPackages(APT.replace("apt-get install -y ", "").split(" "), toolsPresent);
}

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Run a tool; a non-zero exit is an error with its stderr (tools print warnings we otherwise ignore). */
function run(cmd: string, args: string[], cwd?: string): RunResult {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, timeout: 180_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} → exit ${r.status}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

// ---------------------------------------------------------------- producers

/** LibreOffice with a private profile (never the user's), converting one file to PDF beside it. */
function libreoffice(work: string, input: string, filterIn?: string): string {
  const profile = pathToFileURL(path.join(work, "lo-profile")).href;
  const args = [`-env:UserInstallation=${profile}`, "--headless"];
  // HTML opens in Writer/Web by default, whose PDF export drops the first paragraph; import into Writer.
  if (filterIn) args.push(`--infilter=${filterIn}`);
  args.push("--convert-to", "pdf:writer_pdf_Export", "--outdir", path.dirname(input), input);
  run("soffice", args);
  const out = input.replace(/\.[a-z]+$/, ".pdf");
  statSync(out);
  return out;
}

function chromiumFlags(work: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${path.join(work, "chromium-profile")}`,
  ];
}

function chromiumPdf(work: string, html: string, out: string): string {
  run("chromium", [
    ...chromiumFlags(work),
    `--print-to-pdf=${out}`,
    "--no-pdf-header-footer",
    pathToFileURL(html).href,
  ]);
  return out;
}

/** qpdf repack: object streams + maximum Flate; content streams and fonts are unchanged. */
function repack(pdf: string, out: string): string {
  run("qpdf", ["--object-streams=generate", "--recompress-flate", "--compression-level=9", pdf, out]);
  return out;
}

// ---------------------------------------------------------------- inspection

/** Text of each page (pdftotext ends every page with a form feed). */
function pageTexts(pdf: string, layout = true): string[] {
  const { stdout } = run("pdftotext", [...(layout ? ["-layout"] : []), "-enc", "UTF-8", pdf, "-"]);
  const pages = stdout.split("\f");
  pages.pop();
  return pages;
}

interface PageInfo {
  width: number;
  height: number;
  rotate: number;
}

function pageInfo(pdf: string): PageInfo[] {
  const { stdout } = run("pdfinfo", ["-f", "1", "-l", "9999", pdf]);
  const pages: PageInfo[] = [];
  for (const m of stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)/gm)) {
    pages[Number(m[1]) - 1] = { width: Number(m[2]), height: Number(m[3]), rotate: 0 };
  }
  for (const m of stdout.matchAll(/^Page\s+(\d+) rot:\s+(\d+)/gm)) {
    const p = pages[Number(m[1]) - 1];
    if (p) p.rotate = Number(m[2]);
  }
  return pages;
}

/** The PDF's /Producer; Ghostscript's image devices write none, so ask gs for its version instead. */
function producerOf(pdf: string): string {
  const { stdout } = run("pdfinfo", [pdf]);
  const producer = /^Producer:\s*(.+)$/m.exec(stdout)?.[1]?.trim();
  return producer || `Ghostscript ${run("gs", ["--version"]).stdout.trim()} (no /Producer)`;
}

/** 1-based pages holding at least one image (pdfimages -list). */
function imagePages(pdf: string): number[] {
  const { stdout } = run("pdfimages", ["-list", pdf]);
  const pages = stdout
    .split("\n")
    .slice(2)
    .map((l) => Number(l.trim().split(/\s+/)[0]))
    .filter((n) => Number.isInteger(n) && n > 0);
  return [...new Set(pages)];
}

const squeeze = (s: string): string => s.replace(/\s+/g, "");

/** 1-based page numbers whose text contains the key (whitespace ignored: labels wrap in narrow cells). */
function pagesWith(texts: string[], key: string): number[] {
  return texts.flatMap((t, i) => (squeeze(t).includes(key) ? [i + 1] : []));
}

// ---------------------------------------------------------------- checks

/** The printed text of every table cell, as a number token pdftotext should show (unit and `+` dropped). */
function printedTokens(r: GeneratedReport): string[] {
  return Object.values(r.printed).map((v) => v.replace(/^\+/, "").replace(/[^\d.-]+$/, ""));
}

/**
 * Every printed number occurs as a token of the text layer, counted with multiplicity. Prose numbers
 * add tokens, so this is a lower bound; it catches numbers lost, merged or broken by the layout.
 */
function missingNumbers(pdf: string, r: GeneratedReport): string[] {
  const tokens = new Map<string, number>();
  for (const m of pageTexts(pdf)
    .join("\n")
    .matchAll(/-?\d+(?:\.\d+)?/g)) {
    tokens.set(m[0], (tokens.get(m[0]) ?? 0) + 1);
  }
  const missing: string[] = [];
  for (const t of printedTokens(r)) {
    const n = tokens.get(t) ?? 0;
    if (n === 0) missing.push(t);
    else tokens.set(t, n - 1);
  }
  return missing;
}

function assertNumbersPresent(id: string, pdf: string, r: GeneratedReport): void {
  const missing = missingNumbers(pdf, r);
  if (missing.length > 0) throw new Error(`${id}: numbers missing from the text layer: ${missing.join(" ")}`);
}

/** Pages of the first and of a middle row of table 三, when they differ (the table breaks between them). */
function t3Split(pdf: string): { first: number; later: number } | undefined {
  const texts = pageTexts(pdf, false);
  const first = pagesWith(texts, "本年新收")[0];
  const later = pagesWith(texts, "不掌握")[0];
  return first !== undefined && later !== undefined && later > first ? { first, later } : undefined;
}

/** CJK ideographs in the text layer; a garbled or image-only PDF has none. */
function cjkCount(pdf: string): number {
  return (
    pageTexts(pdf)
      .join("")
      .match(/[\u4e00-\u9fff]/g) ?? []
  ).length;
}

// ---------------------------------------------------------------- samples

/** Who wrote the final PDF (the scan is printed by Chromium first, then rebuilt by Ghostscript). */
type Producer = "libreoffice" | "chromium" | "ghostscript";
type OcrReason = "no-text" | "garbled-text" | "image-table";

interface OcrPage {
  page: number;
  reason: OcrReason;
}

interface Built {
  pdf: string;
  notes: string[];
  needsOcr?: OcrPage[];
}

interface Spec {
  id: string;
  template: Template;
  producer: Producer;
  style: string;
  seedBase: number;
  inject?: Injection[];
  build: (ctx: Ctx) => Built;
}

interface Ctx {
  id: string;
  work: string;
  report: GeneratedReport;
}

type PdfTruth = Omit<TruthFile, "kind"> & { kind: "pdf"; needs_ocr?: OcrPage[] };

function style(over: Partial<PrintStyle>): PrintStyle {
  return { ...DEFAULT_PRINT_STYLE, ...over };
}

function writeWork(ctx: Ctx, name: string, text: string): string {
  const file = path.join(ctx.work, name);
  writeFileSync(file, text);
  return file;
}

function loHtml(ctx: Ctx, s: PrintStyle, name = ctx.id): string {
  return libreoffice(
    ctx.work,
    writeWork(ctx, `${name}.html`, renderPrintHtml(ctx.report, s)),
    "HTML (StarWriter)",
  );
}

function loFodt(ctx: Ctx, s: PrintStyle, name = ctx.id): string {
  return libreoffice(ctx.work, writeWork(ctx, `${name}.fodt`, renderFodt(ctx.report, s)));
}

function chromeHtml(ctx: Ctx, s: PrintStyle, name = ctx.id): string {
  const html = writeWork(ctx, `${name}.html`, renderPrintHtml(ctx.report, s));
  const raw = chromiumPdf(ctx.work, html, path.join(ctx.work, `${name}.raw.pdf`));
  return repack(raw, path.join(ctx.work, `${name}.pdf`));
}

const LO_SERIF = style({ font: SERIF });

/** Chromium samples: Noto Sans, regular weight only (each Type 3 glyph costs ~0.5 KB; bold doubles them). */
function chrome(over: Partial<PrintStyle> = {}): PrintStyle {
  return style({ font: SANS, bold: false, ...over });
}

/** Filler paragraphs, increasing until table 三 breaks across a page (the layout decides, so we measure). */
function buildSplit(ctx: Ctx, produce: (s: PrintStyle) => string, base: PrintStyle): Built {
  for (let n = 1; n <= 30; n++) {
    const pdf = produce({ ...base, t3LeadParagraphs: n });
    const split = t3Split(pdf);
    if (!split) continue;
    const texts = pageTexts(pdf, false);
    const repeated = pagesWith(texts, "申请人情况").includes(split.later);
    return {
      pdf,
      notes: [
        `section 三 starts a page, ${n} filler paragraphs; table 三 runs from page ${split.first} to page ${split.later}`,
        `header rows ${repeated ? "repeated" : "not repeated"} on page ${split.later}`,
      ],
    };
  }
  throw new Error(`${ctx.id}: table 三 never broke across pages`);
}

/** Pages holding the rotated tables: the text of a turned table comes out with its key words. */
function tablePages(pdf: string): number[] {
  const texts = pageTexts(pdf, false);
  const keys = ["信息内容", "申请人情况", "复议后起诉"];
  const hits = keys.map((k) => {
    const rev = [...k].reverse().join("");
    return [...new Set([...pagesWith(texts, k), ...pagesWith(texts, rev)])][0];
  });
  if (hits.some((p) => p === undefined)) throw new Error(`no page for every table: ${hits.join(",")}`);
  return [...new Set(hits as number[])];
}

function buildRotated(ctx: Ctx): Built {
  const portrait = chromeHtml(ctx, chrome({ tablePages: "rotated" }), `${ctx.id}.portrait`);
  const pages = tablePages(portrait);
  const out = path.join(ctx.work, `${ctx.id}.pdf`);
  run("qpdf", [portrait, `--rotate=+90:${pages.join(",")}`, "--", out]);
  return {
    pdf: out,
    notes: [
      `tables drawn turned by -90° on portrait pages (CSS transform); pages ${pages.join(", ")} then get /Rotate 90 (qpdf --rotate=+90) and display upright as landscape`,
    ],
  };
}

const SCAN_DPI = 150;

/**
 * Ghostscript's pdfimage8 device rasterises every page and writes a PDF holding one 8-bit grey image per
 * page and nothing else (pdftoppm + Chromium `<img>` pages turn the pictures into RGB: three times larger).
 */
function buildScan(ctx: Ctx): Built {
  const src = chromeHtml(ctx, chrome({ bold: true }), `${ctx.id}.source`);
  const pdf = path.join(ctx.work, `${ctx.id}.pdf`);
  run("gs", ["-q", "-dSAFER", "-sDEVICE=pdfimage8", `-r${SCAN_DPI}`, "-o", pdf, src]);
  return {
    pdf,
    notes: [
      `Chromium PDF rasterised and rebuilt by Ghostscript (-sDEVICE=pdfimage8 -r${SCAN_DPI}): one 8-bit grey Flate image per page, no fonts, no text`,
    ],
    needsOcr: pageInfo(pdf).map((_, i) => ({ page: i + 1, reason: "no-text" })),
  };
}

/** Height of the table in CSS px, measured by Chromium itself (the script in the page writes it to the DOM). */
function measureHeight(ctx: Ctx, html: string, widthPx: number): number {
  const { stdout } = run("chromium", [
    ...chromiumFlags(ctx.work),
    "--dump-dom",
    `--window-size=${widthPx},2000`,
    pathToFileURL(html).href,
  ]);
  const h = Number(/data-height="(\d+)"/.exec(stdout)?.[1]);
  if (!Number.isFinite(h) || h <= 0) throw new Error(`${ctx.id}: could not measure table 三`);
  return h;
}

const MEASURE_SCRIPT =
  '<script>document.body.setAttribute("data-height", String(Math.ceil(document.querySelector("div").getBoundingClientRect().height)));</script>';

/** Device pixels per CSS px of the table picture: ~17 px per character, a screenshot on a 125 % screen. */
const SHOT_SCALE = 1.25;

function screenshotT3(ctx: Ctx, s: PrintStyle): string {
  const widthPx = 760;
  const page = renderT3Only(ctx.report, s, widthPx - 16).replace("</body>", `${MEASURE_SCRIPT}\n</body>`);
  const html = writeWork(ctx, "t3-only.html", page);
  const height = measureHeight(ctx, html, widthPx);
  const png = path.join(ctx.work, "t3.png");
  run("chromium", [
    ...chromiumFlags(ctx.work),
    "--hide-scrollbars",
    `--force-device-scale-factor=${SHOT_SCALE}`,
    `--window-size=${widthPx},${height}`,
    `--screenshot=${png}`,
    pathToFileURL(html).href,
  ]);
  return png;
}

function buildImageTable(ctx: Ctx): Built {
  const png = screenshotT3(ctx, chrome());
  const pdf = chromeHtml(ctx, chrome({ t3Image: { src: path.basename(png), widthMm: 170 } }));
  const pages = imagePages(pdf);
  if (pages.length !== 1)
    throw new Error(`${ctx.id}: expected one page with the picture, got ${pages.join(",")}`);
  return {
    pdf,
    notes: [
      `table 三 rendered alone by Chromium --screenshot (device scale ${SHOT_SCALE}) and placed as a PNG on page ${pages[0]}; headings, prose and tables 二 and 四 are text`,
    ],
    needsOcr: pages.map((page) => ({ page, reason: "image-table" })),
  };
}

/** QPDF JSON v2: objects by "obj:N G R", each a `value` or a `stream` with its dictionary. */
interface QpdfJson {
  qpdf: [
    Record<string, unknown>,
    Record<string, { value?: unknown; stream?: { dict: Record<string, unknown> } }>,
  ];
}

function stripToUnicode(src: string, out: string): number {
  const json = `${src}.json`;
  run("qpdf", ["--json-output=2", "--json-stream-data=inline", "--decode-level=none", src, json]);
  const doc = JSON.parse(readFileSync(json, "utf8")) as QpdfJson;
  let stripped = 0;
  for (const obj of Object.values(doc.qpdf[1])) {
    const dict = obj.value;
    if (dict && typeof dict === "object" && "/ToUnicode" in dict) {
      delete (dict as Record<string, unknown>)["/ToUnicode"];
      stripped++;
    }
  }
  writeFileSync(json, JSON.stringify(doc));
  run("qpdf", ["--json-input", json, out]);
  return stripped;
}

function buildGarbled(ctx: Ctx): Built {
  const src = loHtml(ctx, LO_SERIF, `${ctx.id}.source`);
  const pdf = path.join(ctx.work, `${ctx.id}.pdf`);
  const fonts = stripToUnicode(src, pdf);
  const sample = squeeze(pageTexts(pdf)[0] ?? "").slice(0, 12);
  const escaped = JSON.stringify(sample).slice(1, -1);
  return {
    pdf,
    notes: [
      `LibreOffice PDF with /ToUnicode removed from its ${fonts} fonts (qpdf --json-output, delete the key, qpdf --json-input); the subset fonts have a builtin encoding with codes 1,2,3… so pdftotext prints control characters and Latin-1 mojibake (page 1 starts "${escaped}")`,
    ],
    needsOcr: pageInfo(pdf).map((_, i) => ({ page: i + 1, reason: "garbled-text" })),
  };
}

const simple =
  (notes: string, produce: (ctx: Ctx) => string) =>
  (ctx: Ctx): Built => ({ pdf: produce(ctx), notes: [notes] });

const SPECS: Spec[] = [
  {
    id: "lo-ruled-v2021",
    template: "v2021",
    producer: "libreoffice",
    style: "ruled",
    seedBase: 41_000,
    build: simple("HTML with 1px ruled tables, Noto Serif CJK SC", (c) => loHtml(c, LO_SERIF)),
  },
  {
    id: "lo-ruled-v2019",
    template: "v2019",
    producer: "libreoffice",
    style: "ruled",
    seedBase: 41_100,
    build: simple("HTML with 1px ruled tables, Noto Serif CJK SC, grey header cells", (c) =>
      loHtml(c, style({ font: SERIF, shadeHeaders: true })),
    ),
  },
  {
    id: "lo-ruled-v2021-inj-t3r2",
    template: "v2021",
    producer: "libreoffice",
    style: "ruled",
    seedBase: 41_200,
    inject: ["T3.R2"],
    build: simple("HTML with 1px ruled tables; one result row changed so T3.R2 breaks", (c) =>
      loHtml(c, LO_SERIF),
    ),
  },
  {
    id: "chrome-ruled-v2021",
    template: "v2021",
    producer: "chromium",
    style: "ruled",
    seedBase: 42_000,
    build: simple("HTML with 1px ruled tables, Noto Sans CJK SC, vertical 三、本年度办理结果", (c) =>
      chromeHtml(c, chrome({ verticalGroup: true })),
    ),
  },
  {
    id: "chrome-ruled-v2019",
    template: "v2019",
    producer: "chromium",
    style: "ruled",
    seedBase: 42_100,
    build: simple("HTML with 1px ruled tables, Noto Sans CJK SC, grey header cells", (c) =>
      chromeHtml(c, chrome({ shadeHeaders: true })),
    ),
  },
  {
    id: "chrome-v2021-split-t3",
    template: "v2021",
    producer: "chromium",
    style: "split-t3",
    seedBase: 43_000,
    build: (c) => buildSplit(c, (s) => chromeHtml(c, s), chrome({ thead: "repeat" })),
  },
  {
    id: "lo-v2019-split-t3",
    template: "v2019",
    producer: "libreoffice",
    style: "split-t3",
    seedBase: 43_100,
    build: (c) => buildSplit(c, (s) => loFodt(c, s), style({ font: SERIF, thead: "none" })),
  },
  {
    id: "chrome-v2019-narrow",
    template: "v2019",
    producer: "chromium",
    style: "narrow",
    seedBase: 44_000,
    build: simple("value columns of tables 三 and 四 fixed at ~2 characters (table-layout: fixed)", (c) =>
      chromeHtml(c, chrome({ narrow: true })),
    ),
  },
  {
    id: "lo-v2021-narrow",
    template: "v2021",
    producer: "libreoffice",
    style: "narrow",
    seedBase: 44_100,
    build: simple(
      "flat ODT, value columns of tables 三 and 四 fixed at ~2 characters, vertical 三、本年度办理结果, grey header cells",
      (c) => loFodt(c, style({ font: SERIF, narrow: true, verticalGroup: true, shadeHeaders: true })),
    ),
  },
  {
    id: "chrome-v2021-landscape",
    template: "v2021",
    producer: "chromium",
    style: "landscape",
    seedBase: 45_000,
    build: simple(
      "sections 二–四 on CSS named pages (@page land { size: A4 landscape }); the rest portrait",
      (c) => chromeHtml(c, chrome({ tablePages: "landscape-pages" })),
    ),
  },
  {
    id: "lo-v2019-landscape",
    template: "v2019",
    producer: "libreoffice",
    style: "landscape",
    seedBase: 45_100,
    build: simple(
      "flat ODT with a landscape page style for sections 二–四 (a document with section breaks)",
      (c) => loFodt(c, style({ font: SERIF, tablePages: "landscape-pages", thead: "repeat" })),
    ),
  },
  {
    id: "chrome-v2019-rotated-landscape",
    template: "v2019",
    producer: "chromium",
    style: "landscape-rotate90",
    seedBase: 45_200,
    build: buildRotated,
  },
  {
    id: "lo-v2021-unruled",
    template: "v2021",
    producer: "libreoffice",
    style: "unruled",
    seedBase: 46_000,
    build: simple("HTML, tables with border=0 / border: none, numbers right-aligned", (c) =>
      loHtml(c, style({ font: SERIF, ruled: false })),
    ),
  },
  {
    id: "scan-image-only-v2021",
    template: "v2021",
    producer: "ghostscript",
    style: "scan-image-only",
    seedBase: 47_000,
    build: buildScan,
  },
  {
    id: "image-table-v2019",
    template: "v2019",
    producer: "chromium",
    style: "image-table",
    seedBase: 47_100,
    build: buildImageTable,
  },
  {
    id: "garbled-text-v2021",
    template: "v2021",
    producer: "libreoffice",
    style: "garbled-text",
    seedBase: 47_200,
    build: buildGarbled,
  },
];

// ---------------------------------------------------------------- seeds and truth

/** A table 三 worth reading: some volume and at least two applicant columns in use. */
function interesting(r: GeneratedReport): boolean {
  const used = Object.entries(r.cells).filter(
    ([p, v]) => p.startsWith("t3.new_requests.") && !p.endsWith(".total") && v > 0,
  );
  return (r.cells["t3.new_requests.total"] ?? 0) >= 12 && used.length >= 2;
}

function pickReport(spec: Spec): GeneratedReport {
  for (let seed = spec.seedBase; seed < spec.seedBase + 500; seed++) {
    const r = generateReport(seed, { template: spec.template, inject: spec.inject ?? [] });
    if (interesting(r)) return r;
  }
  throw new Error(`${spec.id}: no interesting seed from ${spec.seedBase}`);
}

function truthFor(spec: Spec, r: GeneratedReport, built: Built): PdfTruth {
  // toTruth fixes cells, blanks and findings exactly as generated; only the file facts change.
  const base = toTruth(r, spec.id, "html-clean", "pdf");
  const injected = r.injections.length ? `injected ${r.injections.join(", ")}` : "consistent";
  const truth: PdfTruth = {
    ...base,
    kind: "pdf",
    notes: `synthetic report printed to PDF; producer=${spec.producer}; style=${spec.style}; seed=${r.seed}; template=${r.template}; ${injected}. ${built.notes.join("; ")}`,
  };
  if (built.needsOcr) {
    truth.needs_ocr = built.needsOcr;
    truth.notes += ". OCR sample: the cells are the printed truth, not expected from the text layer";
  }
  return truth;
}

// ---------------------------------------------------------------- verification

function verify(spec: Spec, r: GeneratedReport, built: Built): void {
  const ocr = built.needsOcr ?? [];
  if (ocr.length === 0) {
    assertNumbersPresent(spec.id, built.pdf, r);
    return;
  }
  const cjk = cjkCount(built.pdf);
  const reason = ocr[0]?.reason;
  if (reason === "no-text" && pageTexts(built.pdf).join("").trim() !== "")
    throw new Error(`${spec.id}: image-only PDF has text`);
  if (reason === "garbled-text" && cjk > 0)
    throw new Error(`${spec.id}: ${cjk} readable CJK characters left`);
  if (reason === "image-table") {
    const texts = pageTexts(built.pdf, false);
    if (pagesWith(texts, "本年新收").length > 0) throw new Error(`${spec.id}: table 三 is still text`);
    if (pagesWith(texts, "信息内容").length === 0) throw new Error(`${spec.id}: table 二 is not text`);
  }
}

function pageSummary(pdf: string): string {
  const pages = pageInfo(pdf);
  return pages
    .map((p) => `${p.width > p.height ? "L" : "P"}${p.rotate ? `/Rotate ${p.rotate}` : ""}`)
    .reduce<string[]>((acc, x) => {
      const last = acc[acc.length - 1];
      const m = last ? /^(.*)×(\d+)$/.exec(last) : null;
      if (m && m[1] === x) acc[acc.length - 1] = `${x}×${Number(m[2]) + 1}`;
      else acc.push(`${x}×1`);
      return acc;
    }, [])
    .join(" ");
}

// ---------------------------------------------------------------- main

interface IndexEntry {
  id: string;
  file: string;
  truth: string;
  producer: Producer;
  producer_version: string;
  style: string;
  template: Template;
  year: number;
  seed: number;
  pages: number;
  page_layout: string;
  bytes: number;
  injections: Injection[];
  expected_findings: number;
  needs_ocr: OcrPage[];
  notes: string;
}

function buildOne(spec: Spec, work: string): IndexEntry {
  const report = pickReport(spec);
  const dir = path.join(work, spec.id);
  mkdirSync(dir);
  const built = spec.build({ id: spec.id, work: dir, report });
  verify(spec, report, built);
  const truth = truthFor(spec, report, built);
  const file = `${spec.id}.pdf`;
  writeFileSync(path.join(OUT, file), readFileSync(built.pdf));
  writeFileSync(path.join(OUT, `${spec.id}.truth.json`), `${JSON.stringify(truth, null, 1)}\n`);
  const pages = pageInfo(built.pdf);
  return {
    id: spec.id,
    file,
    truth: `${spec.id}.truth.json`,
    producer: spec.producer,
    producer_version: producerOf(built.pdf),
    style: spec.style,
    template: spec.template,
    year: report.year,
    seed: report.seed,
    pages: pages.length,
    page_layout: pageSummary(built.pdf),
    bytes: statSync(built.pdf).size,
    injections: report.injections,
    expected_findings: report.expected_findings.length,
    needs_ocr: built.needsOcr ?? [],
    notes: built.notes.join("; "),
  };
}

function main(): void {
  checkTools();
  const keep = process.argv.includes("--keep");
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), "nianbao-pdf-"));
  try {
    // Start clean (README.md stays) so renamed or dropped samples do not linger.
    if (!only) for (const f of readdirSync(OUT)) if (f !== "README.md") rmSync(path.join(OUT, f));
    const index: IndexEntry[] = [];
    for (const spec of SPECS.filter((s) => !only || s.id === only)) {
      const entry = buildOne(spec, work);
      index.push(entry);
      console.log(
        `${entry.id}: ${entry.pages} pages (${entry.page_layout}), ${Math.round(entry.bytes / 1024)} KB`,
      );
    }
    if (!only) {
      const doc = { generator: "scripts/generate-pdf-samples.ts", samples: index };
      writeFileSync(path.join(OUT, "index.json"), `${JSON.stringify(doc, null, 1)}\n`);
    }
    const total = readdirSync(OUT).reduce((s, f) => s + statSync(path.join(OUT, f)).size, 0);
    console.log(`samples/pdf: ${Math.round(total / 1024)} KB`);
  } finally {
    if (keep) console.log(`work directory kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main();
