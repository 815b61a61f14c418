/**
 * Word backends: every committed office sample (LibreOffice conversions of generated HTML samples)
 * round-trips cell by cell; the .doc row recovery on its own; ZIP directory checks (not Word, zip
 * bombs, sizes that lie); bad OLE2 bytes. Test archives are built here with a tiny ZIP writer.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { UnreadableInputError } from "../../src/extractors/types.js";
import { docBodyToText, extractDocx, inspectDocx, splitCellRows } from "../../src/extractors/word.js";
import { readZipDirectory, ZipFormatError } from "../../src/extractors/zip.js";
import { extractReport } from "../../src/pipeline/extract.js";
import { score, type Truth } from "../helpers/truth.js";

const DIR = path.resolve("samples/office");
interface IndexEntry {
  id: string;
  file: string;
  truth: string;
  kind: string;
  template: string;
  injections: string[];
}
const index = JSON.parse(readFileSync(path.join(DIR, "index.json"), "utf8")) as { samples: IndexEntry[] };

describe("office samples round-trip exactly", () => {
  it("cover .docx and .doc, both templates and injected inconsistencies", () => {
    for (const kind of ["docx", "doc"]) {
      const mine = index.samples.filter((s) => s.kind === kind);
      expect(new Set(mine.map((s) => s.template))).toEqual(new Set(["v2021", "v2019"]));
      expect(mine.some((s) => s.injections.length > 0)).toBe(true);
    }
  });

  for (const entry of index.samples) {
    it(`${entry.id}`, async () => {
      const truth = JSON.parse(readFileSync(path.join(DIR, entry.truth), "utf8")) as Truth;
      const report = await extractReport({
        bytes: readFileSync(path.join(DIR, entry.file)),
        locator: `samples/office/${entry.file}`,
      });
      expect(report.source.format).toBe(entry.kind);
      const s = score(report, truth);
      expect(s.wrong).toEqual([]);
      expect(s.missingFindings).toEqual([]);
      expect(s.unexpectedFindings).toEqual([]);
      expect(report.problems).toEqual([]);
      expect(report.status).toBe("ok");
      expect(report.meta.templates).toEqual(truth.templates);
      expect(report.meta.year).toBe(truth.year);
      expect(report.meta.organ).toBe(truth.organ);
      expect(Object.keys(report.sections)).toHaveLength(6);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// A tiny ZIP writer: local headers, central directory, end record. Sizes can be faked to build bombs.

interface TestEntry {
  name: string;
  data?: Uint8Array | string;
  /** Deflate instead of store. */
  deflate?: boolean;
  /** Override what the central directory claims. */
  claimUncompressed?: number;
  claimCompressed?: number;
}

function zip(entries: TestEntry[], declaredEntries = entries.length): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = typeof e.data === "string" ? Buffer.from(e.data, "utf8") : Buffer.from(e.data ?? []);
    const body = e.deflate ? deflateRawSync(raw) : raw;
    const name = Buffer.from(e.name, "utf8");
    const crc = crc32(raw);
    const compressed = e.claimCompressed ?? body.length;
    const uncompressed = e.claimUncompressed ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed >>> 0, 18);
    local.writeUInt32LE(uncompressed >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed >>> 0, 20);
    central.writeUInt32LE(uncompressed >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(declaredEntries, 0xffff), 8);
  end.writeUInt16LE(Math.min(declaredEntries, 0xffff), 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

function tc(text: string, props = ""): string {
  return `<w:tc><w:tcPr>${props}</w:tcPr><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:tc>`;
}

/** A minimal .docx whose one table has a horizontal (gridSpan) and a vertical (vMerge) merge. */
function mergedDocx(): Uint8Array {
  const rows = [
    tc("组", '<w:vMerge w:val="restart"/>') + tc("表头", '<w:gridSpan w:val="2"/>'),
    tc("", "<w:vMerge/>") + tc("甲") + tc("乙"),
  ];
  const doc =
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
    `<w:p><w:r><w:t>前言</w:t></w:r></w:p><w:tbl>${rows.map((r) => `<w:tr>${r}</w:tr>`).join("")}</w:tbl></w:body></w:document>`;
  return zip([
    { name: "[Content_Types].xml", data: CONTENT_TYPES },
    { name: "_rels/.rels", data: RELS },
    { name: "word/document.xml", data: doc, deflate: true },
  ]);
}

const GB = 1024 * 1024 * 1024;
const MB = 1024 * 1024;

function unreadable(fn: () => unknown): UnreadableInputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UnreadableInputError) return err;
    throw err;
  }
  throw new Error("expected an UnreadableInputError");
}

