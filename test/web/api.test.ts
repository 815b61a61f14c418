/** The API contract and the pages' content: pagination, the report JSON, tables, audit, exports. */
import Database from "better-sqlite3";
import * as cheerio from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toContractJson } from "../../src/pipeline/contract.js";
import { openStore } from "../../src/store/store.js";
import { buildFixture, type Fixture } from "./fixture.js";

let fx: Fixture;
let db: Database.Database;

beforeAll(async () => {
  fx = await buildFixture();
  db = new Database(fx.db, { readonly: true });
});
afterAll(async () => {
  db?.close();
  await fx?.close();
});

interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}

async function json<T>(p: string): Promise<T> {
  const res = await fx.get(p);
  expect(res.status, p).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return (await res.json()) as T;
}

function one<T>(sql: string, ...params: (string | number)[]): T {
  const row = db.prepare<(string | number)[], T>(sql).get(...params);
  if (row === undefined) throw new Error(`no row: ${sql}`);
  return row;
}

async function page(p: string): Promise<cheerio.CheerioAPI> {
  const res = await fx.get(p);
  expect(res.status, p).toBe(200);
  return cheerio.load(await res.text());
}

describe("API", () => {
  it("/api/reports paginates every current report once", async () => {
    const total = one<{ n: number }>("SELECT count(*) AS n FROM reports WHERE is_current = 1").n;
    const ids = new Set<number>();
    for (let p = 1; p <= Math.ceil(total / 4); p++) {
      const r = await json<Page<{ id: number }>>(`/api/reports?per_page=4&page=${p}`);
      expect(r).toMatchObject({ page: p, per_page: 4, total });
      for (const x of r.items) ids.add(x.id);
    }
    expect(ids.size).toBe(total);
    const d = await json<Page<unknown>>("/api/reports");
    expect(d.per_page).toBe(50);
  });

  it("/api/reports filters by year, organ, template and status", async () => {
    const r = await json<Page<{ year: number; organ: string }>>("/api/reports?year=2021&organ=平潭");
    expect(r.total).toBe(1);
    expect(r.items[0]).toMatchObject({ year: 2021, organ: expect.stringContaining("平潭") });
    const v2019 = await json<Page<{ template: string }>>("/api/reports?template=v2019");
    expect(v2019.total).toBeGreaterThan(0);
    expect(v2019.items.every((x) => x.template === "v2019")).toBe(true);
    const partial = await json<Page<{ status: string }>>("/api/reports?status=partial");
    expect(partial.items.every((x) => x.status === "partial")).toBe(true);
  });

  it("/api/reports/:id is the extract --json contract", async () => {
    const { id } = one<{ id: number }>(
      "SELECT id FROM reports WHERE locator LIKE '%seed-wuhai-edu-2022.txt'",
    );
    const store = openStore(fx.db, { readonly: true });
    const expected = toContractJson(store.getReport(id)!.report);
    store.close();
    const got = await json<Record<string, unknown>>(`/api/reports/${id}`);
    expect(got).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(got.contract_version).toBe(1);
  });

  it("/api/reports/:id/cells pages through all cells", async () => {
    const { id } = one<{ id: number }>("SELECT id FROM reports WHERE locator LIKE '%hzq2024.pdf'");
    const n = one<{ n: number }>("SELECT count(*) AS n FROM cells WHERE report_id = ?", id).n;
    const first = await json<Page<{ path: string; loc: { page?: number; bbox?: number[] } | null }>>(
      `/api/reports/${id}/cells?per_page=200`,
    );
    expect(first.total).toBe(n);
    const second = await json<Page<{ path: string }>>(`/api/reports/${id}/cells?per_page=200&page=2`);
    expect(first.items.length + second.items.length).toBe(n);
    expect(first.items.some((c) => c.loc?.page !== undefined && c.loc.bbox?.length === 4)).toBe(true);
  });

  it("/api/findings filters and paginates", async () => {
    const total = one<{ n: number }>(
      `SELECT count(*) AS n FROM findings f JOIN reports r ON r.id = f.report_id
       WHERE r.is_current = 1 AND f.rule LIKE 'T3.%'`,
    ).n;
    expect(total).toBeGreaterThan(0);
    const r = await json<Page<{ rule: string; origin: string; report_id: number }>>(
      "/api/findings?rule=T3&per_page=200",
    );
    expect(r.total).toBe(total);
    expect(r.items.every((f) => f.rule.startsWith("T3."))).toBe(true);
    const ex = await json<Page<{ origin: string }>>("/api/findings?origin=extraction&per_page=200");
    expect(ex.items.every((f) => f.origin === "extraction")).toBe(true);
  });

  it("/api/audit has the aggregates and the cross-year rules", async () => {
    const a = await json<{
      reports: number;
      by_rule: { rule: string; origin: string }[];
      requests_per_year: { year: number; requests: number }[];
      outcomes: { key: string; n: number }[];
      cross_year: { status: string; total: number; by_rule: Record<string, number> };
    }>("/api/audit");
    expect(a.reports).toBeGreaterThan(5);
    expect(a.by_rule.some((r) => r.rule === "T3.R1" && r.origin === "source")).toBe(true);
    const requests2021 = one<{ n: number }>(
      `SELECT sum(c.value) AS n FROM cells c JOIN reports r ON r.id = c.report_id
       WHERE r.is_current = 1 AND r.year = 2021 AND c.path = 't3.new_requests.total'`,
    ).n;
    expect(a.requests_per_year.find((r) => r.year === 2021)?.requests).toBe(requests2021);
    expect(a.outcomes.map((o) => o.key)).toEqual([
      "granted",
      "partially_granted",
      "denied",
      "unable",
      "not_processed",
      "other",
    ]);
    expect(a.cross_year.status).toBe("ready");
    expect(a.cross_year.total).toBe(Object.values(a.cross_year.by_rule).reduce((s, n) => s + n, 0));
  });

  it("responses carry Server-Timing", async () => {
    const res = await fx.get("/api/reports");
    expect(res.headers.get("server-timing")).toMatch(/^app;dur=\d+(\.\d+)?$/);
  });
});

