import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Cell, type Report, ReportSchema } from "../../src/model/report.js";
import { SECTIONS, T3_COLUMN_KEYS, T3_ROWS_V2021, T4_PATHS, t2Paths } from "../../src/model/template.js";
import { MIGRATIONS, migrate } from "../../src/store/migrations.js";
import { openStore, type SaveInput, type Store, StoreError } from "../../src/store/store.js";

// ------------------------------------------------------------------ factory

interface ReportSpec {
  organ?: string;
  year?: number;
  /** Printed values by path; every other template cell is blank (0). */
  values?: Record<string, number>;
  /** Section texts by key (headings from the template). */
  sections?: Record<string, string>;
  extractorVersion?: string;
  /** Distinguishes the bytes of otherwise identical documents. */
  seed?: string;
  /** Extra synthetic cells, to reach a given document size. */
  extraCells?: number;
}

const EXTRACTOR = "nianbao-html";

function blank(): Cell {
  return { value: 0, raw: "", source: "blank", loc: null };
}

/** A valid v2021 report (checked with ReportSchema.parse) plus the bytes it claims to come from. */
function makeDoc(spec: ReportSpec = {}): { report: Report; input: SaveInput } {
  const organ = spec.organ ?? "某市人民政府办公室";
  const year = spec.year ?? 2023;
  const version = spec.extractorVersion ?? "1.0.0";
  const bytes = new TextEncoder().encode(
    `<html>${organ}${year}年政府信息公开工作年度报告 ${spec.seed ?? ""}</html>`,
  );
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const locator = `https://example.gov.cn/${encodeURIComponent(organ)}/${year}-${spec.seed ?? "x"}.html`;

  const cells: Record<string, Cell> = {};
  for (const r of T3_ROWS_V2021) for (const c of T3_COLUMN_KEYS) cells[`t3.${r.key}.${c}`] = blank();
  for (const p of T4_PATHS) cells[p] = blank();
  for (const { path: p } of t2Paths("v2021")) cells[p] = blank();
  cells["t2.admin_fees.amount_wan_yuan"] = {
    value: 7730.28,
    decimal: "7730.28",
    unit: "万元",
    raw: "7730.28万元",
    source: "printed",
    loc: { grid: "g1", row: 9, col: 1, page: 3, bbox: [10, 20, 30.5, 40], line: 88 },
  };
  cells["t3.denied.state_secret.natural_person"] = {
    value: null,
    raw: "12",
    source: "ambiguous",
    candidates: [1, 2, 12],
    confidence: 0.4,
    note: "（其中修订16件）",
    loc: { grid: "g2", row: 5, col: 1 },
  };
  for (let i = 0; i < (spec.extraCells ?? 0); i++) cells[`t2.synthetic_${i}.value`] = blank();
  for (const [p, v] of Object.entries(spec.values ?? {})) {
    cells[p] = { value: v, raw: String(v), source: "printed", loc: { grid: "g2", row: 1, col: 1 } };
  }

  const sections: Record<string, { heading: string; text: string }> = {};
  for (const s of SECTIONS) {
    sections[s.key] = {
      heading: s.heading,
      text: spec.sections?.[s.key] ?? `${organ}${year}年${s.heading}。`,
    };
  }

  const report = ReportSchema.parse({
    source: {
      locator,
      sha256,
      size: bytes.byteLength,
      format: "html",
      media_type: "text/html",
      charset: "utf-8",
    },
    extractor: { name: EXTRACTOR, version },
    status: "ok",
    problems: [],
    meta: {
      title: `${organ}${year}年政府信息公开工作年度报告`,
      organ,
      year,
      published_at: `${year + 1}-01-20`,
      period: `${year}-01-01/${year}-12-31`,
      template: "v2021",
      templates: { t2: "v2021", t3: "v2021", t4: "v2021" },
    },
    cells,
    extra_rows: [
      { table: "t3", label: "（八）其他", values: ["1", "", "2"], loc: { grid: "g2", row: 30, col: 0 } },
    ],
    sections,
    preamble: "根据《中华人民共和国政府信息公开条例》……",
    findings: [
      {
        rule: "T3.R1",
        severity: "error",
        origin: "source",
        path: "t3.results_total.total",
        paths: ["t3.new_requests.total", "t3.carried_over.total"],
        expected: 10,
        actual: 9,
        residual: -1,
        message: "本年新收与上年结转之和不等于办理结果总计与结转下年度之和",
      },
      {
        rule: "X.money",
        severity: "info",
        origin: "extraction",
        path: "t2.admin_fees.amount_wan_yuan",
        paths: ["t2.admin_fees.amount_wan_yuan"],
        expected: "7730.28",
        actual: "7730.280",
        residual: null,
        message: "金额按万元读取",
      },
    ],
  });
  const input: SaveInput = {
    bytes,
    locator,
    mediaType: "text/html",
    report,
    status: "ok",
    extractorName: EXTRACTOR,
    extractorVersion: version,
    format: "html",
    charset: "utf-8",
  };
  return { report, input };
}