describe(".docx", () => {
  it("mammoth keeps gridSpan as colspan and vMerge as rowspan", async () => {
    const layout = await extractDocx({ bytes: mergedDocx(), locator: "merged.docx" });
    const grid = layout.grids[0];
    expect(grid).toBeDefined();
    const cell = (text: string) => grid?.cells.find((c) => c.text === text);
    expect(cell("组")).toMatchObject({ row: 0, col: 0, rowSpan: 2, colSpan: 1 });
    expect(cell("表头")).toMatchObject({ row: 0, col: 1, rowSpan: 1, colSpan: 2 });
    expect(cell("乙")).toMatchObject({ row: 1, col: 2 });
    expect(layout.narrative).toContain("前言");
    expect(layout.warnings).toEqual([]);
  });

  it("a zip without word/document.xml is not a Word document", async () => {
    // word/ in the names makes detection call it a .docx; the directory check then refuses it.
    const bytes = zip([
      { name: "[Content_Types].xml", data: CONTENT_TYPES },
      { name: "word/styles.xml", data: "<w:styles/>" },
    ]);
    const r = await extractReport({ bytes, locator: "fake.docx" });
    expect(r.source.format).toBe("docx");
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/不是Word文档/);
    expect(unreadable(() => inspectDocx(zip([{ name: "a.txt", data: "x" }]))).code).toBe("corrupt");
  });

  it("an entry claiming 1 GB is refused as a zip bomb from the directory alone", async () => {
    const bytes = zip([
      { name: "[Content_Types].xml", data: CONTENT_TYPES },
      { name: "word/document.xml", data: "<w:document/>", claimUncompressed: GB, claimCompressed: 2000 },
    ]);
    const r = await extractReport({ bytes, locator: "bomb.docx" });
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/压缩炸弹.*zip bomb/);
    expect(unreadable(() => inspectDocx(bytes)).code).toBe("limit");
  });

  it("many modest entries that add up past 200 MB are refused", () => {
    const entries: TestEntry[] = [{ name: "word/document.xml", data: "<w:document/>" }];
    // 9 MB each at ratio 90: under the per-entry rule, 207 MB together.
    for (let i = 0; i < 23; i++) {
      entries.push({ name: `word/media/p${i}.xml`, claimUncompressed: 9 * MB, claimCompressed: 100_000 });
    }
    const err = unreadable(() => inspectDocx(zip(entries)));
    expect(err.code).toBe("limit");
    expect(err.message).toMatch(/207 MB/);
  });

  it("a directory declaring more than 10 000 entries is refused without walking it", () => {
    const bytes = zip([{ name: "word/document.xml", data: "x" }], 10_001);
    expect(unreadable(() => inspectDocx(bytes)).code).toBe("limit");
  });

  it("an entry that inflates past its declared size is refused before mammoth inflates it", async () => {
    const bytes = zip([
      { name: "[Content_Types].xml", data: CONTENT_TYPES },
      { name: "_rels/.rels", data: RELS },
      {
        name: "word/document.xml",
        data: "<w:document>".padEnd(200_000, " "),
        deflate: true,
        claimUncompressed: 100,
      },
    ]);
    const r = await extractReport({ bytes, locator: "liar.docx" });
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/document\.xml 解压后超出，与ZIP目录声明的 100 字节不符/);
  });

  it("a truncated .docx fails with an explanation", async () => {
    const good = readFileSync(path.join(DIR, "gen-v2021-html-clean-1.docx"));
    const r = await extractReport({ bytes: good.subarray(0, good.length >> 1), locator: "cut.docx" });
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/无法读取的Word文件/);
  });

  it("a damaged document.xml is reported, not thrown", async () => {
    const bytes = zip([
      { name: "[Content_Types].xml", data: CONTENT_TYPES },
      { name: "_rels/.rels", data: RELS },
      { name: "word/document.xml", data: "<w:document><w:body><w:p>", deflate: true },
    ]);
    const r = await extractReport({ bytes, locator: "broken.docx" });
    expect(r.status).toBe("failed");
    expect(r.problems).toHaveLength(1);
  });
});

describe("ZIP directory reader", () => {
  it("lists names and sizes, STORED and deflated", () => {
    const dir = readZipDirectory(
      zip([
        { name: "a.txt", data: "hello" },
        { name: "word/文档.xml", data: "x".repeat(1000), deflate: true },
      ]),
    );
    expect(dir.entries.map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
      ["a.txt", 0, 5],
      ["word/文档.xml", 8, 1000],
    ]);
    expect(dir.entries[1]?.compressedSize).toBeLessThan(100);
  });

  it("throws ZipFormatError on garbage and on a directory pointing past the end", () => {
    expect(() => readZipDirectory(new Uint8Array(100))).toThrow(ZipFormatError);
    const bytes = zip([{ name: "a", data: "b" }]);
    const dv = new DataView(bytes.buffer);
    dv.setUint32(bytes.length - 6, 1_000_000, true); // central directory offset
    expect(() => readZipDirectory(bytes)).toThrow(ZipFormatError);
  });
});

