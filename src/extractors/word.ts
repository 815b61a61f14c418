/**
 * Word attachments. Both backends reuse an existing one instead of mapping tables themselves:
 *
 * - `.docx` (OOXML): the ZIP directory is checked first (zip bombs, not a Word document), then
 *   mammoth turns the document into HTML — it keeps `w:gridSpan` as colspan and `w:vMerge` as
 *   rowspan — and the HTML backend reads it.
 * - `.doc` / `.wps` (OLE2, Word 97–2003 binary): word-extractor gives the body text, in which every
 *   cell-end and row-end mark (U+0007) has become a tab. Row ends are reported as a line break only
 *   when the row's paragraph properties sit in the FKP page; rows whose properties spill into the
 *   Data stream (sprmPHugePapx: wide rows with merged cells, exactly the shape of table 三) keep a
 *   plain tab. `docBodyToText` rebuilds the rows and the text backend reads them.
 */
import { inflateRawSync } from "node:zlib";
import mammoth from "mammoth";
import WordExtractor from "word-extractor";
import { extractHtml } from "./html.js";
import { extractText } from "./text.js";
import { type ExtractedLayout, type ExtractInput, UnreadableInputError } from "./types.js";
import { entryData, readZipDirectory, type ZipEntry, ZipFormatError } from "./zip.js";

// ---------------------------------------------------------------------------------------------------------
// .docx

export const DOCX_LIMITS = {
  /** Sum of the declared uncompressed sizes. */
  maxTotalBytes: 200 * 1024 * 1024,
  /** Compression ratio above which a large entry is a bomb rather than repetitive XML. */
  maxRatio: 200,
  /** Entries smaller than this may have any ratio (a few MB of blank-cell XML compresses very well). */
  ratioFloorBytes: 10 * 1024 * 1024,
  maxEntries: 10_000,
} as const;

const MB = 1024 * 1024;

/** Libraries reject with strings as well as Errors. */
function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function limitError(detail: string): UnreadableInputError {
  return new UnreadableInputError(
    `Word文件超出解压限制，疑似压缩炸弹：${detail} (zip bomb refused)`,
    "limit",
  );
}

/**
 * Judges a `.docx` by its ZIP directory alone: refuses bombs and non-Word archives before any
 * library inflates anything. Returns the entries for the inflation check.
 */
export function inspectDocx(bytes: Uint8Array): ZipEntry[] {
  let entries: ZipEntry[];
  try {
    const dir = readZipDirectory(bytes, DOCX_LIMITS.maxEntries);
    if (dir.declaredEntries > DOCX_LIMITS.maxEntries) {
      throw limitError(`${dir.declaredEntries} 个条目，上限 ${DOCX_LIMITS.maxEntries}`);
    }
    entries = dir.entries;
  } catch (err) {
    if (err instanceof ZipFormatError) {
      throw new UnreadableInputError(
        `无法读取的Word文件：ZIP目录损坏（${err.message}） (unreadable ZIP directory)`,
        "corrupt",
      );
    }
    throw err;
  }
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > DOCX_LIMITS.ratioFloorBytes && ratio > DOCX_LIMITS.maxRatio) {
      throw limitError(
        `${e.name} 压缩比 ${Math.round(ratio)}:1，解压后 ${Math.round(e.uncompressedSize / MB)} MB`,
      );
    }
  }
  if (total > DOCX_LIMITS.maxTotalBytes) {
    throw limitError(`解压后共 ${Math.round(total / MB)} MB，上限 ${DOCX_LIMITS.maxTotalBytes / MB} MB`);
  }
  if (!entries.some((e) => e.name === "word/document.xml")) {
    throw new UnreadableInputError(
      "不是Word文档：ZIP中没有 word/document.xml (not a Word document: no word/document.xml)",
      "corrupt",
    );
  }
  return entries;
}

function damaged(detail: string): UnreadableInputError {
  return new UnreadableInputError(`无法读取的Word文件：${detail} (damaged ZIP entry)`, "corrupt");
}

/**
 * The directory's sizes are only claims, and the limits above trust them. The parts mammoth reads
 * (XML and relationships) are inflated once with their declared size as a hard cap, so an entry
 * whose data inflates to more than it declares (a bomb in disguise, or damage) is refused before
 * the library would inflate it without bound. Images are never read (see convertImage).
 */
