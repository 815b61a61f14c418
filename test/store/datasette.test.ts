/**
 * datasette.yaml against a real store: every canned query runs (as Datasette would, read-only,
 * parameters as strings) on a database built by ingesting samples, and its answer is checked
 * against the store's own API. Also the schema facts the file relies on: the views of
 * migration 3, the FTS tables' content options and the declared foreign keys.
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { T3_ALL_ROWS, T3_COLUMN_KEYS } from "../../src/model/template.js";
import { buildFixture, type Fixture, removeFixture } from "../export/fixture.js";

type Row = Record<string, unknown>;

interface CannedQuery {
  sql: string;
  title: string;
  description: string;
  params?: string[];
}

interface DatasetteConfig {
  title: string;
  description: string;
  databases: {
    nianbao: {
      tables: Record<string, { description?: string; fts_table?: string; fts_pk?: string; hidden?: boolean }>;
      queries: Record<string, CannedQuery>;
    };
  };
}

const config = parse(fs.readFileSync("datasette.yaml", "utf8")) as DatasetteConfig;
const queries = config.databases.nianbao.queries;

let fx: Fixture;
let db: Database.Database;

beforeAll(async () => {
  fx = await buildFixture();
  // Datasette opens the file read-only (immutable or not); so does this test.
  db = new Database(fx.db, { readonly: true, fileMustExist: true });
});
afterAll(() => {
  db?.close();
  removeFixture(fx);
});

function run(name: string, params: Record<string, string> = {}): Row[] {
  const q = queries[name];
  if (!q) throw new Error(`no canned query ${name}`);
  return db.prepare<Record<string, string>, Row>(q.sql).all(params);
}

/** Sections of current reports containing the term as a substring: what every search must equal. */
function substringCount(term: string): number {
  return db
    .prepare<[string, string], number>(
      `SELECT count(*) FROM sections s JOIN reports r ON r.id = s.report_id
       WHERE r.is_current = 1 AND (instr(s.text, ?) > 0 OR instr(s.heading, ?) > 0)`,
    )
    .pluck()
    .get(term, term) as number;
}

