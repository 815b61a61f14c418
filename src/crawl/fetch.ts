/**
 * One HTTP exchange, bounded in every dimension a hostile or broken server can stretch: connect
 * time, silence between bytes, total time, body size (declared and actual, before and after
 * decompression). Redirects are not followed here: the crawler records each hop as its own
 * frontier entry. Errors say whether a retry can help and whether they count against the host.
 */
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import zlib from "node:zlib";

export interface FetchRequest {
  url: string;
  method?: "GET" | "POST" | "HEAD";
  /** `application/x-www-form-urlencoded` body for POST (Hanweb's dataproxy.jsp). */
  form?: string;
  headers?: Record<string, string>;
}

export interface FetchLimits {
  connectTimeoutMs: number;
  /** Longest silence between two chunks (a server trickling one byte a second stays under it). */
  idleTimeoutMs: number;
  /** Whole exchange, so a trickle cannot hold a slot for hours. */
  totalTimeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_LIMITS: FetchLimits = {
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 20_000,
  totalTimeoutMs: 120_000,
  maxBytes: 64 * 1024 * 1024,
};

export interface FetchOptions {
  userAgent: string;
  limits?: Partial<FetchLimits>;
  /**
   * Where to connect instead of resolving the URL's host (like curl's `--connect-to`); the Host
   * header and TLS server name stay the URL's. Tests and the demo point every host at 127.0.0.1.
   */
  connectTo?: (host: string, port: number) => { host: string; port: number };
}

export interface FetchResponse {
  url: string;
  method: string;
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Header lines as received, for the archive. */
  rawHeaders: [string, string][];
  /** Request header lines as sent, for the archive. */
  requestHeaders: [string, string][];
  /** The payload after content decoding. */
  body: Buffer;
  /** The payload as transmitted (differs from `body` only when content-encoded). */
  wireBody: Buffer;
  httpVersion: string;
  startedAt: string;
  fetchedAt: string;
}

export type FetchErrorCode =
  | "connect"
  | "dns"
  | "timeout-connect"
  | "timeout-idle"
  | "timeout-total"
  | "too-large"
  | "reset"
  | "decode"
  | "bad-url";

/** A failed exchange; `retryable` says whether trying later can help, `hostFailure` whether it counts towards parking a dead host. */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly code: FetchErrorCode,
    readonly retryable: boolean,
    readonly hostFailure: boolean,
  ) {
    super(message);
    this.name = "FetchError";
  }
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  const e = (encoding ?? "").trim().toLowerCase();
  if (e === "gzip" || e === "x-gzip") return zlib.createGunzip();
  if (e === "deflate") return zlib.createInflate();
  if (e === "br") return zlib.createBrotliDecompress();
  return null;
}

function joinHeaders(raw: string[]): { map: Record<string, string>; pairs: [string, string][] } {
  const map: Record<string, string> = {};
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? "";
    const value = raw[i + 1] ?? "";
    pairs.push([name, value]);
    const k = name.toLowerCase();
    map[k] = map[k] === undefined ? value : `${map[k]}, ${value}`;
  }
  return { map, pairs };
}

