/** The command line as users run it: a real process, a real SQLite file, real exit codes. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = path.resolve("src/cli/main.ts");
let dir: string;
let db: string;

function nianbao(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-cli-"));
  db = path.join(dir, "test.db");
  const inputs = path.join(dir, "in");
  mkdirSync(inputs);
  for (const y of [2021, 2022, 2023])
    copyFileSync(`samples/real/pingtan/pingtan-${y}.txt`, path.join(inputs, `pingtan-${y}.txt`));
  copyFileSync("samples/real/seed-wuhai-edu-2022.txt", path.join(inputs, "seed.txt"));
  copyFileSync("samples/generated/gen-v2021-html-clean-1.html", path.join(inputs, "clean.html"));
  writeFileSync(path.join(inputs, "empty.txt"), "");
  writeFileSync(path.join(inputs, "notes.html"), "<html><body><p>没有表格</p></body></html>");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("nianbao CLI", () => {
  it("extract --json prints the contract for a report and exits 0", () => {
    const r = nianbao("extract", "samples/real/seed-wuhai-edu-2022.txt", "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.contract_version).toBe(1);
    expect(json.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.tables.t3["denied.state_secret"].total.value).toBe(0);
    expect(json.tables.t2.normative_documents.issued.value).toBe(11);
    expect(json.tables.t4.review.total).toMatchObject({ value: 0, source: "printed" });
    expect(json.findings).toEqual([]);
    expect(Object.keys(json.sections)).toHaveLength(6);
  });

  it("extract exits 3 with a clear message on a file it cannot read", () => {
    const r = nianbao("extract", path.join(dir, "in", "empty.txt"), "--json");
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/空文件/);
    expect(JSON.parse(r.out).status).toBe("failed");
  });

  it("ingest goes on past bad documents, lists them, and is idempotent", () => {
    const first = nianbao("ingest", path.join(dir, "in"), "--db", db);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/共 7 个文件/);
    expect(first.out).toMatch(/失败 2/);
    expect(first.out).toMatch(/empty\.txt/);
    const second = nianbao("ingest", path.join(dir, "in"), "--db", db);
    expect(second.out).toMatch(/已存在跳过 7/);
    const count = nianbao("query", "select count(*) as n from reports", "--db", db, "--json");
    expect(JSON.parse(count.out)[0].n).toBe(5);
  });

  it("query is read-only", () => {
    const r = nianbao("query", "delete from reports", "--db", db);
    expect(r.code).toBe(2);
    expect(nianbao("query", "select count(*) n from reports", "--db", db, "--json").out).toMatch(/"n": 5/);
  });

  it("search finds a two-character term and combined terms", () => {
    const r = nianbao("search", "复议", "--db", db, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).length).toBeGreaterThan(0);
    const both = JSON.parse(nianbao("search", "平潭", "政务公开", "--db", db, "--json").out) as {
      organ: string;
    }[];
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((h) => h.organ === "平潭综合实验区")).toBe(true);
  });

  it("show renders the tables; audit lists findings and exits 4 with --strict when errors exist", () => {
    const show = nianbao("show", "1", "--db", db);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/表三/);
    const audit = nianbao("audit", "--db", db, "--json");
    expect(audit.code).toBe(0);
    const json = JSON.parse(audit.out);
    expect(json.reports.length).toBe(5);
    expect(nianbao("show", "999", "--db", db).code).toBe(2);
  });

  it("usage errors exit 2", () => {
    expect(nianbao("frobnicate").code).toBe(2);
    expect(nianbao("audit", "--year", "abc", "--db", db).code).toBe(2);
  });
});
