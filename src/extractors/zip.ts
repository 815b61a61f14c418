/**
 * A small pure reader of a ZIP file's directory: the End-Of-Central-Directory record (ZIP64 too)
 * and the central directory entries. It never inflates anything; it exists so that a `.docx` can be
 * judged (is it a Word document? is it a zip bomb?) before any library unpacks it.
 *
 * Layout references: APPNOTE.TXT 4.3.12 (central directory header), 4.3.14–4.3.16 (ZIP64 end
 * records), 4.5.3 (ZIP64 extended information extra field).
 */

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the entry's local file header. */
  localHeaderOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Entry count the end record declares (checked against the limits before the entries are read). */
  declaredEntries: number;
}

/** The directory cannot be read: truncated, not a ZIP, or inconsistent. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipFormatError";
  }
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** ZIP64 values are 64-bit; past 2^53 they cannot be sizes of anything we could read anyway. */
function u64(dv: DataView, offset: number): number {
  const v = dv.getBigUint64(offset, true);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/**
 * The end record is the last thing in the file, followed only by a comment of up to 64 KB. A
 * signature whose comment length reaches exactly to the end wins (a signature inside a comment is
 * not the record); otherwise the last one found, since some writers append junk after the record.
 */
function findEndRecord(dv: DataView): number {
  const last = dv.byteLength - EOCD_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  let fallback = -1;
  for (let i = last; i >= first; i--) {
    if (dv.getUint32(i, true) !== EOCD_SIG) continue;
    if (i + EOCD_SIZE + dv.getUint16(i + 20, true) === dv.byteLength) return i;
    if (fallback < 0) fallback = i;
  }
  if (fallback < 0) throw new ZipFormatError("no end of central directory record");
  return fallback;
}

interface EndRecord {
  entries: number;
  cdSize: number;
  cdOffset: number;
}

function readEndRecord(dv: DataView): EndRecord {
  const at = findEndRecord(dv);
  const end: EndRecord = {
    entries: dv.getUint16(at + 10, true),
    cdSize: dv.getUint32(at + 12, true),
    cdOffset: dv.getUint32(at + 16, true),
  };
  const needs64 = end.entries === 0xffff || end.cdSize === 0xffffffff || end.cdOffset === 0xffffffff;
  const locator = at - 20;
  if (locator >= 0 && dv.getUint32(locator, true) === ZIP64_LOCATOR_SIG) {
    const rec = u64(dv, locator + 8);
    if (rec + 56 > dv.byteLength || dv.getUint32(rec, true) !== ZIP64_EOCD_SIG) {
      throw new ZipFormatError("ZIP64 end record missing");
    }
    return { entries: u64(dv, rec + 32), cdSize: u64(dv, rec + 40), cdOffset: u64(dv, rec + 48) };
  }
  if (needs64) throw new ZipFormatError("ZIP64 sizes without a ZIP64 end record");
  return end;
}

/** Sizes and offset that overflowed 32 bits live in the ZIP64 extra field, in this fixed order. */
function applyZip64Extra(dv: DataView, start: number, length: number, entry: ZipEntry): void {
  let p = start;
  const end = start + length;
  while (p + 4 <= end) {
    const id = dv.getUint16(p, true);
    const size = dv.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const take = (): number | null => {
        if (q + 8 > p + 4 + size) return null;
        const v = u64(dv, q);
        q += 8;
        return v;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = take() ?? entry.uncompressedSize;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take() ?? entry.compressedSize;
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take() ?? entry.localHeaderOffset;
      return;
    }
    p += 4 + size;
  }
}

const utf8 = new TextDecoder("utf-8");
const latin1 = new TextDecoder("latin1");

/**
 * Reads the directory. `maxEntries` is checked against the declared count first, so a directory
 * claiming millions of entries is refused without walking it (the caller reports the limit).
 */
export function readZipDirectory(bytes: Uint8Array, maxEntries = Number.POSITIVE_INFINITY): ZipDirectory {
  if (bytes.length < EOCD_SIZE) throw new ZipFormatError("too short for a ZIP file");
  const dv = view(bytes);
  const end = readEndRecord(dv);
  if (end.entries > maxEntries) return { entries: [], declaredEntries: end.entries };
  if (end.cdOffset + end.cdSize > bytes.length)
    throw new ZipFormatError("central directory past end of file");

  const entries: ZipEntry[] = [];
  let p = end.cdOffset;
  const cdEnd = end.cdOffset + end.cdSize;
  for (let i = 0; i < end.entries; i++) {
    if (p + CENTRAL_SIZE > cdEnd || dv.getUint32(p, true) !== CENTRAL_SIG) {
      throw new ZipFormatError(`central directory entry ${i + 1} is damaged`);
    }
    const flags = dv.getUint16(p + 8, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    const next = p + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    if (next > cdEnd) throw new ZipFormatError(`central directory entry ${i + 1} runs past the directory`);
    const nameBytes = bytes.subarray(p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLength);
    const entry: ZipEntry = {
      // Bit 11: the name is UTF-8; otherwise CP437, of which the ASCII part (all OOXML names) reads as latin1.
      name: (flags & 0x0800 ? utf8 : latin1).decode(nameBytes),
      method: dv.getUint16(p + 10, true),
      flags,
      compressedSize: dv.getUint32(p + 20, true),
      uncompressedSize: dv.getUint32(p + 24, true),
      localHeaderOffset: dv.getUint32(p + 42, true),
    };
    applyZip64Extra(dv, p + CENTRAL_SIZE + nameLength, extraLength, entry);
    entries.push(entry);
    p = next;
  }
  return { entries, declaredEntries: end.entries };
}

/** The compressed bytes of one entry (the local header may carry a different extra field than the directory). */
export function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const dv = view(bytes);
  const at = entry.localHeaderOffset;
  if (at + LOCAL_SIZE > bytes.length || dv.getUint32(at, true) !== LOCAL_SIG) {
    throw new ZipFormatError(`local header of ${entry.name} is damaged`);
  }
  const start = at + LOCAL_SIZE + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new ZipFormatError(`${entry.name} runs past the end of the file`);
  return bytes.subarray(start, end);
}
