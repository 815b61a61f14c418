/**
 * The crash test of issue 5: a crawl killed with SIGKILL at random moments and restarted with the
 * same command ends with the same reports and cells as an uninterrupted crawl, and no URL is
 * fetched again once its task was recorded as done.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimServer, startSimServer } from "../../src/sim/server.js";
import { buildSimWeb, seeds as simSeeds } from "../../src/sim/web.js";

const CLI = path.resolve("src/cli/main.ts");
const web = buildSimWeb({ sites: 23, seed: 7, years: [2021, 2022, 2023] });
// The bad-input hosts only cost time here; the kill test is about the frontier and the store.
const badHosts = new Set(Object.values(web.specials.bad));
let srv: SimServer;
let serverStart: number;
let dir: string;
let seeds: string;

beforeAll(async () => {
  // Taken before the server's own start time, so request times computed from it are never late.
  serverStart = Date.now();
  srv = await startSimServer(web);
  dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-kill-"));
  seeds = path.join(dir, "seeds.json");
  writeFileSync(
    seeds,
    JSON.stringify(simSeeds(web).filter((s) => !badHosts.has(new URL(s.entryUrl).hostname))),
  );
});

afterAll(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

function crawl(db: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      CLI,
      "crawl",
      "--seeds",
      seeds,
      "--db",
      db,
      "--years",
      "2021-2023",
      "--connect-to",
      `127.0.0.1:${srv.port}`,
      "--delay",
      "10",
      "--max-crawl-delay",
      "100",
      "--timeout",
      "10000",
      "--quiet",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/**
 * Reports, cells and provenance by content, not by row ids (those differ between databases). A
 * report's own locator is where its bytes were first seen, which depends on fetch order when the
 * same file is published at two URLs; every URL is in its sources either way.
 */
function contents(db: string): {
  reports: string[];
  sources: string[];
  cells: number;
  cellKeys: Set<string>;
} {
  const d = new Database(db, { readonly: true });
  try {
    const reports = d
      .prepare<[], { k: string }>(
        "SELECT sha256 || ' ' || coalesce(organ,'') || ' ' || coalesce(year,'') || ' ' || status AS k FROM reports WHERE is_current = 1 ORDER BY k",
      )
      .all()
      .map((r) => r.k);
    const cells = d
      .prepare<[], { k: string }>(
        "SELECT r.sha256 || ' ' || c.path || ' ' || coalesce(c.value, 'null') || ' ' || coalesce(c.raw, '') AS k FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.is_current = 1",
      )
      .all()
      .map((r) => r.k);
    const sources = d
      .prepare<[], { k: string }>("SELECT sha256 || ' ' || locator AS k FROM blob_sources ORDER BY k")
      .all()
      .map((r) => r.k);
    return { reports, sources, cells: cells.length, cellKeys: new Set(cells) };
  } finally {
    d.close();
  }
}

describe("crawl killed with SIGKILL and restarted", () => {
  it("ends identical to an uninterrupted crawl and never refetches a completed URL", async () => {
    const reference = path.join(dir, "reference.db");
    const ref = await exited(crawl(reference));
    expect(ref.code).toBe(0);

    const killedDb = path.join(dir, "killed.db");
    const kills: number[] = [];
    for (let round = 0; round < 12; round++) {
      const child = crawl(killedDb);
      let stderr = "";
      child.stderr?.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      // Early rounds die young (mid-robots, mid-list); later ones live longer and finish.
      const after = round < 6 ? 400 + Math.floor(Math.random() * 2600) : 60_000;
      const timer = setTimeout(() => {
        kills.push(after);
        child.kill("SIGKILL");
      }, after);
      const end = await exited(child);
      clearTimeout(timer);
      if (end.signal === null) {
        expect(end.code, stderr).toBe(0);
        break;
      }
    }
    expect(kills.length).toBeGreaterThanOrEqual(3);

    const a = contents(reference);
    const b = contents(killedDb);
    expect(b.reports).toEqual(a.reports);
    expect(b.sources).toEqual(a.sources);
    expect(b.cells).toBe(a.cells);
    expect([...a.cellKeys].filter((k) => !b.cellKeys.has(k))).toEqual([]);

    const d = new Database(killedDb, { readonly: true });
    const open = d
      .prepare("SELECT count(*) AS n FROM crawl_frontier WHERE state IN ('pending', 'leased')")
      .get() as {
      n: number;
    };
    expect(open.n).toBe(0);
    // No GET of a URL after the moment its task was recorded done (POSTs share a URL; skipped).
    const done = d
      .prepare<[], { url: string; updated_at: string }>(
        "SELECT url, updated_at FROM crawl_frontier WHERE state = 'done' AND data NOT LIKE '%\"form\"%'",
      )
      .all();
    d.close();
    const refetched: string[] = [];
    for (const t of done) {
      const u = new URL(t.url);
      const doneAt = Date.parse(t.updated_at);
      const later = srv.requests.filter(
        (r) =>
          r.method === "GET" &&
          r.host === u.host &&
          r.path === `${u.pathname}${u.search}` &&
          serverStart + r.at > doneAt + 20,
      );
      // The reference crawl used the same server earlier; only requests after this task's completion count.
      if (later.length > 0) refetched.push(t.url);
    }
    expect(refetched).toEqual([]);

    // And a restart after completion fetches nothing at all.
    const before = srv.requests.length;
    expect((await exited(crawl(killedDb))).code).toBe(0);
    expect(srv.requests.length).toBe(before);
  }, 300_000);
});
