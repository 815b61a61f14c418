import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimServer, startSimServer } from "../../src/sim/server.js";
import { buildSimWeb, seedsCsv } from "../../src/sim/web.js";

const CLI = path.resolve("src/cli/main.ts");
const web = buildSimWeb({ sites: 21, seed: 11, years: [2021, 2022, 2023] });
let srv: SimServer;
let dir: string;

/** spawnSync would block the event loop the simulated server runs on; run the CLI asynchronously. */
async function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  srv = await startSimServer(web);
  dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-crawl-cli-"));
});

afterAll(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("nianbao crawl / completion / audit", () => {
  it("crawls a CSV catalogue, reports bad lines, prints the completion report; audit lists the missing year", async () => {
    // Sites 0–5 (TRS, Hanweb, generic; robots-blocked, 429, dead) plus one malformed catalogue line.
    const lines = seedsCsv(web).trim().split("\n");
    const wanted = web.sites.slice(0, 6).map((s) => s.host);
    const csv = [
      lines[0],
      ...lines.slice(1).filter((l) => wanted.some((h) => l.includes(h))),
      "9999999999,没有网址的机构,110000,department,",
    ].join("\n");
    const seeds = path.join(dir, "seeds.csv");
    writeFileSync(seeds, `${csv}\n`);
    const db = path.join(dir, "crawl.db");
    const args = ["--db", db, "--years", "2021-2023", "--connect-to", `127.0.0.1:${srv.port}`];
    const run = await cli(
      "crawl",
      "--seeds",
      seeds,
      ...args,
      "--delay",
      "10",
      "--max-crawl-delay",
      "100",
      "--quiet",
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/seeds\.csv:\d+: not a host or URL/);
    expect(run.stdout).toMatch(/完成情况（机构×年度 18）/);
    expect(run.stdout).toContain(`无法连接的站点（已停止重试）：${web.specials.deadHost}`);

    const completion = await cli("completion", "--db", db, "--json");
    const rows = JSON.parse(completion.stdout) as { agency: string; year: number; status: string }[];
    expect(rows).toHaveLength(18);
    const missing = web.sites[3];
    expect(
      rows.find((r) => r.agency === missing?.agency.name && r.year === web.specials.missing.year)?.status,
    ).toBe("not-found");

    const audit = await cli("audit", "--db", db, "--json", "--rule", "C");
    const findings = JSON.parse(audit.stdout) as {
      completion: { rule: string; organ: string; year: number }[];
    };
    expect(findings.completion).toContainEqual(
      expect.objectContaining({
        rule: "C.MISSING",
        organ: missing?.agency.name,
        year: web.specials.missing.year,
      }),
    );
    expect(findings.completion.filter((f) => f.rule === "C.UNVERIFIED").length).toBe(6);
  }, 120_000);

  it("refuses to run a second crawler on the same database", async () => {
    const db = path.join(dir, "locked.db");
    writeFileSync(`${db}.crawl.lock`, String(process.pid));
    const r = await cli(
      "crawl",
      "http://www.example.gov.cn/",
      "--db",
      db,
      "--connect-to",
      `127.0.0.1:${srv.port}`,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/another crawl \(pid \d+\) is running/);
    rmSync(`${db}.crawl.lock`);
  });

  it("rejects bad arguments with exit code 2", async () => {
    expect(
      (await cli("crawl", "--years", "20x1", "http://a.gov.cn/", "--db", path.join(dir, "x.db"))).status,
    ).toBe(2);
    expect((await cli("crawl", "--db", path.join(dir, "y.db"))).status).toBe(2);
    expect(
      spawnSync(process.execPath, ["--import", "tsx", CLI, "crawl", "--connect-to", "nope"]).status,
    ).toBe(2);
  });
});
