/**
 * The web UI in a real browser (Chromium through playwright-core, the system's /usr/bin/chromium):
 * search → highlighted hits → report page with a flagged cell and its explanation → audit charts →
 * a CSV export downloaded through its link; script payloads in stored text stay inert. The run also
 * saves the screenshots of docs/screenshots (1280×900) used in the README.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFiles, listInputs } from "../../src/pipeline/ingest.js";
import { openStore } from "../../src/store/store.js";
import { type ServerHandle, startServer } from "../../src/web/server.js";

const CHROMIUM = process.env.NIANBAO_CHROMIUM ?? "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCREENSHOTS = path.join(ROOT, "docs/screenshots");
const VIEWPORT = { width: 1280, height: 900 };
const TIMEOUT = 180_000;

/** Bundled samples of the main store; pingtan 2020 breaks T3.R2 in the 自然人 and 总计 columns. */
const SAMPLES = [
  "samples/real/pingtan",
  "samples/real/seed-wuhai-edu-2022.txt",
  "samples/real/hzq2024.pdf",
  "samples/generated/gen-v2021-inj-t3r2-html-split-t3.html",
];
const PINGTAN_2020 = "pingtan-2020.txt";
/** samples/real/pingtan/pingtan-2020.truth.json */
const PINGTAN_2020_NEW_REQUESTS = 21;

const SCRIPT = "<script>window.__xss=1</script>";
const IMG = `<img src=x onerror="window.__xss=1">`;
const EVIL_NAME = `evil-${IMG}.txt`;

/** The seed report with payloads in its title line, narrative and a table-3 label. */
function evilText(): string {
  let s = readFileSync(path.join(ROOT, "samples/real/seed-wuhai-edu-2022.txt"), "utf8");
  s = `测试县教育局${SCRIPT}2022年政府信息公开工作年度报告${IMG}\n${s}`;
  s = s.replace("政府信息公开工作得到规范和加强。", `政府信息公开工作得到规范和加强。${SCRIPT}复议${IMG}`);
  s = s.replace("8.属于行政查询事项 |", `8.属于行政查询事项${IMG} |`);
  return s;
}

async function buildStore(db: string, inputs: string[]): Promise<void> {
  const store = openStore(db);
  try {
    // One at a time: report ids (shown in the screenshots) follow the file order on every run.
    await ingestFiles(store, await listInputs(inputs), { concurrency: 1 });
  } finally {
    store.close();
  }
}

interface ApiReport {
  id: number;
  locator: string;
}

async function reportId(server: ServerHandle, locatorEnd: string): Promise<number> {
  const res = await fetch(`${server.url}/api/reports?per_page=200`);
  const body = (await res.json()) as { items: ApiReport[] };
  const hit = body.items.find((r) => r.locator.endsWith(locatorEnd));
  if (!hit) throw new Error(`no report for ${locatorEnd}`);
  return hit.id;
}

