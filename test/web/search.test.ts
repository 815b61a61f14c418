/** Search through the web: counts agree with a plain LIKE over the sections, pages cover all hits. */
import Database from "better-sqlite3";
import * as cheerio from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** Sections of current reports where every term occurs in the heading or the text. */
function likeCount(terms: string[], year?: number): number {
  const where = terms.map(() => "(s.heading LIKE '%' || ? || '%' OR s.text LIKE '%' || ? || '%')");
  return (
    db
      .prepare<(string | number | null)[], number>(
        `SELECT count(*) FROM sections s JOIN reports r ON r.id = s.report_id
         WHERE r.is_current = 1 AND ${where.join(" AND ")} AND (? IS NULL OR r.year = ?)`,
      )
      .pluck()
      .get(...terms.flatMap((t) => [t, t]), year ?? null, year ?? null) ?? 0
  );
}

interface SearchPage {
  items: { report_id: number; section_id: number; snippet: string; year: number | null }[];
  page: number;
  per_page: number;
  total: number;
}

async function api(q: string, extra = ""): Promise<SearchPage> {
  const res = await fx.get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status).toBe(200);
  return (await res.json()) as SearchPage;
}

describe("search", () => {
  for (const q of ["复议", "诉讼", "行政复议", "复议 诉讼", "公开 结转", "依申请公开"]) {
    it(`“${q}”: total equals a LIKE count over sections`, async () => {
      const terms = q.split(" ");
      const expected = likeCount(terms);
      expect(expected).toBeGreaterThan(0);
      expect((await api(q)).total).toBe(expected);
    });
  }

  it("FTS syntax in the query is searched literally", async () => {
    for (const q of ['"', "*", "NEAR(复议 诉讼)", "复议 OR 诉讼", "^复议", '复议"', "a'b", "-复议"]) {
      const r = await api(q);
      expect(r.total, q).toBe(likeCount(q.split(" ")));
    }
    for (const q of ["%", "_"])
      expect((await fx.get(`/api/search?q=${encodeURIComponent(q)}`)).status).toBe(200);
  });

  it("two terms are ANDed: fewer hits than either alone", async () => {
    const both = (await api("复议 结转")).total;
    expect(both).toBeLessThanOrEqual((await api("复议")).total);
    expect(both).toBeLessThanOrEqual((await api("结转")).total);
    expect(both).toBe(likeCount(["复议", "结转"]));
  });

  it("filters by year", async () => {
    const r = await api("复议", "&year=2022");
    expect(r.total).toBe(likeCount(["复议"], 2022));
    expect(r.items.every((h) => h.year === 2022)).toBe(true);
  });

  it("pages cover every hit exactly once", async () => {
    const total = (await api("复议")).total;
    const seen = new Set<number>();
    for (let page = 1; page <= Math.ceil(total / 7); page++) {
      const r = await api("复议", `&per_page=7&page=${page}`);
      expect(r.page).toBe(page);
      expect(r.per_page).toBe(7);
      for (const h of r.items) seen.add(h.section_id);
    }
    expect(seen.size).toBe(total);
    expect((await api("复议", `&per_page=7&page=${Math.ceil(total / 7) + 1}`)).items).toEqual([]);
  });

  it("snippets mark the terms", async () => {
    const r = await api("复议 诉讼");
    for (const h of r.items) expect(h.snippet).toMatch(/【[^】]*(复议|诉讼)[^】]*】/);
  });

  it("the page shows the count, highlights and a shareable, paginated URL", async () => {
    const total = (await api("复议")).total;
    const res = await fx.get(`/search?q=${encodeURIComponent("复议")}&per_page=5`);
    const $ = cheerio.load(await res.text());
    expect($("p.count").text()).toContain(`共 ${total} 个章节命中`);
    expect($("ol.hits > li")).toHaveLength(5);
    expect($("ol.hits mark").first().text()).toBe("复议");
    const next = $('a[rel="next"]').attr("href") ?? "";
    expect(next).toMatch(/^\/search\?/);
    const sp = new URLSearchParams(next.split("?")[1]);
    expect(sp.get("q")).toBe("复议");
    expect(sp.get("page")).toBe("2");
    expect(sp.get("per_page")).toBe("5");
    const second = cheerio.load(await (await fx.get(next)).text());
    expect(second("ol.hits").attr("start")).toBe("6");
  });

  it("text that happens to contain 【】 is not highlighted unless it holds a term", async () => {
    const { highlight } = await import("../../src/web/pages/search.js");
    const out = String(await highlight("见【政策解读】栏目，行政【复议】<b>", ["复议"]));
    expect(out).toBe("见【政策解读】栏目，行政<mark>复议</mark>&lt;b&gt;");
  });
});
