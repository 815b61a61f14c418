/**
 * Format detection: signature bytes first, then media type, then file extension; the evidence
 * is recorded so a surprising verdict can be explained.
 */
import type { ReportSource } from "../model/report.js";

export interface DetectedFormat {
  format: ReportSource["format"];
  mediaType: string;
  evidence: string;
}

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

export function detectFormat(bytes: Uint8Array, locator: string, contentType?: string): DetectedFormat {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46]))
    return { format: "pdf", mediaType: "application/pdf", evidence: "signature %PDF" };
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return { format: "doc", mediaType: "application/msword", evidence: "signature OLE2" };
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 65536))).toString("latin1");
    if (head.includes("word/")) {
      return {
        format: "docx",
        mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        evidence: "signature ZIP with word/",
      };
    }
    return { format: "unknown", mediaType: "application/zip", evidence: "signature ZIP" };
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]))
    return { format: "image", mediaType: "image/png", evidence: "signature PNG" };
  if (startsWith(bytes, [0xff, 0xd8, 0xff]))
    return { format: "image", mediaType: "image/jpeg", evidence: "signature JPEG" };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { format: "image", mediaType: "image/tiff", evidence: "signature TIFF" };
  }
  const ct = (contentType ?? "").toLowerCase();
  if (ct.includes("html")) return { format: "html", mediaType: "text/html", evidence: `media type ${ct}` };
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1").toLowerCase();
  if (/<!doctype html|<html[\s>]|<table[\s>]|<body[\s>]|<meta[\s>]/.test(head)) {
    return { format: "html", mediaType: "text/html", evidence: "html tags in the first 4 KB" };
  }
  if (/\.(?:s?html?|shtml|jsp|aspx?|php)$/i.test(locator)) {
    return { format: "html", mediaType: "text/html", evidence: "file extension" };
  }
  return { format: "text", mediaType: "text/plain", evidence: "no binary signature, no html tags" };
}
