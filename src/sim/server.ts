/**
 * Serves a `SimWeb` on 127.0.0.1 only, one `node:http` server routing by the `Host` header.
 * Behaviours: dead host (socket destroyed), 429 with `Retry-After: 1` for a host's first requests,
 * redirects, delayed first byte, trickled bodies, dataproxy.jsp (GET or POST form), the calendar trap.
 */

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
}

export interface SimServer {
  url: string;
  port: number;
  requests: SimRequest[];
  close(): Promise<void>;
}

export interface SimServerOptions {
  port?: number;
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

  const send = (req: IncomingMessage, res: ServerResponse, page: Page): void => {
    const body =
      page.file !== undefined
        ? fileBytes(page.file)
        : typeof page.body === "string"
          ? Buffer.from(page.body, "utf8")
          : (page.body ?? new Uint8Array());
    const headers: Record<string, string | number> = { "content-length": body.length };
    if (page.contentType) headers["content-type"] = page.contentType;
    if (page.location) headers.location = page.location;
    res.writeHead(page.status, headers);
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const tr = page.trickle;
    if (!tr) {
      res.end(body);
      return;
    }
    let off = 0;
    const step = (): void => {
      if (res.destroyed) return;
      const end = Math.min(body.length, off + tr.chunkBytes);
      res.write(body.subarray(off, end));
      off = end;
      if (off >= body.length) res.end();
      else later(tr.intervalMs, step);
    };
    step();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = (req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
    const reqPath = req.url ?? "/";
    const log = (status: number): void => {
      requests.push({ host, path: reqPath, method: req.method ?? "GET", status, at: Date.now() - started });
    };
    const site = findSite(web, host);
    if (!site) {
      log(404);
      send(req, res, {
        status: 404,
        contentType: "text/plain; charset=utf-8",
        body: `unknown host ${host}\n`,
      });
      return;
    }
    if (site.dead) {
      log(0);
      req.socket.destroy();
      return;
    }
    const n = (hits.get(host) ?? 0) + 1;
    hits.set(host, n);
    if (n <= site.rateLimit) {
      log(429);
      res.writeHead(429, { "retry-after": "1", "content-type": "text/plain; charset=utf-8" });
      res.end("Too Many Requests\n");
      return;
    }
    const page = resolvePage(site, reqPath, await readForm(req));
    log(page.status);
    if (page.delayMs) later(page.delayMs, () => send(req, res, page));
    else send(req, res, page);
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
