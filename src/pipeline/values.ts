/**
 * Reading one printed cell as a value (spec §5, §7.10): numbers with optional unit and note,
 * blank / dash / slash / 无 as 0 with a flag, everything else unreadable. Pure.
 */
import {
  type Decimal,
  decimalToNumber,
  decimalToString,
  parseDecimal,
  shiftDecimal,
} from "../model/decimal.js";
import { normalizeText } from "../model/normalize.js";
import type { CellSource } from "../model/report.js";
import type { ValueKind } from "../model/template.js";

export interface ParsedValue {
  value: number | null;
  source: CellSource;
  decimal?: string;
  unit?: string;
  note?: string;
}

const DASHES = new Set(["-", "—", "–", "―", "‐", "−", "--", "——", "/", "\\", "-/-"]);
const NUMBER_RE = /^([-+]?\d[\d,]*(?:\.\d+)?)\s*(万元|元|件|个|项|条|次)?\s*([(（].*[)）])?$/;

/** True when `text` is something the value reader accepts (number, blank, dash, 无). */
export function isValueText(text: string): boolean {
  return parseValue(text, "signed").source !== "unreadable";
}

/**
 * @param kind count → non-negative integer; signed → integer with optional sign; money → exact decimal.
 * @param columnUnit the unit the column is defined in (`万元` for v2021 fees); a cell printed in 元
 *   is converted exactly. Without a column unit the printed unit is kept as is.
 */
export function parseValue(text: string, kind: ValueKind, columnUnit?: string): ParsedValue {
  const t = normalizeText(text);
  if (t === "") return { value: 0, source: "blank" };
  if (DASHES.has(t) || /^[-—–―/]+$/.test(t)) return { value: 0, source: "dash" };
  if (t === "无" || t === "无。") return { value: 0, source: "none" };
  const m = NUMBER_RE.exec(t);
  if (!m) return { value: null, source: "unreadable" };
  const [, num = "", unit, note] = m;
  const dec = parseDecimal(num);
  if (!dec) return { value: null, source: "unreadable" };
  const out: ParsedValue = { value: null, source: "printed" };
  if (note) out.note = note;
  if (kind === "money") {
    let d: Decimal = dec;
    if (unit) out.unit = unit;
    if (columnUnit === "万元" && unit === "元") {
      d = shiftDecimal(dec, -4);
      out.unit = "万元";
    }
    if (d.units < 0n) return { ...out, source: "unreadable" };
    out.decimal = decimalToString(d);
    out.value = decimalToNumber(d);
    return out;
  }
  if (dec.scale > 0 && /\.\d*[1-9]/.test(num))
    return { value: null, source: "unreadable", ...(note ? { note } : {}) };
  const n = Number(num.replace(/,/g, "").replace(/\.0+$/, ""));
  if (!Number.isSafeInteger(n)) return { value: null, source: "unreadable" };
  if (kind === "count" && n < 0) return { value: n, source: "printed", ...(note ? { note } : {}) };
  out.value = n;
  if (unit && unit !== "件") out.unit = unit;
  return out;
}
