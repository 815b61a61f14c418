/**
 * Serves a `SimWeb` on 127.0.0.1 only, one `node:http` server routing by the `Host` header.
 * Behaviours: dead host (socket destroyed), 429 with `Retry-After: 1` for a host's first requests,
 * redirects, delayed first byte, trickled bodies, dataproxy.jsp (GET or POST form), the gkmlpt JSON API,
 * the calendar trap, anti-bot challenges (412/521), hostile bodies (2 GB of zeros, reset mid-body, one
 * byte a second forever), and conditional GET (`ETag`/`Last-Modified` on every 200, 304 on a match).
 */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findSite, type Page, resolvePage, type SimWeb } from "./web.js";

export interface SimRequest {
  host: string;
  path: string;
  method: string;
  /** 0 when the connection was destroyed (dead host). */
  status: number;
  /** Milliseconds since the server started. */
  at: number;
  /** Request headers as received (undefined when absent). */
  userAgent: string | undefined;
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
  /** Body bytes written so far (updated while a body streams; 0 for 304, HEAD and destroyed connections). */
  bytes: number;
}

export interface SimServer {
  url: string;
  port: number;
  requests: SimRequest[];
  close(): Promise<void>;
}

export interface SimServerOptions {
  port?: number;
  /** `Last-Modified` of pages that carry none (default: 1 May of the year after the newest report year). */
  lastModified?: string;
  /** Root that `Page.file` paths are relative to; defaults to the project root. */
  root?: string;
}

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (req.method !== "POST") return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", () => resolve(undefined));
  });
}

