/**
 * `nianbao serve`: a read-only web view of a store (pages in Chinese) and a JSON API.
 * Listens on 127.0.0.1 unless told otherwise; when it does, requests must name a loopback host,
 * so a web page cannot reach the server through DNS rebinding.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type ServerType, serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { ExportError, exportData } from "../export/index.js";
import { StoreError } from "../store/store.js";
import { apiRoutes } from "./api.js";
import { CHARTS_JS, chartUmd, STYLE_CSS } from "./assets.js";
import { Background } from "./background.js";
import { badParam, errorBody, notFound, WebError } from "./errors.js";
import { layout } from "./layout.js";
import { serveOriginal } from "./original.js";
import { auditPage, crossYearPage, findingsPage } from "./pages/audit.js";
import { completionPage } from "./pages/completion.js";
import { overviewPage } from "./pages/overview.js";
import { reportPage } from "./pages/report.js";
import { reportsPage } from "./pages/reports.js";
import { searchPage } from "./pages/search.js";
import {
  completionFilter,
  crossFilter,
  findingFilter,
  Params,
  paging,
  reportFilter,
  reportId,
  reportListFilter,
  searchTerms,
} from "./params.js";
import { Queries } from "./queries.js";

/** Pages: our own scripts and styles only, no inline script, no plugins, no framing. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** How long a page waits for the cross-year rules before showing “still computing”. */
const CROSS_WAIT_MS = 500;

export type WebApp = Hono & {
  /** Closes the database connections and the background workers. */
  close(): Promise<void>;
};

function wantsJson(c: Context): boolean {
  const p = c.req.path;
  return p.startsWith("/api/") || p === "/api" || p.startsWith("/export/");
}

function errorPage(c: Context, err: WebError): Response | Promise<Response> {
  if (wantsJson(c)) return c.json(errorBody(err), err.status);
  const title = err.status === 404 ? "没有找到" : err.status === 400 ? "请求有误" : "出错了";
  return c.html(
    layout(title, html`<h1>${title}</h1><p>${err.message}</p><p><a href="/">返回概览</a></p>`),
    err.status,
  );
}