describe(".doc body text → rows", () => {
  it("keeps rows whose end word-extractor reported as a line break", () => {
    expect(docBodyToText("前言\n信息内容\t本年制发件数\t\n规章\t0\t\n后记")).toBe(
      "前言\n信息内容 | 本年制发件数\n规章 | 0\n后记",
    );
  });

  it("splits rows whose end mark came out as a tab: a label after a value starts a row", () => {
    const body =
      "一、本年新收\t3\t0\t\t二、上年结转\t1\t1\t\t三、本年度办理结果\t（一）予以公开\t2\t0\t\t\t（二）部分公开\t0\t0\t\t";
    expect(docBodyToText(body).split("\n")).toEqual([
      "一、本年新收 | 3 | 0 | ",
      "二、上年结转 | 1 | 1 | ",
      "三、本年度办理结果 | （一）予以公开 | 2 | 0 |  | ",
      "（二）部分公开 | 0 | 0 | ",
    ]);
  });

  it("leaves a paragraph with one typed tab alone", () => {
    expect(docBodyToText("一、\t总体情况\n正文。")).toBe("一、\t总体情况\n正文。");
  });

  it("keeps blank cells, including a blank last cell before the row end", () => {
    expect(splitCellRows(["四、结转", "0", "", "/", "", "", "下一段"])).toEqual([
      ["四、结转", "0", "", "/", "", ""],
      ["下一段"],
    ]);
  });

  it("joins the paragraphs of one cell but not the narrative after a table", () => {
    expect(docBodyToText("\t商业\n企业\t科研\n机构\t\n")).toBe(" | 商业 企业 | 科研 机构\n");
    const body =
      "0\t0\t\t五、存在的主要问题及改进情况\n本年度工作仍有不足，详见下文。\n行政复议\t行政诉讼\t\n";
    expect(docBodyToText(body).split("\n")).toEqual([
      "0 | 0 | ",
      "五、存在的主要问题及改进情况",
      "本年度工作仍有不足，详见下文。",
      "行政复议 | 行政诉讼",
      "",
    ]);
  });
});

describe(".doc bad input gives a recorded status, never a crash", () => {
  const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

  it("garbage after the OLE2 signature", async () => {
    const bytes = new Uint8Array(4096);
    bytes.set(OLE);
    for (let i = OLE.length; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    const r = await extractReport({ bytes, locator: "garbage.doc" });
    expect(r.source.format).toBe("doc");
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/无法读取的Word文件/);
  });

  it("a sector chain that loops is refused before word-extractor would follow it out of memory", async () => {
    const bytes = Buffer.from(readFileSync(path.join(DIR, "gen-v2021-html-clean-1.doc")));
    const sector = 1 << bytes.readUInt16LE(30);
    const fatAt = (bytes.readInt32LE(76) + 1) * sector; // first FAT sector, from the header's DIFAT
    const dirStart = bytes.readInt32LE(48);
    const next = bytes.readInt32LE(fatAt + dirStart * 4);
    expect(next).toBeGreaterThanOrEqual(0); // the sample's directory spans two sectors
    bytes.writeInt32LE(dirStart, fatAt + next * 4); // …which now point at each other
    const r = await extractReport({ bytes, locator: "loop.doc" });
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/OLE2结构损坏.*循环/);
  });

  it("an OLE2 file without a WordDocument stream (Excel, PowerPoint) is not a Word document", async () => {
    const bytes = Buffer.from(readFileSync(path.join(DIR, "gen-v2021-html-clean-1.doc")));
    const at = bytes.indexOf(Buffer.from("WordDocument", "utf16le"));
    bytes.write("X", at, "utf16le");
    const r = await extractReport({ bytes, locator: "book.xls" });
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/不是Word文档.*WordDocument/);
  });

  it("an encrypted .doc and a password-protected .docx (an OLE2 EncryptedPackage) say so", async () => {
    const doc = Buffer.from(readFileSync(path.join(DIR, "gen-v2021-html-clean-1.doc")));
    let fib = 512;
    while (doc.readUInt16LE(fib) !== 0xa5ec) fib += 512; // the WordDocument stream starts with the FIB
    doc.writeUInt16LE(doc.readUInt16LE(fib + 10) | 0x0100, fib + 10);
    const r = await extractReport({ bytes: doc, locator: "secret.doc" });
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/已加密.*\.doc/);

    const docx = Buffer.from(readFileSync(path.join(DIR, "gen-v2021-html-clean-1.doc")));
    const at = docx.indexOf(Buffer.from("WordDocument", "utf16le"));
    docx.write("EncryptedPackage\0", at, "utf16le");
    docx.writeUInt16LE(34, at + 64);
    const r2 = await extractReport({ bytes: docx, locator: "secret.docx" });
    expect(r2.problems[0]).toMatch(/已加密.*\.docx/);
  });

  it("a truncated .doc", async () => {
    const good = readFileSync(path.join(DIR, "gen-v2021-html-clean-1.doc"));
    for (const cut of [8, 512, 4096, good.length >> 1]) {
      const r = await extractReport({ bytes: good.subarray(0, cut), locator: "cut.doc" });
      expect(r.status, `cut at ${cut}`).toBe("failed");
      expect(r.problems).toHaveLength(1);
    }
  });
});