/** Per canned query: example parameters and what the answer must be. */
const CHECKS: Record<string, () => void> = {
  search_text: () => {
    for (const term of ["政务公开", "依申请公开", "行政复议"]) {
      const rows = run("search_text", { term });
      expect(rows.length, term).toBeGreaterThan(0);
      expect(rows.length, term).toBe(substringCount(term));
      expect(rows[0]).toMatchObject({ report_id: expect.any(Number), section: expect.any(String) });
    }
    // Documented: the trigram index cannot answer terms shorter than 3 characters.
    expect(run("search_text", { term: "复议" })).toEqual([]);
    // A quote in the term is escaped, not an FTS syntax error.
    expect(run("search_text", { term: '政务"公开' })).toEqual([]);
  },
  search_two_chars: () => {
    for (const term of ["复议", "诉讼", "公开", "行政诉讼"]) {
      const rows = run("search_two_chars", { term });
      expect(rows.length, term).toBeGreaterThan(0);
      expect(rows.length, term).toBe(substringCount(term));
    }
    expect(run("search_two_chars", { term: "复议" })[0]?.excerpt).toEqual(expect.stringContaining("复议"));
    // Han characters only, two or more: anything else finds nothing rather than something wrong.
    expect(run("search_two_chars", { term: "复" })).toEqual([]);
    expect(run("search_two_chars", { term: "ab" })).toEqual([]);
  },
  findings_by_rule: () => {
    for (const rule of ["T3", "T3.R1", "X", "D.R3"]) {
      const rows = run("findings_by_rule", { rule });
      expect(rows.length, rule).toBe(fx.store.findings({ rule }).length);
    }
    expect(run("findings_by_rule", { rule: "T3" }).length).toBeGreaterThan(0);
    // A prefix stops at a dot boundary: T3.R matches nothing.
    expect(run("findings_by_rule", { rule: "T3.R" })).toEqual([]);
  },
  t3_r1_failures: () => {
    const rows = run("t3_r1_failures");
    const stored = fx.store.findings({ rule: "T3.R1" });
    expect(rows.length).toBeGreaterThan(0);
    const key = (id: unknown, col: unknown) => `${String(id)}:${String(col)}`;
    expect(rows.map((r) => key(r.report_id, r.column_key)).sort()).toEqual(
      stored.map((f) => key(f.reportId, f.path?.split(".").pop())).sort(),
    );
    for (const r of rows) {
      expect(r.stored_finding).toBe(1);
      expect(r.residual).toBe(
        (r.new_requests as number) +
          (r.carried_over as number) -
          (r.results_total as number) -
          (r.carried_forward as number),
      );
    }
  },
  carry_over_mismatches: () => {
    const rows = run("carry_over_mismatches");
    const x1 = fx.store.crossYearFindings({ rule: "T3.X1" });
    expect(rows.length).toBeGreaterThan(0);
    expect(
      rows.map((r) => ({
        reportId: r.report_id,
        previousReportId: r.previous_report_id,
        path: `t3.carried_over.${String(r.column_key)}`,
        residual: r.residual,
      })),
    ).toEqual(
      x1.map((f) => ({
        reportId: f.reportId,
        previousReportId: f.previousReportId,
        path: f.path,
        residual: f.residual,
      })),
    );
  },
  reports_per_year: () => {
    const rows = run("reports_per_year");
    const reports = fx.store.listReports();
    expect(rows.reduce((n, r) => n + (r.reports as number), 0)).toBe(reports.length);
    for (const r of rows) {
      const ofYear = reports.filter((x) => x.year === r.year);
      expect(r.reports).toBe(ofYear.length);
      expect(r.ok).toBe(ofYear.filter((x) => x.status === "ok").length);
      expect(r.v2019).toBe(ofYear.filter((x) => x.template === "v2019").length);
      expect(r.with_source_errors).toBe(
        ofYear.filter((x) =>
          fx.store.findings({ severity: "error" }).some((f) => f.reportId === x.id && f.origin === "source"),
        ).length,
      );
    }
    expect(rows.find((r) => r.year === 2022)?.reports).toBeGreaterThan(1);
  },
  unreadable_documents: () => {
    const rows = run("unreadable_documents");
    const failed = rows.filter((r) => r.status === "failed");
    expect(failed).toHaveLength(fx.store.listRuns({ status: "failed" }).length);
    expect(failed[0]?.locator).toMatch(/empty\.txt$/);
    expect(failed[0]?.problem).toEqual(expect.any(String));
    expect(rows.filter((r) => r.status === "partial")).toHaveLength(
      fx.store.listReports().filter((r) => r.status === "partial").length,
    );
  },
};

describe("datasette.yaml", () => {
  it("has a bilingual title and description and describes its tables", () => {
    expect(config.title).toMatch(/[\u4e00-\u9fff]/);
    expect(config.title).toMatch(/[A-Za-z]{4}/);
    expect(config.description).toMatch(/统计表/);
    expect(config.description).toMatch(/statistical tables/);
    const names = new Set(
      db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").pluck().all(),
    );
    for (const [table, t] of Object.entries(config.databases.nianbao.tables)) {
      expect(names.has(table), table).toBe(true);
      if (!t.hidden) expect(t.description, table).toMatch(/[\u4e00-\u9fff].*[A-Za-z]/s);
      if (t.fts_table) expect(names.has(t.fts_table)).toBe(true);
    }
  });

  it("has a check here for every canned query, and declares the parameters its SQL uses", () => {
    expect(Object.keys(queries).sort()).toEqual(Object.keys(CHECKS).sort());
    for (const [name, q] of Object.entries(queries)) {
      expect(q.title, name).toMatch(/[\u4e00-\u9fff].*\/.*[A-Za-z]/s);
      expect(q.description, name).toBeTruthy();
      // Datasette builds a form field per named parameter; the declared list must match the SQL.
      const used = [...new Set([...q.sql.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]))].sort();
      expect(used, name).toEqual([...(q.params ?? [])].sort());
      const stmt = db.prepare(q.sql);
      expect(stmt.reader && stmt.readonly, name).toBe(true);
    }
  });

  for (const name of Object.keys(CHECKS)) {
    it(`canned query ${name} answers what the store says`, () => {
      CHECKS[name]?.();
    });
  }
});

