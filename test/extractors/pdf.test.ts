/** PDF backend: bad input, limits and the pure geometry modules. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PageGeometry, Segment, TextItem } from "../../src/extractors/pdf/geometry.js";
import { findLattices, latticeGrid } from "../../src/extractors/pdf/lattice.js";
import { isPageNumber, toLines } from "../../src/extractors/pdf/lines.js";
import { pageQuality } from "../../src/extractors/pdf/quality.js";
import { MAX_PAGES } from "../../src/extractors/pdf.js";
import { extractReport } from "../../src/pipeline/extract.js";
import { miniPdf } from "../helpers/minipdf.js";

const pdf = (bytes: Uint8Array, locator = "x.pdf") => extractReport({ bytes, locator });

describe("PDF bad input gives a recorded status, never a crash", () => {
  it("an encrypted PDF is reported as encrypted, without asking for a password", async () => {
    const r = await pdf(readFileSync("test/fixtures/pdf/encrypted.pdf"));
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/加密|encrypted/);
  });

  it("a broken cross-reference table is recovered by pdfjs and the tables still come out", async () => {
    const good = readFileSync("samples/real/hzq2024.pdf");
    const text = good.toString("latin1");
    const at = text.lastIndexOf("startxref");
    const broken = Buffer.from(text.slice(0, at) + "startxref\n999999\n%%EOF\n", "latin1");
    const r = await pdf(broken);
    expect(r.status).not.toBe("failed");
    expect(r.cells["t3.new_requests.total"]?.value).toBe(95);
  });

  it("a truncated PDF fails with an explanation", async () => {
    const r = await pdf(readFileSync("test/fixtures/pdf/truncated.pdf"));
    expect(r.status).toBe("failed");
    expect(r.problems).toHaveLength(1);
  });

  it("a page tree that claims a million pages is repaired by pdfjs, not walked", async () => {
    const r = await pdf(miniPdf({ pages: [["hello"]], declaredCount: 1_000_000 }));
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/no report tables/);
  });

  it("more pages than any report has are refused by the page limit", async () => {
    const pages = Array.from({ length: MAX_PAGES + 1 }, () => ["x"]);
    const r = await pdf(miniPdf({ pages }));
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/页数过多/);
  });

  it("a 300-page PDF without report tables is read page by page and fails with a reason", async () => {
    const pages = Array.from({ length: 300 }, (_, i) => [
      `Page ${i + 1}`,
      "Lorem ipsum dolor sit amet 12345",
    ]);
    const before = process.memoryUsage().rss;
    const r = await pdf(miniPdf({ pages }));
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/no report tables/);
    // Pages are released as they are read: memory does not grow with the page count.
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
  });
});

const seg = (dir: "h" | "v", at: number, from: number, to: number): Segment => ({ dir, at, from, to });
const item = (text: string, x: number, y: number, w = 10, size = 10): TextItem => ({
  text,
  box: [x, y - size / 2, x + w, y + size / 2],
  size,
  vertical: false,
});

describe("lattice: ruling lines to a grid with merged cells", () => {
  // 3 columns x 3 rows; the top row is one merged cell (no vertical line through it);
  // the left column's two lower slots are merged (no horizontal line between them).
  const segments: Segment[] = [
    seg("h", 0, 0, 300),
    seg("h", 20, 0, 300),
    seg("h", 40, 100, 300), // does not cross the first column
    seg("h", 60, 0, 300),
    seg("v", 0, 0, 60),
    seg("v", 100, 20, 60),
    seg("v", 200, 20, 60),
    seg("v", 300, 0, 60),
  ];

  it("finds one table with its slots and spans", () => {
    const [lattice] = findLattices(segments);
    expect(lattice?.xs).toEqual([0, 100, 200, 300]);
    expect(lattice?.ys).toEqual([0, 20, 40, 60]);
    const { grid } = latticeGrid(
      lattice!,
      [item("标题", 140, 10), item("组", 40, 40), item("7", 150, 30), item("8", 250, 50)],
      3,
      1,
    );
    const top = grid.cells.find((c) => c.row === 0 && c.col === 0);
    expect(top).toMatchObject({ colSpan: 3, rowSpan: 1, text: "标题" });
    const left = grid.cells.find((c) => c.row === 1 && c.col === 0);
    expect(left).toMatchObject({ rowSpan: 2, colSpan: 1, text: "组" });
    expect(grid.cells.find((c) => c.row === 1 && c.col === 1)?.text).toBe("7");
    expect(grid.cells.find((c) => c.row === 2 && c.col === 2)?.loc).toMatchObject({
      page: 3,
      bbox: [200, 40, 300, 60],
    });
  });

  it("joins a table drawn cell by cell (collinear pieces) and ignores lone lines", () => {
    const pieces = [
      ...segments.filter((s) => s.dir === "v"),
      seg("h", 0, 0, 150),
      seg("h", 0, 150, 300),
      seg("h", 60, 0, 300),
    ];
    pieces.push(seg("h", 20, 0, 300), seg("h", 40, 100, 300), seg("h", 500, 0, 50)); // an underline elsewhere
    const found = findLattices(pieces);
    expect(found).toHaveLength(1);
    expect(found[0]?.xs).toHaveLength(4);
  });
});

describe("lines and page quality", () => {
  it("keeps wide gaps as column separators and narrow ones as spaces", () => {
    const lines = toLines([
      item("行政许可", 0, 100, 40),
      item("12", 200, 100),
      item("3", 260, 100),
      item("总", 0, 130, 10),
      item("计", 12, 130, 10),
    ]);
    expect(lines.map((l) => l.text)).toEqual(["行政许可 | 12 | 3", "总计"]);
    expect(isPageNumber("— 3 —")).toBe(true);
    expect(isPageNumber("- 12 -")).toBe(true);
    expect(isPageNumber("2024年")).toBe(false);
  });

  const page = (over: Partial<PageGeometry>): PageGeometry => ({
    page: 2,
    width: 600,
    height: 800,
    items: [],
    segments: [],
    images: [],
    ...over,
  });

  it("marks an image-only page, a garbled text layer and an image table", () => {
    expect(pageQuality(page({ images: [[0, 0, 600, 800]] }), 0)?.reason).toBe("no-text");
    expect(pageQuality(page({}), 0)).toBeNull(); // a blank page needs nothing
    const garbled = Array.from({ length: 40 }, (_, i) => item(String.fromCharCode(0xe000 + i), i * 10, 100));
    expect(pageQuality(page({ items: garbled }), 0)?.reason).toBe("garbled-text");
    const heading = [item("三、收到和处理政府信息公开申请情况", 50, 100, 300)];
    expect(pageQuality(page({ items: heading, images: [[50, 120, 550, 600]] }), 0)?.reason).toBe(
      "image-table",
    );
    // The table's own words are on the page: the image is something else (a logo, a chart).
    const withTable = [...heading, item("一、本年新收政府信息公开申请数量", 50, 700, 200)];
    expect(pageQuality(page({ items: withTable, images: [[50, 120, 550, 600]] }), 1)).toBeNull();
    // An English page is not a garbled Chinese one.
    const english = [item("Lorem ipsum dolor sit amet, consectetur adipiscing elit", 0, 100, 300)];
    expect(pageQuality(page({ items: english }), 0)).toBeNull();
  });
});

describe("a row of numbers printed as one text run across cells", () => {
  it("is cut at its spaces and each number dropped into its own column", () => {
    const segments: Segment[] = [
      seg("h", 0, 0, 400),
      seg("h", 20, 0, 400),
      ...[0, 100, 200, 300, 400].map((x) => seg("v", x, 0, 20)),
    ];
    const [lattice] = findLattices(segments);
    // "12 3 0 15" set in one run from x=140 to x=395 (9 glyphs of equal advance)
    const run: TextItem = { text: "12 3 0 15", box: [40, 5, 400 - 5, 15], size: 10, vertical: false };
    const { grid } = latticeGrid(lattice!, [run], 1, 1);
    expect(grid.cells.sort((a, b) => a.col - b.col).map((c) => c.text)).toEqual(["12", "3", "0", "15"]);
  });
});