function checkDeclaredSizes(bytes: Uint8Array, entries: ZipEntry[]): void {
  for (const e of entries) {
    if (!/\.(?:xml|rels)$/i.test(e.name)) continue;
    if (e.method !== 0 && e.method !== 8) {
      throw damaged(`${e.name} 使用不支持的压缩方式 ${e.method}`);
    }
    let data: Uint8Array;
    try {
      data = entryData(bytes, e);
    } catch (err) {
      throw damaged(errorText(err));
    }
    let size = data.length;
    if (e.method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) }).length;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") size = Number.POSITIVE_INFINITY;
        else throw damaged(`${e.name} 无法解压（${errorText(err)}）`);
      }
    }
    if (size !== e.uncompressedSize) {
      throw damaged(
        `${e.name} 解压后${Number.isFinite(size) ? ` ${size} 字节` : "超出"}，与ZIP目录声明的 ${e.uncompressedSize} 字节不符`,
      );
    }
  }
}

/** Style-map warnings only say a Word style has no HTML equivalent; they say nothing about the content. */
const PRESENTATION_ONLY = /^Unrecognised (?:paragraph|run|table|character) style/;

export async function extractDocx(input: ExtractInput): Promise<ExtractedLayout> {
  if (input.bytes.length === 0) throw new UnreadableInputError("空文件 (empty file)", "empty");
  const entries = inspectDocx(input.bytes);
  checkDeclaredSizes(input.bytes, entries);
  const buffer = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  let result: Awaited<ReturnType<typeof mammoth.convertToHtml>>;
  try {
    result = await mammoth.convertToHtml(
      { buffer },
      // Tables are all we read: an empty src spares base64-encoding every embedded picture.
      { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
    );
  } catch (err) {
    throw new UnreadableInputError(`无法读取的Word文件：${errorText(err)} (unreadable .docx)`, "corrupt");
  }
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${result.value}</body></html>`;
  const layout = extractHtml({
    bytes: new TextEncoder().encode(html),
    contentType: "text/html; charset=utf-8",
    locator: input.locator,
  });
  const messages = result.messages
    .filter((m) => !PRESENTATION_ONLY.test(m.message))
    .map((m) => `Word转换${m.type === "error" ? "错误" : "警告"}：${m.message}`);
  // The HTML is ours, so its charset says nothing about the document.
  return { ...layout, charset: null, charsetEvidence: null, warnings: [...layout.warnings, ...messages] };
}

// ---------------------------------------------------------------------------------------------------------
// .doc / .wps (OLE2)

/** Longest cell paragraph we join to the next one; longer lines are narrative. */
const CELL_PARAGRAPH_CHARS = 40;
/** Most extra paragraphs one cell may have before the next cell mark. */
const CELL_PARAGRAPHS = 4;

/** A cell that holds a value (number, dash, 无) or nothing: labels never follow it within a row. */
export function isValueText(text: string): boolean {
  const t = text.trim();
  return (
    t === "" ||
    /^[-+]?[0-9０-９][0-9０-９.,，．\s]*(?:万元|元)?(?:[（(][^）)]*[）)])?$/.test(t) ||
    /^[—\-－–/／无]+$/.test(t)
  );
}

/** A narrative line that must never be taken for the continuation of a table cell. */
function isNarrativeLine(line: string): boolean {
  const t = line.trim();
  return (
    t.length > CELL_PARAGRAPH_CHARS ||
    /[。；;]/.test(t) ||
    /[：:]$/.test(t) ||
    /^[一二三四五六七八][、.．].*(?:情况|事项)$/.test(t)
  );
}

/**
 * Joins the paragraphs of a multi-paragraph cell (`商业\n企业`, `三、本年度\n办理结果`): a line that
 * holds cell marks but does not end with one stopped inside a cell, which goes on up to the next
 * cell mark — unless what follows reads as narrative (the text right after a table whose last row
 * end word-extractor missed, e.g. `…0\t\t五、存在的主要问题及改进情况`).
 */
export function joinCellParagraphs(lines: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let line = lines[i] ?? "";
    i++;
    while (line.includes("\t") && !line.endsWith("\t")) {
      const tail = line.slice(line.lastIndexOf("\t") + 1);
      let j = i;
      while (j < lines.length && j - i < CELL_PARAGRAPHS && !(lines[j] ?? "").includes("\t")) j++;
      const next = lines[j];
      if (next === undefined || !next.includes("\t")) break;
      const parts = [tail, ...lines.slice(i, j), next.slice(0, next.indexOf("\t"))];
      if (parts.some(isNarrativeLine)) break;
      line = `${line} ${[...lines.slice(i, j), next].join(" ")}`;
      i = j + 1;
    }
    out.push(line);
  }
  return out;
}

/**
 * One line of cells → rows. Rows whose end mark was reported as a tab run on into the next row;
 * a row of these tables is labels then values, so a label after a value (or after the empty cell
 * a row-end mark leaves) starts a new row. The empty cells this leaves at the end of a row are the
 * row-end mark and the next row's vertically merged cells; the mapper drops surplus empties.
 */
export function splitCellRows(cells: string[]): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let afterValue = false;
  for (const cell of cells) {
    const isValue = isValueText(cell);
    if (!isValue && afterValue && row.some((c) => c.trim() !== "")) {
      rows.push(row);
      row = [];
    }
    row.push(cell);
    afterValue = isValue;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/**
 * word-extractor's body text → the text backend's input: one pipe-separated line per table row
 * (`a | 0 |  | `), narrative paragraphs unchanged. Pipes rather than tabs because the text backend
 * trims trailing whitespace where a table ends, and a blank last cell (a blank 总计) must survive.
 */
export function docBodyToText(body: string): string {
  const lines = joinCellParagraphs(body.replace(/\r\n?/g, "\n").split("\n"));
  const out: string[] = [];
  for (const line of lines) {
    // One tab inside a paragraph is a typed tab (`一、\t总体情况`), not a cell mark: a row line ends
    // with its last cell's mark or holds several.
    if (!line.endsWith("\t") && (line.match(/\t/g)?.length ?? 0) < 2) {
      out.push(line);
      continue;
    }
    // The tab after a row's last cell is its cell mark; the line break that follows was the row end.
    const cells = (line.endsWith("\t") ? line.slice(0, -1) : line).split("\t").map((c) => c.trim());
    for (const row of splitCellRows(cells)) out.push(row.join(" | "));
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------------------
// OLE2 structure check

/** An OLE2 file as the structure check sees it. */
interface Ole {
  bytes: Uint8Array;
  dv: DataView;
  /** Sector size (512 or 4096); the header occupies the first sector. */
  size: number;
  /** Sectors the file holds after the header (the last may be cut short). */
  sectors: number;
}

function oleError(why: string): UnreadableInputError {
  return new UnreadableInputError(
    `无法读取的Word文件：OLE2结构损坏（${why}） (damaged OLE2 structure)`,
    "corrupt",
  );
}

function encrypted(what: string): UnreadableInputError {
  return new UnreadableInputError(
    `Word文件已加密（${what}），无法读取 (password-protected document)`,
    "encrypted",
  );
}

/** A sector's 32-bit entries; past a truncated end they read as zeros, as word-extractor sees them. */
function sectorWords(ole: Ole, id: number, out: number[]): void {
  if (id < 0 || id >= ole.sectors) throw oleError(`扇区 ${id} 超出文件`);
  for (let k = 0; k < ole.size / 4; k++) {
    const at = (id + 1) * ole.size + k * 4;
    out.push(at + 4 <= ole.bytes.length ? ole.dv.getInt32(at, true) : 0);
  }
}

/** Sector ids of a chain, followed the way word-extractor does (a negative id ends it). */
function chainOf(start: number, table: number[], what: string): number[] {
  const ids: number[] = [];
  const seen = new Set<number>();
  for (let id = start; id >= 0; ) {
    if (seen.has(id)) throw oleError(`${what}的扇区链循环`);
    seen.add(id);
    ids.push(id);
    const next = table[id];
    if (next === undefined) break;
    id = next;
  }
  return ids;
}

/** A header count, which can never exceed the sectors the file holds. */
function headerCount(ole: Ole, offset: number, what: string): number {
  const n = ole.dv.getInt32(offset, true);
  if (n < 0 || n > ole.sectors) throw oleError(`${what}数量 ${n} 超出文件`);
  return n;
}

/** The FAT: sector ids listed by the header's 109 DIFAT slots, then by the DIFAT chain. */
function readFat(ole: Ole): number[] {
  const fatSectors = headerCount(ole, 44, "FAT扇区");
  const difatSectors = headerCount(ole, 72, "DIFAT扇区");
  const ids: number[] = [];
  for (let k = 0; k < 109 && ids.length < fatSectors; k++) ids.push(ole.dv.getInt32(76 + k * 4, true));
  const seen = new Set<number>();
  for (let id = ole.dv.getInt32(68, true), k = 0; k < difatSectors && ids.length < fatSectors; k++) {
    if (seen.has(id)) throw oleError("DIFAT链循环");
    seen.add(id);
    const words: number[] = [];
    sectorWords(ole, id, words);
    id = words.pop() ?? -2; // the last word links to the next DIFAT sector
    for (const w of words) if (ids.length < fatSectors) ids.push(w);
  }
  const fat: number[] = [];
  for (const id of ids) sectorWords(ole, id, fat);
  return fat;
}

/**
 * word-extractor walks sector chains until they end and only guards against a sector pointing at
 * itself: a two-sector loop in a crafted or damaged file grows an array until the process dies
 * (out of memory, which no try/catch survives). So every chain it may walk is checked first — the
 * directory's, the mini FAT's, each stream's in the FAT or mini FAT — and the directory tree, with
 * header counts bounded by the file size. Also refuses OLE2 files that hold no Word document
 * (Excel, PowerPoint) and encrypted ones (.doc with fEncrypted, .docx wrapped in an OLE2
 * EncryptedPackage), which word-extractor would read as garbage. Layout: [MS-CFB] 2.2 header, 2.3 FAT, 2.5 DIFAT, 2.6 directory entries.
 */
export function checkOleStructure(bytes: Uint8Array): void {
  if (bytes.length < 512) throw oleError("文件不足512字节");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shift = dv.getUint16(30, true);
  if ((shift !== 9 && shift !== 12) || dv.getUint16(32, true) !== 6) throw oleError("扇区大小无效");
  const size = 1 << shift;
  const ole: Ole = { bytes, dv, size, sectors: Math.max(0, Math.ceil((bytes.length - size) / size)) };

  const fat = readFat(ole);
  const miniFat: number[] = [];
  if (headerCount(ole, 64, "MiniFAT扇区") > 0) {
    for (const id of chainOf(dv.getInt32(60, true), fat, "MiniFAT")) sectorWords(ole, id, miniFat);
  }
  const cutoff = dv.getUint32(56, true);

  // 128-byte entries: UTF-16 name (length in bytes at 64), type at 66, left/right/child at 68/72/76,
  // start sector at 116, stream size at 120.
  const dirSectors = chainOf(dv.getInt32(48, true), fat, "目录");
  for (const id of dirSectors) if (id >= ole.sectors) throw oleError(`扇区 ${id} 超出文件`);
  const entries = dirSectors.flatMap((id) =>
    Array.from({ length: size / 128 }, (_, k) => (id + 1) * size + k * 128).filter(
      (o) => o + 128 <= bytes.length,
    ),
  );
  const int = (e: number, at: number) => dv.getInt32(entries[e]! + at, true);
  const typeOf = (e: number) => bytes[entries[e]! + 66];
  const names = new Map<string, number>();
  entries.forEach((at, e) => {
    if (typeOf(e) === 5) chainOf(int(e, 116), fat, "根存储");
    if (typeOf(e) !== 2) return;
    chainOf(int(e, 116), int(e, 120) < cutoff ? miniFat : fat, `流 ${e}`);
    const nameBytes = Math.min(64, Math.max(0, dv.getUint16(at + 64, true) - 2));
    names.set(new TextDecoder("utf-16le").decode(bytes.subarray(at, at + nameBytes)), e);
  });

  const root = entries.findIndex((_, e) => typeOf(e) === 5);
  if (root < 0) throw oleError("没有根目录项");
  const visited = new Set<number>();
  const stack = [int(root, 76)];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e < 0 || e >= entries.length) continue;
    if (visited.has(e)) throw oleError("目录树循环");
    visited.add(e);
    stack.push(int(e, 68), int(e, 72), int(e, 76));
  }
  if (names.has("EncryptedPackage")) throw encrypted("受密码保护的.docx");
  if (!names.has("WordDocument")) {
    throw new UnreadableInputError(
      "不是Word文档：OLE2文件中没有 WordDocument 流（可能是Excel或PowerPoint文件） (OLE2 file without a WordDocument stream)",
      "corrupt",
    );
  }
  // FIB flag fEncrypted (bit 8 of the word at 0x0A): word-extractor would read ciphertext as text.
  const word = names.get("WordDocument")!;
  if (int(word, 120) >= cutoff) {
    const fib = (int(word, 116) + 1) * size;
    if (
      fib + 12 <= bytes.length &&
      dv.getUint16(fib, true) === 0xa5ec &&
      dv.getUint16(fib + 10, true) & 0x0100
    ) {
      throw encrypted("受密码保护的.doc");
    }
  }
}

/** word-extractor's own getBody takes options its published types leave out. */
type BodyReader = (options?: { filterUnicode?: boolean }) => string;

export async function extractDoc(input: ExtractInput): Promise<ExtractedLayout> {
  if (input.bytes.length === 0) throw new UnreadableInputError("空文件 (empty file)", "empty");
  checkOleStructure(input.bytes);
  let body: string;
  try {
    const doc = await new WordExtractor().extract(
      Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength),
    );
    // filterUnicode would turn “ ” into ASCII quotes and —— into hyphens: keep the text as printed.
    body = (doc.getBody as BodyReader).call(doc, { filterUnicode: false });
  } catch (err) {
    throw new UnreadableInputError(`无法读取的Word文件：${errorText(err)} (unreadable .doc/.wps)`, "corrupt");
  }
  if (body.trim() === "") throw new UnreadableInputError("Word文件没有正文 (empty document body)", "empty");
  const layout = extractText({
    bytes: new TextEncoder().encode(docBodyToText(body)),
    contentType: "text/plain; charset=utf-8",
    locator: input.locator,
  });
  return { ...layout, charset: null, charsetEvidence: null };
}
