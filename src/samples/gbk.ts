/** GBK encoding for generated samples (Node has no GBK encoder and iconv is not a dependency). */

let gbkTable: Map<number, number> | undefined;

/**
 * Code point → GBK double byte, built once by inverting the WHATWG gb18030 decoder over the two-byte range
 * (node has no GBK encoder and iconv is not a dependency). The first byte pair wins for duplicates.
 */
function gbkMap(): Map<number, number> {
  if (gbkTable) return gbkTable;
  const map = new Map<number, number>();
  const decoder = new TextDecoder("gb18030");
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const s = decoder.decode(pair);
      const cp = s.codePointAt(0);
      if (s.length !== 1 || cp === undefined || cp === 0xfffd || map.has(cp)) continue;
      map.set(cp, (lead << 8) | trail);
    }
  }
  gbkTable = map;
  return map;
}

/** GBK bytes; characters outside GBK become HTML numeric references (the output is always HTML). */
export function encodeGbk(text: string): Uint8Array {
  const map = gbkMap();
  const out = new Uint8Array(text.length * 2 + 16);
  let n = 0;
  let buf = out;
  const put = (b: number): void => {
    if (n >= buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
    }
    buf[n++] = b;
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) {
      put(cp);
      continue;
    }
    const code = map.get(cp);
    if (code === undefined) {
      for (const c of `&#${cp};`) put(c.charCodeAt(0));
    } else {
      put(code >> 8);
      put(code & 0xff);
    }
  }
  return buf.slice(0, n);
}
