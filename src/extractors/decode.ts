/**
 * Bytes → text with the charset recipe Chinese government sites need: HTTP header, BOM,
 * `<meta>` declaration, then strict UTF-8, then GB18030. Many sites serve GBK with a wrong or
 * missing declaration, so a declared charset is only trusted when the bytes decode cleanly under it.
 * GB2312 and GBK are decoded as GB18030 (a superset), as WHATWG does.
 */

export interface Decoded {
  text: string;
  charset: string;
  evidence: string;
}

const ALIASES: Record<string, string> = {
  gb2312: "gb18030",
  gbk: "gb18030",
  gb18030: "gb18030",
  "x-gbk": "gb18030",
  "utf-8": "utf-8",
  utf8: "utf-8",
  big5: "big5",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
};

function canonicalCharset(name: string | undefined | null): string | null {
  if (!name) return null;
  return ALIASES[name.trim().toLowerCase()] ?? null;
}

function strictDecode(bytes: Uint8Array, charset: string): string | null {
  try {
    return new TextDecoder(charset, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function charsetFromContentType(contentType: string | undefined): string | null {
  const m = /charset\s*=\s*["']?([\w-]+)/i.exec(contentType ?? "");
  return canonicalCharset(m?.[1]);
}

/** `<meta charset>` or `<meta http-equiv content="…charset=…">` within the first 4 KB. */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return canonicalCharset(m?.[1]);
}

export function decodeBytes(bytes: Uint8Array, opts: { contentType?: string; html?: boolean } = {}): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), charset: "utf-8", evidence: "bom" };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return {
      text: new TextDecoder("utf-16le").decode(bytes.subarray(2)),
      charset: "utf-16le",
      evidence: "bom",
    };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return {
      text: new TextDecoder("utf-16be").decode(bytes.subarray(2)),
      charset: "utf-16be",
      evidence: "bom",
    };
  }
  const declared: [string | null, string][] = [[charsetFromContentType(opts.contentType), "http-header"]];
  if (opts.html) declared.push([charsetFromMeta(bytes), "meta"]);
  for (const [charset, evidence] of declared) {
    if (!charset) continue;
    const text = strictDecode(bytes, charset);
    if (text !== null) return { text, charset, evidence };
  }
  const utf8 = strictDecode(bytes, "utf-8");
  if (utf8 !== null) return { text: utf8, charset: "utf-8", evidence: "valid-utf-8" };
  const gb = strictDecode(bytes, "gb18030");
  if (gb !== null) return { text: gb, charset: "gb18030", evidence: "valid-gb18030-fallback" };
  // Neither decodes cleanly: keep going with replacement characters and say so.
  return {
    text: new TextDecoder("gb18030").decode(bytes),
    charset: "gb18030",
    evidence: "lossy-gb18030 (bytes invalid in every candidate charset)",
  };
}

/**
 * Share of characters that no text document contains — C0 controls (bar tab/CR/LF/FF) and U+FFFD —
 * over the first 64 K: binary posing as text, or bytes no candidate charset could decode.
 */
export function junkRatio(text: string): number {
  if (text.length === 0) return 0;
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0xfffd) bad++;
  }
  return bad / sample.length;
}