/** Failures before any response count against the host (a dead host never answers); later ones do not. */
function classify(err: NodeJS.ErrnoException, connected: boolean, responded: boolean): FetchError {
  const code = err.code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new FetchError(`DNS lookup failed (${code})`, "dns", code === "EAI_AGAIN", true);
  if (!connected || code === "ECONNREFUSED" || code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return new FetchError(`connection failed: ${err.message}`, "connect", true, true);
  if (!responded)
    return new FetchError(`connection closed without an answer: ${err.message}`, "reset", true, true);
  return new FetchError(`connection reset mid-body: ${err.message}`, "reset", true, false);
}

/** Performs one request. Resolves for every HTTP status; rejects only with a `FetchError`. */
export function fetchOnce(req: FetchRequest, opts: FetchOptions): Promise<FetchResponse> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  let target: URL;
  try {
    target = new URL(req.url);
  } catch {
    return Promise.reject(new FetchError(`not a URL: ${req.url}`, "bad-url", false, false));
  }
  const secure = target.protocol === "https:";
  if (!secure && target.protocol !== "http:")
    return Promise.reject(new FetchError(`unsupported scheme ${target.protocol}`, "bad-url", false, false));
  const port = Number(target.port || (secure ? 443 : 80));
  const dest = opts.connectTo?.(target.hostname, port) ?? { host: target.hostname, port };
  const method = req.method ?? (req.form !== undefined ? "POST" : "GET");
  const headers: Record<string, string> = {
    host: target.host,
    "user-agent": opts.userAgent,
    accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-encoding": "gzip, deflate, br",
    "accept-language": "zh-CN,zh;q=0.9",
    ...req.headers,
  };
  const formBody = req.form !== undefined ? Buffer.from(req.form, "utf8") : null;
  if (formBody) {
    headers["content-type"] = "application/x-www-form-urlencoded; charset=UTF-8";
    headers["content-length"] = String(formBody.length);
  }
  const startedAt = new Date().toISOString();

  return new Promise<FetchResponse>((resolve, reject) => {
    let settled = false;
    let connected = false;
    let responded = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: FetchError | null, res?: FetchResponse): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      if (err) {
        request.destroy();
        reject(err);
      } else if (res) resolve(res);
    };
    const transport = secure ? https : http;
    const request = transport.request({
      host: dest.host,
      port: dest.port,
      method,
      path: `${target.pathname}${target.search}`,
      headers,
      servername: secure ? target.hostname : undefined,
      agent: false,
    });
    timers.push(
      setTimeout(
        () =>
          finish(
            new FetchError(`no answer within ${limits.totalTimeoutMs} ms`, "timeout-total", true, !responded),
          ),
        limits.totalTimeoutMs,
      ),
    );
    request.on("socket", (socket: Socket) => {
      const connectTimer = setTimeout(() => {
        if (!connected)
          finish(
            new FetchError(`connect timeout (${limits.connectTimeoutMs} ms)`, "timeout-connect", true, true),
          );
      }, limits.connectTimeoutMs);
      timers.push(connectTimer);
      const onConnect = (): void => {
        connected = true;
        clearTimeout(connectTimer);
      };
      if (!socket.connecting) onConnect();
      else socket.once(secure ? "secureConnect" : "connect", onConnect);
    });
    request.setTimeout(limits.idleTimeoutMs, () =>
      finish(new FetchError(`silent for ${limits.idleTimeoutMs} ms`, "timeout-idle", true, !responded)),
    );
    request.on("error", (err: NodeJS.ErrnoException) => finish(classify(err, connected, responded)));
    request.on("response", (res) => {
      responded = true;
      const { map, pairs } = joinHeaders(res.rawHeaders);
      const declared = Number(map["content-length"] ?? Number.NaN);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        finish(
          new FetchError(
            `declared body of ${declared} bytes exceeds the ${limits.maxBytes}-byte limit`,
            "too-large",
            false,
            false,
          ),
        );
        return;
      }
      const wire: Buffer[] = [];
      let wireBytes = 0;
      const decoded: Buffer[] = [];
      let decodedBytes = 0;
      const decoder = method === "HEAD" ? null : decoderFor(map["content-encoding"]);
      const tooLarge = (): void =>
        finish(new FetchError(`body exceeds the ${limits.maxBytes}-byte limit`, "too-large", false, false));
      const done = (): void => {
        const wireBody = Buffer.concat(wire, wireBytes);
        finish(null, {
          url: req.url,
          method,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? "",
          headers: map,
          rawHeaders: pairs,
          requestHeaders: Object.entries(headers),
          body: decoder ? Buffer.concat(decoded, decodedBytes) : wireBody,
          wireBody,
          httpVersion: res.httpVersion,
          startedAt,
          fetchedAt: new Date().toISOString(),
        });
      };
      if (decoder) {
        decoder.on("data", (c: Buffer) => {
          decodedBytes += c.length;
          if (decodedBytes > limits.maxBytes) tooLarge();
          else decoded.push(c);
        });
        decoder.on("error", (e) =>
          finish(new FetchError(`cannot decode body: ${e.message}`, "decode", false, false)),
        );
        decoder.on("end", done);
      }
      res.on("data", (c: Buffer) => {
        wireBytes += c.length;
        if (wireBytes > limits.maxBytes) {
          tooLarge();
          return;
        }
        wire.push(c);
        decoder?.write(c);
      });
      res.on("aborted", () => finish(new FetchError("connection reset mid-body", "reset", true, false)));
      res.on("error", (err: NodeJS.ErrnoException) => finish(classify(err, true, true)));
      res.on("end", () => {
        if (!res.complete) {
          finish(new FetchError("connection closed before the body was complete", "reset", true, false));
          return;
        }
        if (decoder) decoder.end();
        else done();
      });
    });
    if (formBody) request.end(formBody);
    else request.end();
  });
}
