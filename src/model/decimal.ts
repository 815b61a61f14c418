/**
 * Exact decimals for money cells (万元, 元). Amounts are kept as scaled bigints so that
 * `7730.28` never becomes `7730.280000001` and 元 → 万元 is a shift, not a float division.
 */
export interface Decimal {
  /** value = units / 10^scale */
  units: bigint;
  scale: number;
}

const DECIMAL_RE = /^([-+]?)(\d+)(?:\.(\d+))?$/;

export function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL_RE.exec(text.replace(/,/g, ""));
  if (!m) return null;
  const frac = m[3] ?? "";
  const units = BigInt(`${m[2]}${frac}`) * (m[1] === "-" ? -1n : 1n);
  return { units, scale: frac.length };
}

export function decimalToString(d: Decimal): string {
  const neg = d.units < 0n;
  const digits = (neg ? -d.units : d.units).toString().padStart(d.scale + 1, "0");
  const int = digits.slice(0, digits.length - d.scale);
  const frac = digits.slice(digits.length - d.scale).replace(/0+$/, "");
  return `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

/** Nearest double of the exact decimal (parsed from its string, never computed). */
export function decimalToNumber(d: Decimal): number {
  return Number(decimalToString(d));
}

/** Multiply by 10^exp (exp may be negative: 元 → 万元 is exp = -4). */
export function shiftDecimal(d: Decimal, exp: number): Decimal {
  if (exp >= 0) return { units: d.units * 10n ** BigInt(exp), scale: d.scale };
  return { units: d.units, scale: d.scale - exp };
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const s = Math.max(a.scale, b.scale);
  const ua = a.units * 10n ** BigInt(s - a.scale);
  const ub = b.units * 10n ** BigInt(s - b.scale);
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}