let dir: string;
let main: ServerHandle | undefined;
let evil: ServerHandle | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
/** Every dialog (alert, confirm, prompt) any page opened. */
const dialogs: string[] = [];
/** Uncaught page errors: the UI's own scripts must run cleanly. */
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set NIANBAO_CHROMIUM`);
  dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-e2e-"));

  const mainDb = path.join(dir, "nianbao.db");
  await buildStore(
    mainDb,
    SAMPLES.map((s) => path.join(ROOT, s)),
  );
  main = await startServer({ db: mainDb, port: 0 });

  // The payloads get a store of their own, so the screenshots of the main store stay clean.
  const evilIn = path.join(dir, "evil");
  mkdirSync(evilIn);
  writeFileSync(path.join(evilIn, EVIL_NAME), evilText());
  writeFileSync(path.join(evilIn, `empty-${IMG}.txt`), ""); // a failed run, listed by locator
  const evilDb = path.join(dir, "evil.db");
  await buildStore(evilDb, [evilIn]);
  evil = await startServer({ db: evilDb, port: 0 });

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    locale: "zh-CN",
    acceptDownloads: true,
  });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
  page.on("dialog", (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  mkdirSync(SCREENSHOTS, { recursive: true });
}, TIMEOUT);

afterAll(async () => {
  // Each step runs whatever the previous one threw.
  try {
    await browser?.close();
  } finally {
    try {
      await main?.close();
    } finally {
      try {
        await evil?.close();
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}, TIMEOUT);

async function screenshot(name: string): Promise<void> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false, animations: "disabled", caret: "hide" });
}

/**
 * The audit page reloads itself every 5 s while the cross-year rules are still being computed;
 * reload until they are done, so no refresh interrupts the checks (or the download) that follow.
 */
async function settleAudit(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await page.locator('meta[http-equiv="refresh"]').count()) > 0) {
    if (Date.now() > deadline) throw new Error("cross-year rules still pending after 60 s");
    await page.waitForTimeout(500);
    await page.reload();
  }
}

describe("web UI in Chromium", () => {
  it(
    "overview, then a two-character search from the header box shows highlighted hits",
    async () => {
      if (!main) throw new Error("no server");
      await page.goto(`${main.url}/`);
      await expect.poll(() => page.locator("h1").textContent()).toBe("概览");
      expect(await page.locator(".card").count()).toBeGreaterThan(2);
      await screenshot("home");

      const box = page.locator("header form.quick input[name=q]");
      await box.fill("复议");
      await box.press("Enter");
      await page.waitForURL(/\/search\?q=/);
      expect(decodeURIComponent(new URL(page.url()).searchParams.get("q") ?? "")).toBe("复议");
      const marks = page.locator("ol.hits mark");
      expect(await marks.count()).toBeGreaterThan(0);
      for (const t of await marks.allTextContents()) expect(t).toContain("复议");
      expect(await page.locator("p.count").textContent()).toMatch(/共 \d+ 个章节命中/);
      await screenshot("search");
    },
    TIMEOUT,
  );

  it(
    "a report opened from the results shows its flagged cells and the finding that explains them",
    async () => {
      if (!main) throw new Error("no server");
      const id = await reportId(main, PINGTAN_2020);
      // Still on the search page of the previous test: open pingtan 2020 from its hits.
      const link = page.locator(`ol.hits a.hit-title[href^="/reports/${id}#"]`).first();
      expect(await link.count()).toBe(1);
      await link.click();
      await page.waitForURL(new RegExp(`/reports/${id}#s-`));
      expect(await page.locator("h1").textContent()).toContain("平潭综合实验区2020");

      for (const col of ["natural_person", "total"]) {
        const cell = page.locator(`td[id="cell-t3.results_total.${col}"]`);
        expect(await cell.getAttribute("class")).toMatch(/\bflag-error\b/);
        // The hover text (title) names the rule and the arithmetic.
        const title = (await cell.getAttribute("title")) ?? "";
        expect(title).toContain("T3.R2");
        expect(title).toMatch(/（七）总计为\d+，而各项办理结果之和为\d+/);
      }
      // The 自然人 cell: its footnote link leads to the finding beside the tables.
      const cell = page.locator('td[id="cell-t3.results_total.natural_person"]');
      expect((await cell.textContent())?.trim()).toMatch(/^20\d+$/);
      await page.locator("#t3").evaluate((el) => el.scrollIntoView({ block: "start" }));
      await cell.locator("a.fref").first().click();
      const target = page.locator("li.finding:target");
      await target.waitFor({ state: "visible" });
      expect(await target.locator(".fhead b").textContent()).toBe("T3.R2");
      const text = (await target.textContent()) ?? "";
      expect(text).toContain("表三“自然人”列：（七）总计为20，而各项办理结果之和为26");
      expect(await target.locator("dl.arith dt").allTextContents()).toEqual(["应为", "实际", "差额"]);
      expect(await target.locator("dl.arith dd").allTextContents()).toEqual(["26", "20", "-6"]);
      const box = await target.boundingBox();
      expect(box).not.toBeNull();
      expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
      expect((box?.y ?? 1e9) + (box?.height ?? 0)).toBeLessThanOrEqual(VIEWPORT.height);
      // The table stays in view next to the finding for the screenshot.
      await page.locator("#t3").evaluate((el) => el.scrollIntoView({ block: "start" }));
      expect(await cell.isVisible()).toBe(true);
      await screenshot("report");
    },
    TIMEOUT,
  );

  it(
    "the audit page draws its charts",
    async () => {
      if (!main) throw new Error("no server");
      await page.locator("header nav a", { hasText: "审计" }).click();
      await page.waitForURL(/\/audit$/);
      await settleAudit();
      const canvases = page.locator("canvas[data-chart]");
      expect(await canvases.count()).toBe(3);
      // chart.js registers every chart it drew.
      await expect
        .poll(() =>
          page.evaluate<number>(
            "typeof Chart === 'undefined' ? 0 : [...document.querySelectorAll('canvas[data-chart]')].filter((c) => Chart.getChart(c)).length",
          ),
        )
        .toBe(3);
      for (let i = 0; i < 3; i++) {
        const box = await canvases.nth(i).boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(100);
        expect(box?.height ?? 0).toBeGreaterThan(100);
      }
      // Something was painted: the first chart (requests per year) has opaque pixels.
      const painted = await page.evaluate<number>(
        "(() => { const c = document.querySelector('canvas[data-chart]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()",
      );
      expect(painted).toBeGreaterThan(1000);
      await screenshot("audit");
    },
    TIMEOUT,
  );

  it(
    "the cells CSV downloaded through its link has the BOM, the header and the right value",
    async () => {
      if (!main) throw new Error("no server");
      const id = await reportId(main, PINGTAN_2020);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator('p.exports a[href="/export/cells.csv"]').click(),
      ]);
      expect(download.suggestedFilename()).toBe("nianbao-cells.csv");
      const file = path.join(dir, "cells.csv");
      await download.saveAs(file);
      const bytes = readFileSync(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString("utf8").slice(1).split("\r\n");
      const header = lines[0]?.split(",") ?? [];
      expect(header.slice(0, 3)).toEqual(["report_id", "organ", "year"]);
      const col = header.indexOf("t3.new_requests.total");
      expect(col).toBeGreaterThan(0);
      const row = lines.find((l) => l.startsWith(`${id},`))?.split(",") ?? [];
      expect(row[1]).toBe("平潭综合实验区");
      expect(row[2]).toBe("2020");
      expect(row[col]).toBe(String(PINGTAN_2020_NEW_REQUESTS));
      // One row per report (7 pingtan + seed + pdf + generated), no failed runs.
      expect(lines.filter((l) => l !== "").length).toBe(1 + 10);
    },
    TIMEOUT,
  );

  it(
    "script payloads in stored text stay text: no script runs, no dialog opens",
    async () => {
      if (!evil) throw new Error("no server");
      const id = await reportId(evil, EVIL_NAME);
      const pages = [
        "/",
        "/reports",
        `/reports/${id}`,
        `/search?q=${encodeURIComponent("复议")}`,
        `/audit/findings?report=${id}`,
        "/audit",
      ];
      for (const p of pages) {
        await page.goto(`${evil.url}${p}`);
        await page.waitForLoadState("load");
        expect(await page.evaluate<string>("typeof window.__xss"), p).toBe("undefined");
        // Escaped, not merely blocked by the CSP: no injected element exists at all.
        expect(await page.locator('img[src="x"]').count(), p).toBe(0);
        expect(await page.locator("script:not([src])").count(), p).toBe(0);
        expect(await page.locator("img[onerror], [onerror]").count(), p).toBe(0);
      }
      // The report page shows the payloads as text.
      await page.goto(`${evil.url}/reports/${id}`);
      const body = (await page.locator("main").textContent()) ?? "";
      expect(body).toContain(SCRIPT);
      expect(body).toContain(IMG);
      // The search page highlights 复议 next to the payload, still as text.
      await page.goto(`${evil.url}/search?q=${encodeURIComponent("复议")}`);
      const snippets = (await page.locator("ol.hits").textContent()) ?? "";
      expect(snippets).toContain("window.__xss=1");
      expect(await page.evaluate<string>("typeof window.__xss")).toBe("undefined");
      expect(dialogs).toEqual([]);
    },
    TIMEOUT,
  );

  it("no page threw a script error", () => {
    expect(pageErrors).toEqual([]);
  });
});