/** The Hono app over one database file (opened read-only). */
export function createApp(dbPath: string): WebApp {
  const q = new Queries(dbPath);
  // Two workers: a long cross-year run must not hold up the dashboard aggregates.
  const bg = { audit: new Background(dbPath).start(), cross: new Background(dbPath).start() };
  const app = new Hono();

  app.use(async (c, next) => {
    const t0 = performance.now();
    await next();
    const h = c.res.headers;
    h.set("Server-Timing", `app;dur=${(performance.now() - t0).toFixed(2)}`);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    // Pages and JSON get the strict policy; originals and downloads set their own (or none, for PDFs,
    // whose viewer must run).
    const type = h.get("Content-Type") ?? "";
    if (!h.has("Content-Security-Policy") && /^(text\/html|application\/json)/.test(type))
      h.set("Content-Security-Policy", PAGE_CSP);
  });

  app.onError((err, c) => {
    if (err instanceof WebError) return errorPage(c, err);
    if (err instanceof ExportError || err instanceof StoreError) return errorPage(c, badParam(err.message));
    // Unexpected: log it here, never send the message or stack to the client.
    console.error(`nianbao serve: ${c.req.method} ${c.req.path}:`, err);
    return errorPage(c, new WebError(500, "internal", "服务器内部错误 (internal error)"));
  });
  app.notFound((c) => errorPage(c, notFound()));

  // ---------------------------------------------------------------- assets
  const asset = (body: string | Uint8Array, type: string) => (c: Context) =>
    c.body(typeof body === "string" ? body : new Uint8Array(body), 200, {
      "Content-Type": type,
      "Cache-Control": "public, max-age=3600",
    });
  app.get("/assets/style.css", asset(STYLE_CSS, "text/css; charset=utf-8"));
  app.get("/assets/charts.js", asset(CHARTS_JS, "text/javascript; charset=utf-8"));
  app.get("/assets/chart.umd.js", (c) => asset(chartUmd(), "text/javascript; charset=utf-8")(c));

  // ---------------------------------------------------------------- pages
  app.get("/", (c) => c.html(overviewPage(q.overview(), path.basename(dbPath))));

  app.get("/search", (c) => {
    const p = new Params(c.req.url);
    const terms = searchTerms(p, false);
    const f = reportFilter(p);
    const pg = paging(p);
    return c.html(searchPage(terms, f, terms.length > 0 ? q.search(terms, f, pg) : null));
  });

  app.get("/reports", (c) => {
    const p = new Params(c.req.url);
    return c.html(reportsPage(reportListFilter(p), q.reports(reportListFilter(p), paging(p))));
  });

  app.get("/reports/:id", (c) => {
    const d = q.report(reportId(c.req.param("id")));
    if (!d) throw notFound("没有这份报告 (no such report)");
    return c.html(reportPage(d));
  });

  app.get("/reports/:id/original", (c) => {
    const id = reportId(c.req.param("id"));
    const o = q.original(id);
    if (!o) throw notFound("没有这份报告 (no such report)");
    return serveOriginal(c, id, o, new Params(c.req.url).str("download") === "1");
  });

  app.get("/audit", async (c) => {
    const f = reportFilter(new Params(c.req.url));
    const [audit, outcome] = await Promise.all([
      bg.audit.audit(f),
      bg.cross.crossYear({ year: f.year, organ: f.organ }, 1, 1, CROSS_WAIT_MS),
    ]);
    return c.html(auditPage(f, audit, outcome));
  });

  app.get("/audit/findings", (c) => {
    const p = new Params(c.req.url);
    const f = findingFilter(p);
    return c.html(findingsPage(f, q.findings(f, paging(p))));
  });

  app.get("/audit/cross-year", async (c) => {
    const p = new Params(c.req.url);
    const f = crossFilter(p);
    const pg = paging(p);
    const outcome = await bg.cross.crossYear(f, pg.page, pg.perPage, CROSS_WAIT_MS);
    return c.html(crossYearPage(f, pg.page, pg.perPage, outcome));
  });

  app.get("/completion", (c) => {
    const f = completionFilter(new Params(c.req.url));
    return c.html(completionPage(f, q.completion()));
  });

  // ---------------------------------------------------------------- exports and API
  app.get("/export/:file", async (c) => {
    const m = /^(cells|findings|reports)\.(csv|xlsx|jsonl)$/.exec(c.req.param("file"));
    if (!m)
      throw notFound("没有这种导出 (unknown export; /export/<cells|findings|reports>.<csv|xlsx|jsonl>)");
    const kind = m[1] as "cells" | "findings" | "reports";
    const format = m[2] as "csv" | "xlsx" | "jsonl";
    const out = await exportData(q.store, kind, format, reportFilter(new Params(c.req.url)));
    // The file name comes from the export module (ASCII only), never from stored text.
    const filename = out.filename.replace(/[^A-Za-z0-9._-]/g, "_");
    return c.body(new Uint8Array(out.body), 200, {
      "Content-Type": out.contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
    });
  });

  app.route("/api", apiRoutes(q, bg));

  return Object.assign(app, {
    close: async () => {
      await Promise.all([bg.audit.close(), bg.cross.close()]);
      q.close();
    },
  });
}

export interface ServerOptions {
  db: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface ServerHandle {
  url: string;
  port: number;
  app: WebApp;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Starts listening; resolves once the port is bound. Throws StoreError when the database is missing. */
export async function startServer(o: ServerOptions): Promise<ServerHandle> {
  if (!existsSync(o.db)) throw new StoreError(`数据库不存在 (no such database): ${o.db}`);
  const host = o.host ?? "127.0.0.1";
  const app = createApp(o.db);
  let port = 0;
  const loopback = isLoopback(host);
  const hostOk = (req: Request): boolean => {
    if (!loopback) return true;
    const h = new URL(req.url).host.toLowerCase();
    return h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}`;
  };
  let server: ServerType;
  try {
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({
        fetch: (req, env) => {
          if (hostOk(req)) return app.fetch(req, env);
          const err = new WebError(
            403,
            "forbidden_host",
            "只接受通过本机地址访问 (loopback host names only)",
          );
          return Response.json(errorBody(err), { status: 403 });
        },
        port: o.port ?? 8080,
        hostname: host,
      });
      s.once("error", reject);
      s.once("listening", () => {
        s.off("error", reject);
        resolve(s);
      });
    });
  } catch (err) {
    await app.close();
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    app,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold close() open until they time out.
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await app.close();
    },
  };
}
