/**
 * The JSON API: the same filters and the same queries as the pages. Lists are paginated as
 * `{ items, page, per_page, total }`; errors use the one shape of errors.ts.
 */
import { Hono } from "hono";
import { toContractJson } from "../pipeline/contract.js";
import type { Background } from "./background.js";
import { notFound } from "./errors.js";
import { filterCompletion } from "./pages/completion.js";
import {
  completionFilter,
  findingFilter,
  Params,
  paging,
  reportFilter,
  reportId,
  reportListFilter,
  searchTerms,
} from "./params.js";
import type { Queries } from "./queries.js";

/** How long /api/audit waits for the cross-year rules before answering `pending`. */
const CROSS_WAIT_MS = 10_000;

export function apiRoutes(q: Queries, bg: { audit: Background; cross: Background }): Hono {
  const api = new Hono();

  api.get("/reports", (c) => {
    const p = new Params(c.req.url);
    return c.json(q.reports(reportListFilter(p), paging(p)));
  });

  api.get("/reports/:id", (c) => {
    const stored = q.store.getReport(reportId(c.req.param("id")));
    if (!stored) throw notFound("没有这份报告 (no such report)");
    return c.json(toContractJson(stored.report));
  });

  api.get("/reports/:id/cells", (c) => {
    const p = new Params(c.req.url);
    const cells = q.cells(reportId(c.req.param("id")), paging(p));
    if (!cells) throw notFound("没有这份报告 (no such report)");
    return c.json(cells);
  });

  api.get("/findings", (c) => {
    const p = new Params(c.req.url);
    return c.json(q.findings(findingFilter(p), paging(p)));
  });

  api.get("/search", (c) => {
    const p = new Params(c.req.url);
    const terms = searchTerms(p, true);
    return c.json({ terms, ...q.search(terms, reportFilter(p), paging(p)) });
  });

  api.get("/audit", async (c) => {
    const p = new Params(c.req.url);
    const f = reportFilter(p);
    const [audit, outcome] = await Promise.all([
      bg.audit.audit(f),
      bg.cross.crossYear({ year: f.year, organ: f.organ }, 1, 1, CROSS_WAIT_MS),
    ]);
    const cross_year =
      outcome.status === "ready"
        ? {
            status: "ready",
            total: outcome.result.total,
            by_rule: outcome.result.by_rule,
            by_year: outcome.result.by_year,
          }
        : outcome.status === "pending"
          ? { status: "pending" }
          : { status: "failed", message: outcome.message };
    return c.json({ filter: f, ...audit, cross_year });
  });

  api.get("/completion", (c) => {
    const f = completionFilter(new Params(c.req.url));
    const data = q.completion();
    if (!data) return c.json({ years: [], items: [], total: 0 });
    const items = filterCompletion(data.rows, f);
    return c.json({ years: data.years, filter: f, items, total: items.length });
  });

  return api;
}
