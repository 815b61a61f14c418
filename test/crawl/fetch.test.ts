import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchError, type FetchOptions, fetchOnce } from "../../src/crawl/fetch.js";

/** A real server on 127.0.0.1 with the behaviours of broken and hostile sites. */
let server: Server;
let port: number;
const sockets = new Set<Socket>();
let bytesSentForHuge = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path === "/ok") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", etag: '"v1"' });
      res.end(
        `<p>${req.headers["user-agent"]}|${req.headers.host}|${req.headers["if-none-match"] ?? ""}</p>`,
      );
    } else if (path === "/gzip") {
      const body = gzipSync(Buffer.from("压缩的页面".repeat(100)));
      res.writeHead(200, { "content-encoding": "gzip", "content-type": "text/html; charset=utf-8" });
      res.end(body);
    } else if (path === "/bomb") {
      // 10 MB of zeros compressed to ~10 KB: the decoded size must be bounded too.
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end(gzipSync(Buffer.alloc(10 * 1024 * 1024)));
    } else if (path === "/huge-declared") {
      res.writeHead(200, { "content-length": "2147483648", "content-type": "application/pdf" });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) bytesSentForHuge += chunk.length;
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    } else if (path === "/huge-chunked") {
      res.writeHead(200, { "content-type": "application/pdf" });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {}
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    } else if (path === "/reset") {
      res.writeHead(200, { "content-length": "100000", "content-type": "application/pdf" });
      res.write(Buffer.alloc(1000));
      setTimeout(() => req.socket.destroy(), 20);
    } else if (path === "/trickle") {
      res.writeHead(200, { "content-type": "text/html" });
      const t = setInterval(() => {
        if (res.destroyed) clearInterval(t);
        else res.write("x");
      }, 100);
      res.on("close", () => clearInterval(t));
    } else if (path === "/silent") {
      // Accepts, then never answers.
    } else if (path === "/hangup") {
      req.socket.destroy();
    } else if (path === "/post" && req.method === "POST") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(`${req.headers["content-type"]}|${Buffer.concat(chunks).toString()}`);
      });
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const opts = (extra: Partial<FetchOptions["limits"]> = {}): FetchOptions => ({
  userAgent: "nianbao-test (+mailto:test@example.org)",
  connectTo: () => ({ host: "127.0.0.1", port }),
  limits: {
    connectTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    totalTimeoutMs: 5000,
    maxBytes: 1024 * 1024,
    ...extra,
  },
});

async function failure(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error("expected a FetchError");
}

describe("fetchOnce against a real server", () => {
  it("sends our User-Agent, the URL's Host and conditional headers; keeps ETag", async () => {
    const r = await fetchOnce(
      { url: "http://www.abc.gov.cn/ok", headers: { "if-none-match": '"v0"' } },
      opts(),
    );
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('<p>nianbao-test (+mailto:test@example.org)|www.abc.gov.cn|"v0"</p>');
    expect(r.headers.etag).toBe('"v1"');
  });

  it("decodes gzip but keeps the wire bytes for the archive", async () => {
    const r = await fetchOnce({ url: "http://www.abc.gov.cn/gzip" }, opts());
    expect(r.body.toString()).toBe("压缩的页面".repeat(100));
    expect(r.wireBody.length).toBeLessThan(r.body.length);
  });

  it("posts a form (Hanweb dataproxy.jsp)", async () => {
    const r = await fetchOnce(
      { url: "http://www.abc.gov.cn/post", form: "startrecord=1&endrecord=12" },
      opts(),
    );
    expect(r.body.toString()).toBe(
      "application/x-www-form-urlencoded; charset=UTF-8|startrecord=1&endrecord=12",
    );
  });

  it("refuses a declared 2 GB body before reading it", async () => {
    const e = await failure(fetchOnce({ url: "http://www.abc.gov.cn/huge-declared" }, opts()));
    expect(e.code).toBe("too-large");
    expect(e.retryable).toBe(false);
    expect(bytesSentForHuge).toBeLessThan(64 * 1024 * 1024);
  });

  it("stops an endless undeclared body at the size limit, and a decompression bomb too", async () => {
    expect((await failure(fetchOnce({ url: "http://www.abc.gov.cn/huge-chunked" }, opts()))).code).toBe(
      "too-large",
    );
    expect((await failure(fetchOnce({ url: "http://www.abc.gov.cn/bomb" }, opts()))).code).toBe("too-large");
  });

  it("reports a connection reset mid-body as retryable, not as a dead host", async () => {
    const e = await failure(fetchOnce({ url: "http://www.abc.gov.cn/reset" }, opts()));
    expect(e.code).toBe("reset");
    expect(e.retryable).toBe(true);
    expect(e.hostFailure).toBe(false);
  });

  it("bounds a server that trickles one byte at a time by the total timeout", async () => {
    const t0 = Date.now();
    const e = await failure(
      fetchOnce({ url: "http://www.abc.gov.cn/trickle" }, opts({ totalTimeoutMs: 800 })),
    );
    expect(e.code).toBe("timeout-total");
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("bounds silence by the idle timeout and counts it against the host", async () => {
    const e = await failure(fetchOnce({ url: "http://www.abc.gov.cn/silent" }, opts({ idleTimeoutMs: 300 })));
    expect(e.code).toBe("timeout-idle");
    expect(e.hostFailure).toBe(true);
  });

  it("counts a hang-up without an answer and a refused connection against the host", async () => {
    const hang = await failure(fetchOnce({ url: "http://www.abc.gov.cn/hangup" }, opts()));
    expect(hang.hostFailure).toBe(true);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await failure(
      fetchOnce(
        { url: "http://www.dead.gov.cn/" },
        { ...opts(), connectTo: () => ({ host: "127.0.0.1", port: deadPort }) },
      ),
    );
    expect(refused.code).toBe("connect");
    expect(refused.hostFailure).toBe(true);
  });

  it("rejects what is not an http(s) URL", async () => {
    expect((await failure(fetchOnce({ url: "ftp://www.abc.gov.cn/x" }, opts()))).code).toBe("bad-url");
  });
});