describe("pages", () => {
  it("/reports paginates and filters", async () => {
    const $ = await page("/reports?per_page=3");
    expect($("table.list tbody tr")).toHaveLength(3);
    expect($('a[rel="next"]').attr("href")).toBe("/reports?per_page=3&page=2");
    const $2 = await page("/reports?per_page=3&page=2");
    expect($2('a[rel="prev"]').length).toBe(1);
    const f = await page("/reports?organ=平潭&year=2021");
    expect(f("table.list tbody tr")).toHaveLength(1);
    expect(f("p.note").text()).toContain("地区");
  });

  it("the report page lays table 3 out like the template (v2021 and v2019)", async () => {
    const v21 = one<{ id: number }>(
      "SELECT id FROM reports WHERE locator LIKE '%seed-wuhai-edu-2022.txt'",
    ).id;
    const $ = await page(`/reports/${v21}`);
    expect($("table.t3 thead th.note").attr("colspan")).toBe("3");
    expect($("table.t3 thead th.note").attr("rowspan")).toBe("3");
    expect($("table.t3 th.group.vertical").attr("rowspan")).toBe("22");
    expect($("table.t3 tbody tr")).toHaveLength(25);
    expect($("table.t4 thead tr").first().find("th").eq(1).attr("colspan")).toBe("10");
    expect($("table.t2 tr.caption")).toHaveLength(4);
    const cell = $('td[id="cell-t2.normative_documents.issued"]');
    expect(cell.text()).toBe("11");
    expect(cell.attr("title")).toContain("原文：11");
    expect(cell.attr("title")).toContain("来源：印刷数字");

    const v19 = one<{ id: number }>("SELECT id FROM reports WHERE locator LIKE '%pingtan-2020.txt'").id;
    const $19 = await page(`/reports/${v19}`);
    expect($19("table.t3 th.group.vertical").attr("rowspan")).toBe("20");
    expect($19("table.t3 tbody tr")).toHaveLength(23);
    expect($19("table.t2 tr.caption")).toHaveLength(5);
  });

  it("collapsed （六） is one row; PDF cells show page and bbox", async () => {
    const id = one<{ id: number }>("SELECT id FROM reports WHERE locator LIKE '%hzq2024.pdf'").id;
    const $ = await page(`/reports/${id}`);
    expect($('td[id^="cell-t3.other.subtotal."]')).toHaveLength(7);
    expect($('td[id^="cell-t3.other.no_correction."]')).toHaveLength(0);
    expect($('td[id="cell-t3.new_requests.total"]').attr("title")).toMatch(/第 \d+ 页，bbox \[/);
  });

  it("cells named by a finding are flagged and linked to the finding with its arithmetic", async () => {
    const f = one<{ id: number; report_id: number; path: string; expected: number; actual: number }>(
      "SELECT id, report_id, path, expected, actual FROM findings WHERE rule = 'T3.R1' LIMIT 1",
    );
    const $ = await page(`/reports/${f.report_id}`);
    const cell = $(`td[id="cell-${f.path}"]`);
    expect(cell.hasClass("flag-error")).toBe(true);
    expect(cell.find(`a.fref[href="#f-${f.id}"]`).length).toBe(1);
    const item = $(`li[id="f-${f.id}"]`);
    expect(item.find("b").first().text()).toBe("T3.R1");
    expect(item.find("dl.arith").text()).toContain(String(f.expected));
    expect(item.find("dl.arith").text()).toContain(String(f.actual));
    expect(item.find(`a[href="#cell-${f.path}"]`).length).toBe(1);
  });

  it("the report page shows narrative and provenance", async () => {
    const id = one<{ id: number }>("SELECT id FROM reports WHERE locator LIKE '%pingtan-2022.txt'").id;
    const sha = one<{ sha256: string }>("SELECT sha256 FROM reports WHERE id = ?", id).sha256;
    const $ = await page(`/reports/${id}`);
    expect($("#s-s1_overview").text()).toContain("总体情况");
    const prov = $(".provenance").text();
    expect(prov).toContain(sha);
    expect(prov).toContain("nianbao");
    expect($('a[href$="/original"]').length).toBeGreaterThan(0);
    expect($(".neighbours a").length).toBeGreaterThanOrEqual(3); // 2021, 2023 and the cross-year link
  });

  it("the audit dashboard separates source from extraction, has charts and drill-down links", async () => {
    const $ = await page("/audit");
    expect($("canvas[data-chart]")).toHaveLength(3);
    const spec = JSON.parse($("canvas[data-chart]").first().attr("data-chart") ?? "{}") as { type: string };
    expect(spec.type).toBe("bar");
    expect($("h2").text()).toContain("来源（文件自身勾稽不符）");
    expect($("h2").text()).toContain("提取（识别不确定）");
    expect($('a[href^="/audit/findings?"]').length).toBeGreaterThan(0);
    expect($('a[href^="/export/cells.csv"]').length).toBe(1);
    expect($("h2").text()).toContain("跨年度检查");
    const $f = await page("/audit/findings?rule=T3.R1");
    expect($f('a[href^="/reports/"]').length).toBeGreaterThan(0);
    const $x = await page("/audit/cross-year?organ=平潭");
    expect($x("h1").text()).toBe("跨年度检查");
  });

  it("chart.js and the stylesheet are served locally", async () => {
    const js = await fx.get("/assets/chart.umd.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect((await js.text()).length).toBeGreaterThan(100_000);
    expect((await fx.get("/assets/style.css")).headers.get("content-type")).toMatch(/^text\/css/);
  });
});

describe("exports", () => {
  it("/export/<kind>.<format> answers an attachment for the current filter", async () => {
    const csv = await fx.get("/export/cells.csv?year=2022");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.csv"$/);
    const xlsx = await fx.get("/export/findings.xlsx");
    expect(xlsx.status).toBe(200);
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect(String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0)).toBe("PK");
    const jsonl = await (await fx.get("/export/reports.jsonl?organ=平潭")).text();
    expect(jsonl.trim().split("\n")).toHaveLength(5);
  });

  it("the report list links the exports with its filter", async () => {
    const $ = await page("/reports?year=2022");
    expect($('a[href="/export/findings.xlsx?year=2022"]').length).toBe(1);
  });
});