/** The same document as extracted by another extractor version (same bytes, new report). */
function reextract(
  doc: { report: Report; input: SaveInput },
  version: string,
  values: Record<string, number> = {},
) {
  const report: Report = {
    ...doc.report,
    extractor: { name: EXTRACTOR, version },
    cells: { ...doc.report.cells },
  };
  for (const [p, v] of Object.entries(values))
    report.cells[p] = { value: v, raw: String(v), source: "printed", loc: null };
  return { report, input: { ...doc.input, report, extractorVersion: version } };
}

// ------------------------------------------------------------------ fixtures

let dir: string;
let file: string;
let store: Store;
let tick: number;
const clock = () => new Date(Date.UTC(2025, 0, 1) + tick++ * 1000);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "nianbao-store-"));
  file = path.join(dir, "nianbao.db");
  tick = 0;
  store = openStore(file, { clock });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function count(table: string): number {
  const row = store.query(`SELECT count(*) AS n FROM ${table}`).rows[0];
  return Number(row?.n);
}
const TABLES = [
  "blobs",
  "blob_sources",
  "extraction_runs",
  "reports",
  "cells",
  "findings",
  "extra_rows",
  "sections",
  "sections_fts",
  "sections_bigram",
];
function counts(): Record<string, number> {
  return Object.fromEntries(TABLES.map((t) => [t, count(t)]));
}

// ------------------------------------------------------------------ migrations

describe("migrations", () => {
  it("records every migration once and applies nothing to an up-to-date database", () => {
    const first = store.query("SELECT version, name, applied_at FROM schema_migrations").rows;
    expect(first).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: expect.any(String) })),
    );
    store.close();
    store = openStore(file, { clock });
    expect(store.query("SELECT version, name, applied_at FROM schema_migrations").rows).toEqual(first);

    const db = new Database(file);
    try {
      expect(migrate(db, () => "now")).toEqual([]);
      // A later migration is applied alone, inside its transaction with its record.
      const next = [...MIGRATIONS, { version: 99, name: "add x", sql: "CREATE TABLE x(a)" }];
      expect(migrate(db, () => "later", next)).toEqual([99]);
      expect(db.prepare("SELECT name, applied_at FROM schema_migrations WHERE version = 99").get()).toEqual({
        name: "add x",
        applied_at: "later",
      });
      // A failing migration leaves neither its changes nor its record behind.
      const bad = [
        ...next,
        { version: 100, name: "bad", sql: "CREATE TABLE y(a); INSERT INTO nope VALUES (1)" },
      ];
      expect(() => migrate(db, () => "t", bad)).toThrow();
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'y'").get()).toEqual({ n: 0 });
      expect(db.prepare("SELECT max(version) AS v FROM schema_migrations").get()).toEqual({ v: 99 });
      expect(() => migrate(db, () => "t", [MIGRATIONS[0]!, MIGRATIONS[0]!])).toThrow(/strictly increasing/);
    } finally {
      db.close();
    }
  });

  it("refuses a database newer than the code, read-write and read-only", () => {
    store.close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x')").run();
    db.close();
    expect(() => openStore(file)).toThrow(StoreError);
    expect(() => openStore(file)).toThrow(/newer than this nianbao/);
    expect(() => openStore(file, { readonly: true })).toThrow(/newer than this nianbao/);
    store = openStore(path.join(dir, "other.db"));
  });

  it("sets WAL, declares foreign keys, and a read-only open never creates or migrates", () => {
    expect(store.query("SELECT journal_mode FROM pragma_journal_mode()").rows).toEqual([
      { journal_mode: "wal" },
    ]);
    const fks = store.query("SELECT * FROM pragma_foreign_key_list('cells')").rows;
    expect(fks.map((r) => r.table)).toEqual(["reports"]);
    expect(() => openStore(path.join(dir, "missing.db"), { readonly: true })).toThrow();
    expect(fs.existsSync(path.join(dir, "missing.db"))).toBe(false);

    const empty = path.join(dir, "empty.db");
    new Database(empty).close();
    expect(() => openStore(empty, { readonly: true })).toThrow(/not a nianbao store/);
  });
});