describe("schema for Datasette", () => {
  it("t3_wide has a column per table-3 cell, named row__column, equal to the stored cells", () => {
    const stmt = db.prepare<[], Row>("SELECT * FROM t3_wide ORDER BY report_id");
    const expected = T3_ALL_ROWS.flatMap((r) =>
      T3_COLUMN_KEYS.map((c) => [`${r.key.replaceAll(".", "_")}__${c}`, `t3.${r.key}.${c}`]),
    );
    // Also guards migration 3's frozen key list against later changes of template.ts.
    expect(stmt.columns().map((c) => c.name)).toEqual([
      "report_id",
      "organ",
      "year",
      "template",
      ...expected.map((e) => e[0]),
    ]);
    expect(expected.map((e) => e[0])).toContain("denied_state_secret__total");
    const rows = stmt.all();
    expect(rows).toHaveLength(fx.store.listReports().length);
    for (const row of rows) {
      const cells = fx.store.getReport(row.report_id as number)?.report.cells ?? {};
      for (const [column, path] of expected) {
        expect(row[column as string], `${String(row.report_id)} ${path}`).toBe(
          cells[path as string]?.value ?? null,
        );
      }
    }
  });

  it("findings_view and reports_view cover the current reports", () => {
    expect(db.prepare("SELECT count(*) FROM findings_view").pluck().get()).toBe(fx.store.findings().length);
    const reports = db.prepare<[], Row>("SELECT * FROM reports_view").all();
    expect(reports).toHaveLength(fx.store.listReports().length);
    for (const s of fx.store.listReports()) {
      expect(reports.find((r) => r.report_id === s.id)).toMatchObject({
        organ: s.organ,
        year: s.year,
        errors: s.errors,
        warnings: s.warnings,
        sha256: s.sha256,
      });
    }
  });

  it("the trigram index is external-content over sections; the bigram index is contentless", () => {
    const sql = (name: string) =>
      db.prepare<[string], string>("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(name) ?? "";
    expect(sql("sections_fts")).toMatch(/content\s*=\s*'sections'/);
    expect(sql("sections_fts")).toMatch(/content_rowid\s*=\s*'id'/);
    expect(sql("sections_fts")).toMatch(/tokenize\s*=\s*'trigram'/);
    // Contentless: it indexes a rendering that is not the stored text, so only rowid can be read
    // back (hence the canned query joins sections by id, and the table is hidden in Datasette).
    expect(sql("sections_bigram")).toMatch(/content\s*=\s*''/);
    expect(db.prepare("SELECT count(*) FROM sections_fts").pluck().get()).toBe(
      db.prepare("SELECT count(*) FROM sections").pluck().get(),
    );
  });

  it("declares the foreign keys Datasette turns into links", () => {
    const fks = (table: string) =>
      db
        .prepare<[string], { table: string; from: string; to: string }>(
          'SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)',
        )
        .all(table)
        .map((f) => `${f.from}->${f.table}.${f.to}`)
        .sort();
    for (const t of ["cells", "findings", "sections", "extra_rows"])
      expect(fks(t)).toEqual(["report_id->reports.id"]);
    expect(fks("reports")).toEqual(["run_id->extraction_runs.id", "sha256->blobs.sha256"]);
    expect(fks("extraction_runs")).toEqual(["sha256->blobs.sha256"]);
    expect(fks("blob_sources")).toEqual(["sha256->blobs.sha256"]);
  });
});
