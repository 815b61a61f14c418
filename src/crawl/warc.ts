/**
 * WARC/1.1 archive of every HTTP exchange (request + response records, gzip per record, via the
 * maintained `warcio`), with a CDXJ index so archivists can replay and verify the crawl. One
 * file per crawl process; records are appended synchronously so the index offsets stay exact.
 */
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { getSurt, WARCRecord, WARCSerializer } from "warcio";
import type { FetchResponse } from "./fetch.js";

export interface ArchiveWriter {
  /** Appends the request and response records of one exchange. */
  write(exchange: FetchResponse, form?: string): Promise<void>;
  /** Finishes pending writes and closes the archive (and writes its index). */
  close(): Promise<void>;
}

/** Headers that describe the transfer, not the payload we keep (the body is stored de-chunked). */
const TRANSFER_HEADERS = /^(?:transfer-encoding)$/i;

function warcDate(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, "Z");
}

function cdxTimestamp(iso: string): string {
  return iso.replace(/[-:TZ]/g, "").slice(0, 14);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  if (bytes.length > 0) yield bytes;
}

export class WarcWriter implements ArchiveWriter {
  readonly file: string;
  private readonly fd: number;
  private offset = 0;
  private readonly cdxFile: string;
  private readonly cdxLines: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly dir: string,
    software: string,
  ) {
    const stamp = new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15);
    this.file = path.join(dir, `nianbao-${stamp}-${process.pid}.warc.gz`);
    this.cdxFile = this.file.replace(/\.warc\.gz$/, ".cdxj");
    this.fd = openSync(this.file, "a");
    const info = WARCRecord.createWARCInfo(
      { filename: path.basename(this.file), warcVersion: "WARC/1.1" },
      {
        software,
        format: "WARC File Format 1.1",
        conformsTo: "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
      },
    );
    this.chain = this.append(info).then(() => undefined);
  }

  private async append(record: WARCRecord): Promise<{ offset: number; length: number }> {
    const bytes = await WARCSerializer.serialize(record, {
      gzip: true,
      digest: { algo: "sha-256", prefix: "sha256:", base32: true },
    });
    const offset = this.offset;
    writeSync(this.fd, bytes);
    this.offset += bytes.length;
    return { offset, length: bytes.length };
  }

  write(ex: FetchResponse, form?: string): Promise<void> {
    // Serialise appends: records and their offsets must follow each other exactly.
    const next = this.chain.then(async () => {
      const u = new URL(ex.url);
      const date = warcDate(ex.startedAt);
      const request = WARCRecord.create(
        {
          url: ex.url,
          date,
          type: "request",
          warcVersion: "WARC/1.1",
          statusline: `${ex.method} ${u.pathname}${u.search} HTTP/1.1`,
          httpHeaders: ex.requestHeaders,
        },
        once(form ? Buffer.from(form, "utf8") : new Uint8Array()),
      );
      const response = WARCRecord.create(
        {
          url: ex.url,
          date,
          type: "response",
          warcVersion: "WARC/1.1",
          statusline: `HTTP/${ex.httpVersion} ${ex.status} ${ex.statusText}`.trimEnd(),
          httpHeaders: ex.rawHeaders.filter(([k]) => !TRANSFER_HEADERS.test(k)),
          warcHeaders: { "WARC-Concurrent-To": request.warcHeaders.headers.get("WARC-Record-ID") ?? "" },
        },
        once(ex.wireBody),
      );
      const at = await this.append(response);
      await this.append(request);
      const digest = response.warcHeaders.headers.get("WARC-Payload-Digest") ?? undefined;
      const mime = (ex.headers["content-type"] ?? "").split(";")[0]?.trim() || "unk";
      const key = form
        ? `${ex.url}${ex.url.includes("?") ? "&" : "?"}__wb_post_data=${Buffer.from(form).toString("base64")}`
        : ex.url;
      this.cdxLines.push(
        `${getSurt(key)} ${cdxTimestamp(ex.startedAt)} ${JSON.stringify({
          url: ex.url,
          mime,
          status: String(ex.status),
          ...(digest ? { digest } : {}),
          ...(form ? { method: "POST", requestBody: form } : {}),
          length: String(at.length),
          offset: String(at.offset),
          filename: path.basename(this.file),
        })}`,
      );
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Waits for pending appends, closes the file and writes its sorted CDXJ index. */
  async close(): Promise<void> {
    await this.chain;
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    writeFileSync(
      this.cdxFile,
      this.cdxLines
        .sort()
        .map((l) => `${l}\n`)
        .join(""),
    );
  }
}

/** Merges every `.cdxj` in `dir` into one sorted `index.cdxj` (after resumed crawls wrote several files). */
export function mergeCdxj(dir: string): string {
  const lines = readdirSync(dir)
    .filter((f) => f.endsWith(".cdxj") && f !== "index.cdxj")
    .flatMap((f) => readFileSync(path.join(dir, f), "utf8").split("\n"))
    .filter((l) => l.trim() !== "");
  lines.sort();
  const out = path.join(dir, "index.cdxj");
  writeFileSync(out, lines.map((l) => `${l}\n`).join(""));
  return out;
}