// ------------------------------------------------------------------ saving

describe("saveExtraction", () => {
  it("round-trips the canonical report", () => {
    const doc = makeDoc();
    const res = store.saveExtraction(doc.input);
    expect(res.skipped).toBe(false);
    const got = store.getReport(res.reportId!);
    expect(got?.report).toEqual(doc.report);
    expect(ReportSchema.parse(got?.report)).toEqual(doc.report);
    expect(store.getReport(doc.report.source.sha256)?.summary.id).toBe(res.reportId);
    expect(store.getReport(doc.report.source.sha256.slice(0, 10))?.summary.id).toBe(res.reportId);
    expect(store.getReport(12345)).toBeNull();

    // Split paths, exact decimal text, and untyped expected/actual keep their types.
    const cell = store.query(
      "SELECT tbl, row_key, col_key, value, value_text FROM cells WHERE path = 't3.denied.state_secret.total'",
    ).rows;
    expect(cell).toEqual([
      { tbl: "t3", row_key: "denied.state_secret", col_key: "total", value: 0, value_text: "0" },
    ]);
    expect(
      store.query("SELECT value_text FROM cells WHERE path = 't2.admin_fees.amount_wan_yuan'").rows[0]
        ?.value_text,
    ).toBe("7730.28");
    expect(store.query("SELECT typeof(expected) AS t FROM findings ORDER BY id").rows).toEqual([
      { t: "real" },
      { t: "text" },
    ]);
  });

  it("is idempotent: same bytes and extractor version store nothing new", () => {
    const doc = makeDoc();
    const a = store.saveExtraction(doc.input);
    const before = counts();
    const b = store.saveExtraction(doc.input);
    expect(b).toEqual({ ...a, skipped: true });
    expect(counts()).toEqual(before);
    expect(store.hasRun(a.sha256, EXTRACTOR, "1.0.0")).toBe(true);
    expect(store.hasRun(a.sha256, EXTRACTOR, "2.0.0")).toBe(false);

    // Only provenance moves: last_seen, and a new row for a new locator.
    const src = store.query("SELECT first_seen, last_seen FROM blob_sources").rows[0];
    expect(src?.last_seen).not.toBe(src?.first_seen);
    store.saveExtraction({ ...doc.input, locator: "/mirror/copy.html" });
    expect(count("blob_sources")).toBe(2);
    expect(count("reports")).toBe(1);
  });

  it("keeps history for a newer extractor version and makes the new report current", () => {
    const v1 = makeDoc({ values: { "t3.new_requests.total": 3 } });
    const r1 = store.saveExtraction(v1.input);
    const v2 = reextract(v1, "2.0.0", { "t3.new_requests.total": 4 });
    const r2 = store.saveExtraction(v2.input);
    expect(r2.skipped).toBe(false);
    expect(r2.runId).not.toBe(r1.runId);

    const rows = store.query("SELECT id, is_current FROM reports ORDER BY id").rows;
    expect(rows).toEqual([
      { id: r1.reportId, is_current: 0 },
      { id: r2.reportId, is_current: 1 },
    ]);
    expect(store.listReports().map((r) => r.id)).toEqual([r2.reportId]);
    expect(store.listReports({ includeHistory: true })).toHaveLength(2);
    const got = store.getReport(r1.sha256);
    expect(got?.summary.extractorVersion).toBe("2.0.0");
    expect(got?.report.cells["t3.new_requests.total"]?.value).toBe(4);
    expect(got?.history.map((h) => h.id)).toEqual([r1.reportId]);
    // Old report is still readable by id.
    expect(store.getReport(r1.reportId!)?.report.cells["t3.new_requests.total"]?.value).toBe(3);
    // Search and findings see only the current report.
    expect(store.search(["总体情况"])).toHaveLength(1);
    expect(store.findings({ rule: "T3" })).toHaveLength(1);
    // Saving v1 again is still a no-op.
    expect(store.saveExtraction(v1.input).skipped).toBe(true);
    expect(store.getReport(r1.sha256)?.summary.id).toBe(r2.reportId);
  });

  it("records a failed extraction with its blob, and a failure never demotes a good report", () => {
    const bytes = new TextEncoder().encode("%PDF-1.4 scanned image only");
    const res = store.saveExtraction({
      bytes,
      locator: "/tmp/scan.pdf",
      mediaType: "application/pdf",
      report: null,
      status: "failed",
      error: "no-tables: 未找到统计表格",
      extractorName: EXTRACTOR,
      extractorVersion: "1.0.0",
      format: "pdf",
      charset: null,
    });
    expect(res.reportId).toBeNull();
    const blob = store.query("SELECT size, media_type, bytes FROM blobs WHERE sha256 = ?", [res.sha256])
      .rows[0];
    expect(Buffer.from(blob?.bytes as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
    const failed = store.listRuns({ status: "failed" });
    expect(failed).toEqual([
      expect.objectContaining({
        id: res.runId,
        error: "no-tables: 未找到统计表格",
        locator: "/tmp/scan.pdf",
      }),
    ]);
    expect(store.hasRun(res.sha256, EXTRACTOR, "1.0.0")).toBe(true);

    const good = makeDoc();
    const ok = store.saveExtraction(good.input);
    store.saveExtraction({
      ...good.input,
      report: null,
      status: "failed",
      error: "boom",
      extractorVersion: "3.0.0",
    });
    expect(store.getReport(ok.sha256)?.summary.id).toBe(ok.reportId);

    expect(() => store.saveExtraction({ ...good.input, report: null, status: "ok" })).toThrow(StoreError);
    expect(() => store.saveExtraction({ ...good.input, extractorVersion: "9" })).toThrow(/differs/);
  });

  it("saves a ~250-cell document in well under 5 ms", () => {
    const docs = Array.from({ length: 200 }, (_, i) =>
      makeDoc({ seed: `perf${i}`, organ: `机关${i % 20}`, year: 2020 + (i % 5), extraCells: 50 }),
    );
    expect(Object.keys(docs[0]!.report.cells).length).toBeGreaterThanOrEqual(250);
    const t0 = performance.now();
    for (const d of docs) store.saveExtraction(d.input);
    const perDoc = (performance.now() - t0) / docs.length;
    console.log(`saveExtraction: ${perDoc.toFixed(3)} ms per document (${docs.length} docs)`);
    expect(perDoc).toBeLessThan(5);
    expect(count("cells")).toBe(200 * Object.keys(docs[0]!.report.cells).length);
  });
});

// ------------------------------------------------------------------ search

describe("search", () => {
  /** Count of current sections containing every term, by LIKE over heading or text. */
  function likeCount(terms: string[]): number {
    const cond = terms.map(() => "(s.text LIKE ? OR s.heading LIKE ?)").join(" AND ");
    const params = terms.flatMap((t) => [`%${t}%`, `%${t}%`]);
    const sql = `SELECT count(*) AS n FROM sections s JOIN reports r ON r.id = s.report_id WHERE r.is_current = 1 AND ${cond}`;
    return Number(store.query(sql, params).rows[0]?.n);
  }

  it("finds 2- and 4-character terms and ANDed terms, agreeing with LIKE", () => {
    // A tiny alphabet makes the words collide in every way (split by punctuation, overlapping, …).
    const alphabet = Array.from("行政复议诉讼纠正，。A1 \n");
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const text = (n: number) =>
      Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
    for (let i = 0; i < 40; i++) {
      const sections = Object.fromEntries(SECTIONS.map((s) => [s.key, text(40)]));
      store.saveExtraction(
        makeDoc({ seed: `s${i}`, organ: `机关${i % 4}`, year: 2021 + (i % 3), sections }).input,
      );
    }
    const cases = [
      ["复议"],
      ["行政诉讼"],
      ["复议", "诉讼"],
      ["行政复议", "纠正"],
      ["议"],
      ["A1"],
      ["复议", "议", "行政诉讼"],
    ];
    for (const terms of cases) {
      const hits = store.search(terms, { limit: Number.POSITIVE_INFINITY });
      expect({ terms, n: hits.length }).toEqual({ terms, n: likeCount(terms) });
    }
    expect(likeCount(["复议"])).toBeGreaterThan(0);
    expect(likeCount(["行政诉讼"])).toBeGreaterThan(0);
    expect(likeCount(["复议", "诉讼"])).toBeGreaterThan(0);
    // The trigram index alone cannot answer a 2-character term: that is why the bigram index exists.
    expect(
      store.query(`SELECT count(*) AS n FROM sections_fts WHERE sections_fts MATCH '"复议"'`).rows[0]?.n,
    ).toBe(0);
  });

  it("returns organ, year, section key and a marked snippet, and honours filters", () => {
    store.saveExtraction(
      makeDoc({
        organ: "甲县人民政府",
        year: 2023,
        sections: { s4_review_litigation: "本年度发生政府信息公开行政复议案件2件，行政诉讼案件1件。" },
      }).input,
    );
    store.saveExtraction(
      makeDoc({ organ: "乙县人民政府", year: 2022, sections: { s6_other: "无行政复议。" } }).input,
    );
    // Section 四's heading itself names 行政复议 and 行政诉讼, so every report has that hit; 甲 only here.
    expect(store.search(["复议", "行政诉讼"])).toHaveLength(2);
    const hits = store.search(["复议", "行政诉讼"], { organ: "甲县" });
    expect(hits).toEqual([
      {
        reportId: expect.any(Number),
        sectionId: expect.any(Number),
        organ: "甲县人民政府",
        year: 2023,
        sectionKey: "s4_review_litigation",
        heading: "四、政府信息公开行政复议、行政诉讼情况",
        snippet: "本年度发生政府信息公开行政【复议】案件2件，【行政诉讼】案件1件。",
      },
    ]);
    expect(store.search(["复议"], { limit: 100 }).length).toBe(likeCount(["复议"]));
    expect(store.search(["复议"], { year: 2022 }).every((h) => h.year === 2022)).toBe(true);
    expect(store.search(["复议"], { organ: "乙县" }).map((h) => h.organ)).toEqual(
      expect.arrayContaining(["乙县人民政府"]),
    );
    expect(store.search(["复议"], { organ: "乙县" }).every((h) => h.organ === "乙县人民政府")).toBe(true);
    expect(() => store.search([" "])).toThrow(StoreError);
    // FTS syntax characters in a term are matched literally.
    expect(store.search(['"复议" OR 诉讼'])).toEqual([]);
  });
});

// ------------------------------------------------------------------ query

describe("query", () => {
  it("runs reads and rejects writes", () => {
    store.saveExtraction(makeDoc().input);
    const before = counts();
    const res = store.query("SELECT organ, year FROM reports");
    expect(res).toEqual({ columns: ["organ", "year"], rows: [{ organ: "某市人民政府办公室", year: 2023 }] });
    for (const sql of [
      "DELETE FROM cells",
      "DROP TABLE cells",
      "DELETE FROM cells RETURNING path",
      "INSERT INTO blobs(sha256, size, first_seen, bytes) VALUES ('x', 1, 'x', x'00')",
      "PRAGMA journal_mode = DELETE",
      "CREATE TABLE t(a)",
    ]) {
      expect(() => store.query(sql), sql).toThrow(/read-only statements only/);
    }
    expect(counts()).toEqual(before);
    expect(counts().cells).toBe(200);
    expect(store.query("SELECT * FROM pragma_table_info('cells')").rows.length).toBe(20);
  });

  it("works on a read-only store, which cannot save", () => {
    const doc = makeDoc();
    store.saveExtraction(doc.input);
    const ro = openStore(file, { readonly: true });
    try {
      expect(ro.listReports()).toHaveLength(1);
      expect(ro.getReport(doc.report.source.sha256)?.report).toEqual(doc.report);
      expect(() => ro.query("DELETE FROM cells")).toThrow(/read-only statements only/);
      expect(() => ro.saveExtraction(makeDoc({ seed: "new" }).input)).toThrow(/read-only/);
    } finally {
      ro.close();
    }
    ro.close();
    expect(() => ro.listReports()).toThrow();
  });
});

// ------------------------------------------------------------------ cross-year

describe("crossYearFindings", () => {
  const fwd = (n: number) => ({ "t3.carried_forward.natural_person": n, "t3.carried_forward.total": n });
  const over = (n: number) => ({ "t3.carried_over.natural_person": n, "t3.carried_over.total": n });

  it("T3.X1 fires for a mismatching pair and not for a matching one", () => {
    store.saveExtraction(makeDoc({ organ: "甲", year: 2022, values: fwd(5), seed: "a22" }).input);
    store.saveExtraction(makeDoc({ organ: "甲", year: 2023, values: over(5), seed: "a23" }).input);
    const b22 = store.saveExtraction(makeDoc({ organ: "乙", year: 2022, values: fwd(5), seed: "b22" }).input);
    const b23 = store.saveExtraction(
      makeDoc({ organ: "乙", year: 2023, values: over(4), seed: "b23" }).input,
    );
    // 丙 has no previous year: nothing to compare.
    store.saveExtraction(makeDoc({ organ: "丙", year: 2023, values: over(9), seed: "c23" }).input);

    const found = store.crossYearFindings({ rule: "T3.X1" });
    expect(found.map((f) => [f.organ, f.path])).toEqual([
      ["乙", "t3.carried_over.natural_person"],
      ["乙", "t3.carried_over.total"],
    ]);
    expect(found[1]).toEqual({
      rule: "T3.X1",
      severity: "warning",
      origin: "source",
      path: "t3.carried_over.total",
      paths: ["2023:t3.carried_over.total", "2022:t3.carried_forward.total"],
      expected: 5,
      actual: 4,
      residual: -1,
      message: expect.stringContaining("上年结转数与上一年度报告的结转下年度数不一致"),
      reportId: b23.reportId,
      previousReportId: b22.reportId,
      organ: "乙",
      year: 2023,
    });
    expect(store.crossYearFindings({ organ: "甲" })).toEqual([]);
    expect(store.crossYearFindings({ year: 2022 })).toEqual([]);

    // A newer extraction that reads 5 replaces the current report, and the warning goes away.
    const b23doc = makeDoc({ organ: "乙", year: 2023, values: over(4), seed: "b23" });
    store.saveExtraction(reextract(b23doc, "2.0.0", over(5)).input);
    expect(store.crossYearFindings({ rule: "T3.X1" })).toEqual([]);
  });

  it("T2.X1 fires for a mismatching pair and not for a matching one", () => {
    // 洪泽 worked example (spec §6.3): 2023 in_force 5; 2024 issued 3, repealed 0, in_force 8 → holds.
    const nd = (issued: number, repealed: number, inForce: number) => ({
      "t2.normative_documents.issued": issued,
      "t2.normative_documents.repealed": repealed,
      "t2.normative_documents.in_force": inForce,
    });
    store.saveExtraction(makeDoc({ organ: "洪泽", year: 2023, values: nd(1, 0, 5), seed: "h23" }).input);
    store.saveExtraction(makeDoc({ organ: "洪泽", year: 2024, values: nd(3, 0, 8), seed: "h24" }).input);
    const p23 = store.saveExtraction(
      makeDoc({ organ: "丁", year: 2023, values: nd(1, 0, 5), seed: "d23" }).input,
    );
    const p24 = store.saveExtraction(
      makeDoc({ organ: "丁", year: 2024, values: nd(3, 1, 9), seed: "d24" }).input,
    );

    const found = store.crossYearFindings({ rule: "T2.X1" });
    expect(found).toEqual([
      {
        rule: "T2.X1",
        severity: "warning",
        origin: "source",
        path: "t2.normative_documents.in_force",
        paths: [
          "2024:t2.normative_documents.in_force",
          "2023:t2.normative_documents.in_force",
          "2024:t2.normative_documents.issued",
          "2024:t2.normative_documents.repealed",
        ],
        expected: 7,
        actual: 9,
        residual: 2,
        message: expect.stringContaining("现行有效件数"),
        reportId: p24.reportId,
        previousReportId: p23.reportId,
        organ: "丁",
        year: 2024,
      },
    ]);
    // regulations are all 0 in both years, so they hold and add nothing.
    expect(store.crossYearFindings().filter((f) => f.rule === "T2.X1")).toHaveLength(1);
  });
});