export async function startSimServer(web: SimWeb, opts: SimServerOptions = {}): Promise<SimServer> {
  const root = opts.root ?? PROJECT_ROOT;
  const files = new Map<string, Uint8Array>();
  const fileBytes = (f: string): Uint8Array => {
    let b = files.get(f);
    if (!b) {
      b = readFileSync(path.join(root, f));
      files.set(f, b);
    }
    return b;
  };
  const hits = new Map<string, number>();
  const requests: SimRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const started = Date.now();
  const later = (ms: number, fn: () => void): NodeJS.Timeout => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  };

  const etags = new WeakMap<Page, string>();
  const fileEtags = new Map<string, string>();
  const etagOf = (body: Uint8Array): string =>
    `"${createHash("sha1").update(body).digest("hex").slice(0, 20)}"`;
  const defaultLastModified =
    opts.lastModified ??
    new Date(Date.UTC((web.years[web.years.length - 1] ?? 2023) + 1, 4, 1)).toUTCString();

  /** True when the request's validators match (If-None-Match wins over If-Modified-Since, RFC 9110 §13.2.2). */
  const notModified = (req: IncomingMessage, etag: string, lastModified: string): boolean => {
    const inm = req.headers["if-none-match"];
    if (inm !== undefined) {
      const tags = inm.split(",").map((t) => t.trim().replace(/^W\//, ""));
      return tags.includes("*") || tags.includes(etag);
    }
    const ims = req.headers["if-modified-since"];
    if (ims === undefined) return false;
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Date.parse(lastModified) <= since;
  };

  const send = (req: IncomingMessage, res: ServerResponse, page: Page, entry?: SimRequest): void => {
    const count = (n: number): void => {
      if (entry) entry.bytes += n;
    };
    const headers: Record<string, string | number> = { ...(page.headers ?? {}) };
    if (page.contentType) headers["content-type"] = page.contentType;
    if (page.location) headers.location = page.location;
    const st = page.stream;
    if (st) {
      serveStream(req, res, page, st, headers, count);
      return;
    }
    const body =
      page.file !== undefined
        ? fileBytes(page.file)
        : typeof page.body === "string"
          ? Buffer.from(page.body, "utf8")
          : (page.body ?? new Uint8Array());
    if (page.status === 200) {
      let etag = page.file !== undefined ? fileEtags.get(page.file) : etags.get(page);
      if (!etag) {
        etag = etagOf(body);
        if (page.file !== undefined) fileEtags.set(page.file, etag);
        else etags.set(page, etag);
      }
      const lastModified = page.lastModified ?? defaultLastModified;
      headers.etag = etag;
      headers["last-modified"] = lastModified;
      if ((req.method === "GET" || req.method === "HEAD") && notModified(req, etag, lastModified)) {
        if (entry) entry.status = 304;
        delete headers["content-type"];
        delete headers["content-disposition"];
        res.writeHead(304, headers);
        res.end();
        return;
      }
    }
    headers["content-length"] = body.length;
    res.writeHead(page.status, headers);
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const tr = page.trickle;
    if (!tr) {
      count(body.length);
      res.end(body);
      return;
    }
    let off = 0;
    const step = (): void => {
      if (res.destroyed) return;
      const end = Math.min(body.length, off + tr.chunkBytes);
      res.write(body.subarray(off, end));
      count(end - off);
      off = end;
      if (off >= body.length) res.end();
      else later(tr.intervalMs, step);
    };
    step();
  };

  const ZEROS = Buffer.alloc(64 * 1024);
  const serveStream = (
    req: IncomingMessage,
    res: ServerResponse,
    page: Page,
    st: NonNullable<Page["stream"]>,
    headers: Record<string, string | number>,
    count: (n: number) => void,
  ): void => {
    if (st.kind === "zeros") {
      headers["content-length"] = st.length;
      res.writeHead(page.status, headers);
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      // Never buffers: writes 64 KiB at a time, waits for 'drain', stops when the client goes away.
      let left = st.length;
      const pump = (): void => {
        while (left > 0 && !res.destroyed) {
          const n = Math.min(left, ZEROS.length);
          left -= n;
          count(n);
          const ok = res.write(n === ZEROS.length ? ZEROS : ZEROS.subarray(0, n));
          if (!ok) {
            res.once("drain", pump);
            return;
          }
        }
        if (left === 0 && !res.destroyed) res.end();
      };
      pump();
      return;
    }
    const body =
      typeof page.body === "string"
        ? Buffer.from(page.body, "utf8")
        : Buffer.from(page.body ?? new Uint8Array());
    if (st.kind === "reset") {
      headers["content-length"] = body.length;
      res.writeHead(page.status, headers);
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      const part = body.subarray(0, Math.min(body.length, st.afterBytes));
      res.write(part, () => {
        count(part.length);
        later(20, () => req.socket.destroy());
      });
      return;
    }
    // drip: no length, one byte per interval (the body, then spaces) until the client disconnects.
    res.writeHead(page.status, headers);
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    let k = 0;
    const drip = (): void => {
      if (res.destroyed || req.socket.destroyed) return;
      res.write(Buffer.from([k < body.length ? (body[k] ?? 0x20) : 0x20]));
      k++;
      count(1);
      later(st.intervalMs, drip);
    };
    drip();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = (req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
    const reqPath = req.url ?? "/";
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(", ") : v;
    };
    const log = (status: number): SimRequest => {
      const entry: SimRequest = {
        host,
        path: reqPath,
        method: req.method ?? "GET",
        status,
        at: Date.now() - started,
        userAgent: header("user-agent"),
        ifNoneMatch: header("if-none-match"),
        ifModifiedSince: header("if-modified-since"),
        bytes: 0,
      };
      requests.push(entry);
      return entry;
    };
    const site = findSite(web, host);
    if (!site) {
      const entry = log(404);
      send(
        req,
        res,
        { status: 404, contentType: "text/plain; charset=utf-8", body: `unknown host ${host}\n` },
        entry,
      );
      return;
    }
    if (site.dead) {
      log(0);
      req.socket.destroy();
      return;
    }
    if (site.challenge) {
      send(req, res, site.challenge, log(site.challenge.status));
      return;
    }
    const n = (hits.get(host) ?? 0) + 1;
    hits.set(host, n);
    if (n <= site.rateLimit) {
      const body = "Too Many Requests\n";
      log(429).bytes = body.length;
      res.writeHead(429, { "retry-after": "1", "content-type": "text/plain; charset=utf-8" });
      res.end(body);
      return;
    }
    const page = resolvePage(site, reqPath, await readForm(req));
    const entry = log(page.status);
    if (page.delayMs) later(page.delayMs, () => send(req, res, page, entry));
    else send(req, res, page, entry);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(String(err));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
