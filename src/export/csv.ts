/**
 * CSV as Excel and every CSV reader accept it: RFC 4180 quoting, CRLF line ends, UTF-8 with a
 * byte-order mark (without the BOM Excel decodes Chinese as the local ANSI code page, i.e. mojibake).
 */
import type { Table, Value } from "./table.js";

const BOM = "\uFEFF";
const CRLF = "\r\n";
/** A field needs quotes when it contains the delimiter, a quote or a line break (RFC 4180 §2.6). */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(v: Value): string {
  if (v === null) return "";
  const s = typeof v === "number" ? String(v) : v;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: readonly Value[]): string {
  return values.map(csvField).join(",") + CRLF;
}

/** The whole table as CSV bytes; rows are encoded in chunks so no single giant string is built. */
export function writeCsv(table: Table): Buffer {
  const chunks: Buffer[] = [Buffer.from(BOM + csvLine(table.columns.map((c) => c.key)), "utf8")];
  let pending: string[] = [];
  for (const row of table.rows) {
    pending.push(csvLine(row));
    if (pending.length >= 1000) {
      chunks.push(Buffer.from(pending.join(""), "utf8"));
      pending = [];
    }
  }
  chunks.push(Buffer.from(pending.join(""), "utf8"));
  return Buffer.concat(chunks);
}
