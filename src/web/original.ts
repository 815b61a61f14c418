/**
 * `/reports/:id/original`: the stored bytes. PDFs and raster images are shown inline with their
 * media type. HTML and text are untrusted markup: they are only ever sent as `text/plain` (decoded
 * with the charset the extractor found, re-encoded as UTF-8) under a sandboxing CSP, so a browser
 * never renders or runs them. Everything else (Word files, unknown bytes) is a download.
 * `?download=1` always gives the exact bytes as an attachment.
 */
import type { Context } from "hono";
import type { Original } from "./queries.js";

/** Raster formats only: an SVG is a document that can carry script. */
const INLINE_IMAGES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/bmp",
  "image/tiff",
]);

const EXTENSION: Record<string, string> = {
  pdf: "pdf",
  html: "html",
  text: "txt",
  doc: "doc",
  docx: "docx",
  image: "img",
};

function decode(bytes: Uint8Array, charset: string | null): string {
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    // An unknown label: show it as UTF-8 with replacement characters rather than fail.
    return new TextDecoder("utf-8").decode(bytes);
  }
}

export function serveOriginal(c: Context, id: number, o: Original, download: boolean): Response {
  const base = `report-${id}-${o.sha256.slice(0, 12)}`;
  const body = new Uint8Array(o.bytes);
  const attachment = (type: string) =>
    c.body(body, 200, {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="${base}.${EXTENSION[o.format ?? ""] ?? "bin"}"`,
      "Content-Security-Policy": "sandbox; default-src 'none'",
    });
  if (download) return attachment("application/octet-stream");

  const media = o.mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (o.format === "pdf") {
    return c.body(body, 200, {
      "Content-Type": "application/pdf",
      // No CSP: the browser's own PDF viewer has to run; PDFs render in its sandbox, not as a page.
      "Content-Disposition": `inline; filename="${base}.pdf"`,
    });
  }
  if (o.format === "image" && INLINE_IMAGES.has(media)) {
    return c.body(body, 200, {
      "Content-Type": media,
      "Content-Disposition": `inline; filename="${base}"`,
      "Content-Security-Policy": "default-src 'none'",
    });
  }
  if (o.format === "html" || o.format === "text") {
    return c.body(decode(body, o.charset), 200, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `inline; filename="${base}.txt"`,
      "Content-Security-Policy": "sandbox; default-src 'none'",
    });
  }
  return attachment("application/octet-stream");
}
