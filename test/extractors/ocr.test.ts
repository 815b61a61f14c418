/**
 * The OCR path on bad and odd input: every case is a recorded status on its document, the run goes
 * on, and worker threads are always stopped. Images are made here from the committed scan samples.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { cleanLabel } from "../../src/extractors/ocr/cells.js";
import { closeOcr, OcrPool } from "../../src/extractors/ocr/engine.js";
import { isTemplateWord, snapLabel } from "../../src/extractors/ocr/lexicon.js";
import {
  bounded,
  decodeImage,
  type Gray,
  MAX_PIXELS,
  rotate,
  toPng,
} from "../../src/extractors/ocr/raster.js";
import { estimateSkew } from "../../src/extractors/ocr/rules.js";
import { findTables } from "../../src/extractors/ocr/table.js";
import { findWords, looksTabular, wordLines } from "../../src/extractors/ocr/words.js";
import type { Box } from "../../src/extractors/pdf/geometry.js";
import { EXTRACTOR, extractReport } from "../../src/pipeline/extract.js";
import { imagePdf } from "../../src/samples/image-pdf.js";
import { renderedPages } from "../../src/samples/render-pdf.js";
import { openStore } from "../../src/store/store.js";
import { score, type Truth } from "../helpers/truth.js";

afterAll(closeOcr);

const PAGE = "samples/scan/page-chrome-ruled-v2021-t3.png";
const pageTruth = JSON.parse(
  readFileSync("samples/scan/page-chrome-ruled-v2021-t3.truth.json", "utf8"),
) as Truth;

function blank(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(255);
  return PNG.sync.write(png);
}

const extract = (bytes: Uint8Array, locator: string) => extractReport({ bytes, locator });

describe("OCR building blocks", () => {
  it("tesseract puts spaces between Chinese characters; labels keep none", () => {
    expect(cleanLabel("1. 属 于 国 家 秘 密")).toBe("1.属于国家秘密");
    expect(cleanLabel("行 政 许 可  18")).toBe("行政许可18");
    // Thin full-width brackets of list numbers come back as 〈, 《 or half-width ones.
    expect(cleanLabel("第二十条第〈一 ) 项")).toBe("第二十条第（一）项");
    expect(cleanLabel("《二 ) 依申请公开")).toBe("（二）依申请公开");
  });

  it("a label one character off is put back to the template's wording, a new label is left alone", () => {
    expect(snapLabel("湖章")).toBe("规章");
    expect(snapLabel("行政规范性文佳")).toBe("行政规范性文件");
    expect(snapLabel("本机关负责人")).toBe("本机关负责人");
  });

  it("the skew of a page is measured from its rules and undone", async () => {
    const [page] = await decodeImage(readFileSync(PAGE));
    // Turning the image by −1.3° makes its rules fall by 1.3° to the right.
    const turned = rotate(page!, -1.3);
    const found = findTables(turned);
    expect(Math.abs(found.skew - 1.3)).toBeLessThan(0.1);
    expect(found.tables.length).toBeGreaterThan(0);
    expect(estimateSkew(findTables(page!).ink, page!.width, page!.height)).toBe(0);
  });

  it("rules cut into pieces (a seal's ring dropped as paper) are joined again: the same lattice", async () => {
    const [page] = await decodeImage(readFileSync(PAGE));
    // Table 四: fifteen even columns, rules under its group headers spanning a few of them.
    const t = findTables(page!).tables.at(-1)!;
    expect(t.cols).toBe(15);
    const xs = [...new Set(t.cells.flatMap((c) => [c.box[0], c.box[2]]))].sort((a, b) => a - b);
    // White stripes 8 px wide down the middle of every third column (where a ring would cross) cut
    // each horizontal rule into pieces shorter than a third of the page that end at no vertical rule.
    const cut: Gray = { ...page!, data: page!.data.slice() };
    for (let k = 0; k + 1 < xs.length; k++) {
      if (k % 3 !== 1) continue;
      const mid = Math.round((xs[k]! + xs[k + 1]!) / 2);
      for (let y = Math.floor(t.box[1]) - 5; y < t.box[3] + 5; y++)
        for (let x = mid - 4; x < mid + 4; x++) cut.data[y * cut.width + x] = 255;
    }
    const again = findTables(cut).tables.at(-1)!;
    expect([again.rows, again.cols, again.cells.length]).toEqual([t.rows, t.cols, t.cells.length]);
  });

  it("a template word is known as one; a stray character is not", () => {
    expect(isTemplateWord("总计")).toBe(true);
    expect(isTemplateWord("型")).toBe(false);
  });

  it("a table without its outer right rule (open-sided, or running off the page) keeps its last column", async () => {
    const [page] = await decodeImage(readFileSync(PAGE));
    const t = findTables(page!).tables.at(-1)!;
    expect(t.cols).toBe(15);
    // Paper over the right border of table 四, from a little inside it to the page edge.
    const open: Gray = { ...page!, data: page!.data.slice() };
    const x0 = Math.round(t.box[2] - 4);
    for (let y = Math.floor(t.box[1]) - 5; y < t.box[3] + 5; y++)
      for (let x = x0; x < Math.min(open.width, x0 + 10); x++) open.data[y * open.width + x] = 255;
    const again = findTables(open).tables.at(-1)!;
    expect(again.cols).toBe(15);
    expect(again.box[2]).toBeGreaterThan(t.box[2] - 12);
  });

  it("word boxes tell an unruled table (short words in columns) from prose", () => {
    const h = 30;
    const line = (y: number, xs: [number, number][]) => xs.map(([a, b]) => [a, y, b, y + h] as Box);
    const prose = [
      ...line(100, [[100, 1400]]),
      ...line(150, [
        [100, 700],
        [730, 1400],
      ]),
      ...line(200, [[100, 900]]),
    ];
    expect(looksTabular(prose, h)).toBe(false);
    const row = (y: number) =>
      line(y, [
        [100, 500],
        [600, 630],
        [700, 715],
        [800, 815],
        [900, 930],
      ]);
    expect(looksTabular([...prose, ...row(300)], h)).toBe(false);
    expect(looksTabular([...prose, ...row(300), ...row(360)], h)).toBe(true);
    // Table 四's fifteen numbers alone on a page.
    const fifteen = line(
      100,
      Array.from({ length: 15 }, (_, i) => [100 + i * 90, 115 + i * 90] as [number, number]),
    );
    expect(looksTabular(fifteen, h)).toBe(true);
    expect(wordLines([...fifteen, ...row(300)], h).map((l) => l.length)).toEqual([15, 5]);
  });

  it("texture or noise is no page of words: nothing on it is read word by word", () => {
    const [w, h] = [2500, 3500];
    const ink = new Uint8Array(w * h);
    let seed = 11;
    for (let i = 0; i < ink.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      ink[i] = seed % 3 === 0 ? 1 : 0;
    }
    const words = findWords(ink, w, h, 20, []);
    expect(looksTabular(words, 20)).toBe(false);
    expect(words.length).toBeLessThan(6000);
  });

  it("a pool that is closed refuses work instead of starting threads", async () => {
    const pool = new OcrPool(1);
    await pool.close();
    await expect(pool.recognize(Buffer.alloc(0), "digits")).rejects.toThrow(/closed/);
  });
});

describe("repair by arithmetic", () => {
  it("a misread digit is re-read and taken only as the one reading that makes every equation hold; stored with its evidence", async () => {
    // image-table-v2019: the picture's 6 in 商业企业/予以公开 first reads as 0 (T3.R2 and T3.R3 fail).
    const file = "samples/pdf/image-table-v2019.pdf";
    const bytes = readFileSync(file);
    const r = await extract(bytes, file);
    const cell = r.cells["t3.granted.commercial_enterprise"];
    expect(cell?.value).toBe(6);
    expect(cell?.source).toBe("ocr-repaired");
    expect(cell?.raw).toBe("0");
    expect(cell?.evidence).toMatch(/只有6使所有等式成立/);
    const repaired = r.findings.find((f) => f.rule === "X.OCR_REPAIRED");
    expect(repaired).toMatchObject({
      origin: "extraction",
      path: "t3.granted.commercial_enterprise",
      actual: 0,
      expected: 6,
    });
    expect(r.findings.filter((f) => f.origin === "source" && f.severity === "error")).toEqual([]);

    const dir = mkdtempSync(path.join(tmpdir(), "nianbao-ocr-store-"));
    const store = openStore(path.join(dir, "db.sqlite"));
    try {
      const saved = store.saveExtraction({
        bytes,
        locator: file,
        mediaType: "application/pdf",
        report: r,
        status: r.status,
        extractorName: EXTRACTOR.name,
        extractorVersion: EXTRACTOR.version,
        format: "pdf",
        charset: null,
      });
      const back = store.getReport(saved.reportId!)?.report.cells["t3.granted.commercial_enterprise"];
      expect(back).toEqual(cell);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("bad input through OCR", () => {
  it("a blank page is read as blank: no tables, a failed report that says so", async () => {
    const r = await extract(blank(800, 1100), "blank.png");
    expect(r.source.format).toBe("image");
    expect(r.status).toBe("failed");
    expect(r.problems.join(" ")).toMatch(/no report tables/);
  });

  it("a corrupt image is recorded as corrupt", async () => {
    const bytes = readFileSync(PAGE);
    const truncated = await extract(bytes.subarray(0, 2000), "cut.png");
    expect(truncated.status).toBe("failed");
    expect(truncated.problems[0]).toMatch(/corrupt/);
    const jpeg = readFileSync("samples/scan/photo-lo-ruled-v2021-t3.jpg");
    const garbage = Buffer.concat([jpeg.subarray(0, 600), Buffer.alloc(5000, 0x55)]);
    const r = await extract(garbage, "garbage.jpg");
    expect(r.status).toBe("failed");
  });

  it("a page printed upside down is turned and read", async () => {
    const [page] = await decodeImage(readFileSync(PAGE));
    const r = await extract(toPng(rotate(page!, 180)), "upside-down.png");
    const s = score(r, pageTruth);
    expect(s.exact).toBeGreaterThanOrEqual(Object.keys(pageTruth.cells).length - 2);
  }, 60_000);

  it("a 60-megapixel photo is decoded within the pixel budget and still read", async () => {
    const img = await loadImage(readFileSync(PAGE));
    const k = Math.sqrt(60e6 / (img.width * img.height));
    const canvas = createCanvas(Math.round(img.width * k), Math.round(img.height * k));
    canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
    const huge = canvas.toBuffer("image/jpeg", 80);
    const [decoded] = await decodeImage(huge);
    expect(decoded!.width * decoded!.height).toBeLessThanOrEqual(MAX_PIXELS);
    const r = await extract(huge, "huge.jpg");
    expect(score(r, pageTruth).exact).toBeGreaterThanOrEqual(Object.keys(pageTruth.cells).length - 2);
  }, 120_000);

  it("an image beyond any page is refused before decoding", async () => {
    const png = new PNG({ width: 1, height: 1 });
    const bytes = PNG.sync.write(png);
    bytes.writeUInt32BE(20000, 16); // IHDR width
    bytes.writeUInt32BE(20000, 20); // IHDR height: 400 MP
    const r = await extract(bytes, "bomb.png");
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/too large/);
  });

  it("a long scanned PDF: only the page with tables gets cell OCR, blank pages only the cheap pass", async () => {
    const scan = readFileSync("samples/scan/page-chrome-ruled-v2021-t3.png");
    const white = blank(1240, 1754);
    // Tables 三 and 四 on page 3 of 24; everything else blank paper.
    const pages = Array.from({ length: 24 }, (_, i) => (i === 2 ? scan : white));
    const r = await extract(imagePdf(pages, 150), "long-scan.pdf");
    const read = r.needs_ocr.filter((m) => /识别\d+个表格/.test(m.detail)).map((m) => m.page);
    expect(read).toEqual([3]);
    expect(r.needs_ocr.filter((m) => /空白页/.test(m.detail))).toHaveLength(23);
    expect(score(r, pageTruth).exact).toBeGreaterThanOrEqual(Object.keys(pageTruth.cells).length - 2);
  }, 120_000);

  it("an HTML report whose table is a picture gets its numbers from the picture beside it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nianbao-html-img-"));
    try {
      copyFileSync(PAGE, path.join(dir, "t3.png"));
      const html = `<html><head><meta charset="utf-8"><title>2021年政府信息公开工作年度报告</title></head><body>
        <p>三、收到和处理政府信息公开申请情况</p><p><img src="logo.png"><img src="t3.png"><img src="../../etc/passwd"></p>
        <p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>`;
      const file = path.join(dir, "report.html");
      writeFileSync(file, html);
      const r = await extractReport({ bytes: readFileSync(file), locator: file });
      expect(r.needs_ocr.map((m) => m.reason)).toEqual(["image-table"]);
      expect(score(r, pageTruth).exact).toBeGreaterThanOrEqual(Object.keys(pageTruth.cells).length - 2);
      // The crawler's resolver is used instead of the disk when given; an image it lacks is skipped.
      const none = await extractReport({
        bytes: readFileSync(file),
        locator: file,
        resolveImage: async () => null,
      });
      expect(Object.values(none.cells).filter((c) => c.value !== null)).toEqual([]);
      expect(none.status).toBe("partial");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("an HTML page made of pictures of an unruled report: tables from the pictures' words, organ and year from the first picture", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nianbao-html-stack-"));
    try {
      const source = "samples/pdf/lo-v2021-unruled";
      const pages = await renderedPages(readFileSync(`${source}.pdf`), 150);
      for (const [i, png] of pages.entries()) writeFileSync(path.join(dir, `p${i + 1}.png`), png);
      const imgs = pages.map((_, i) => `<p><img src="p${i + 1}.png"></p>`).join("");
      const file = path.join(dir, "report.html");
      writeFileSync(
        file,
        `<html><head><meta charset="utf-8"><title>政府信息公开工作年度报告</title></head><body>${imgs}</body></html>`,
      );
      const r = await extractReport({ bytes: readFileSync(file), locator: file });
      const truth = JSON.parse(readFileSync(`${source}.truth.json`, "utf8")) as Truth;
      expect(score(r, truth).wrong).toEqual([]);
      expect(r.meta.year).toBe(truth.year);
      expect(r.meta.organ).toBe(truth.organ);
      // Its headings were in pictures that were not read: no "headings missing" blamed on the source.
      expect(r.findings.map((f) => f.rule)).not.toContain("D.R8");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("bounded() shrinks an oversized raster and keeps a small one as it is", () => {
    const big: Gray = { width: 5000, height: 4000, data: new Uint8Array(5000 * 4000).fill(255) };
    const out = bounded(big);
    expect(out.width * out.height).toBeLessThanOrEqual(MAX_PIXELS);
    const small: Gray = { width: 10, height: 10, data: new Uint8Array(100) };
    expect(bounded(small)).toBe(small);
  });
});
