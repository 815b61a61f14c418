/**
 * The contract between format backends and the rest of the pipeline. Every backend
 * (text, HTML, later PDF/DOCX/OCR) is a pure function from bytes to an ExtractedLayout:
 * the positioned table grids in document order plus the narrative text with tables removed.
 * Backends know nothing about the canonical schema beyond locating tables; the mapper does the rest.
 */
import type { Grid } from "../model/grid.js";

export interface ExtractedLayout {
  /** Table grids in document order. */
  grids: Grid[];
  /**
   * Narrative text in reading order with every table removed (a blank line where a table stood),
   * so the section splitter never sees table rows such as `四、结转下年度继续办理`.
   */
  narrative: string;
  /** Title as the document states it (`<title>`, first heading, `标题:` line), when any. */
  title: string | null;
  /** Charset the bytes were decoded with, and how it was chosen. */
  charset: string | null;
  charsetEvidence: string | null;
  /** Publication date stated by the page itself (meta tag, `发布时间:` line), ISO `YYYY-MM-DD`. */
  publishedAt: string | null;
  /** Problems the backend met that the report should carry (never thrown). */
  warnings: string[];
  /** Paged formats: pages whose text layer is missing or untrustworthy; the OCR path reads them. */
  needsOcr?: OcrMark[];
  /** Paged formats: number of pages read. */
  pages?: number;
  /** Pages that went through OCR and what came of each (image files, scanned or garbled PDF pages). */
  ocr?: OcrOutcome[];
  /**
   * Pages whose prose OCR did not read (only their tables and, on the first page, the title block):
   * the narrative lacks them, so checks of the prose cannot run there.
   */
  proseUnread?: number[];
}

export interface OcrOutcome {
  page: number;
  /** `read`: tables found and read; `no-table`: no ruled table; `blank`: no ink; `failed`: OCR could not run. */
  status: "read" | "no-table" | "blank" | "failed";
  detail: string;
}

export interface OcrMark {
  page: number;
  reason: "no-text" | "garbled-text" | "image-table";
  detail: string;
  /** HTML: the addresses of the pictures that hold the tables, in page order. */
  images?: string[];
}

/** A format backend: bytes in, layout out. Async because PDF parsing is. */
export type Backend = (input: ExtractInput) => ExtractedLayout | Promise<ExtractedLayout>;

export interface ExtractInput {
  bytes: Uint8Array;
  /** HTTP Content-Type header or known media type, when any (carries the charset for HTML). */
  contentType?: string;
  locator: string;
  /** What the caller knows from outside the document (the crawl catalogue, the list page). */
  hints?: ExtractHints;
  /** Run OCR over image files and pages without a usable text layer (default true). */
  ocr?: boolean;
  /**
   * Bytes of an image a document refers to (an HTML `<img src>`), or null when unavailable. Files
   * read from disk resolve relative to the document; the crawler supplies the blobs it fetched.
   */
  resolveImage?: (src: string) => Promise<Uint8Array | null>;
}

/** Facts from outside the document; the document's own statements win where it makes them. */
export interface ExtractHints {
  /** The agency the document was published by (used when the report names none). */
  organ?: string;
  /** The agency's level, for the Art. 49 deadline (instead of guessing it from the name). */
  organLevel?: "department" | "government";
  /** Publication date shown beside the link or sent as Last-Modified (ISO day), when the document states none. */
  publishedAt?: string;
}

/** Raised for input the backend cannot read at all; the pipeline records it as a failed document. */
export class UnreadableInputError extends Error {
  constructor(
    message: string,
    readonly code:
      | "empty"
      | "binary"
      | "encoding"
      | "no-tables"
      | "legacy"
      | "unsupported"
      | "encrypted"
      | "limit"
      | "corrupt",
  ) {
    super(message);
    this.name = "UnreadableInputError";
  }
}
