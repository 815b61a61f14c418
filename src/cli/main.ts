#!/usr/bin/env node
/**
 * nianbao command line. Exit codes (also in README):
 *   0 success (documents may be `partial`; their problems are listed)
 *   1 unexpected internal error
 *   2 usage error (bad arguments, unknown report, SQL rejected)
 *   3 input could not be extracted (`extract` on a failed document; `ingest` when every document failed)
 *   4 `audit --strict` found error-level findings
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { completionReport, lastPassYears } from "../crawl/completion.js";
import { defaultKind, ExportError, type ExportFormat, type ExportKind, exportData } from "../export/index.js";
import { closeOcr } from "../extractors/ocr/engine.js";
import { toContractJson } from "../pipeline/contract.js";
import { EXTRACTOR, extractReport } from "../pipeline/extract.js";
import { type IngestItem, ingestFiles, listInputs } from "../pipeline/ingest.js";
import { openStore, type Store } from "../store/store.js";
import { CrawlUsageError, runCompletion, runCrawl } from "./crawl.js";
import { demoCrawl } from "./demo-crawl.js";
import { Progress } from "./progress.js";
import { renderReport } from "./render.js";

const DEFAULT_DB = "./nianbao.db";
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

class UsageError extends Error {}

function intOption(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError("需要整数 (an integer)");
  return n;
}

function withStore<T>(db: string, fn: (store: Store) => T, readonly = false): T {
  const store = openStore(db, { readonly });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function printIngestSummary(items: IngestItem[], out: NodeJS.WritableStream): void {
  const count = (s: IngestItem["status"]) => items.filter((i) => i.status === s).length;
  out.write(
    `\n共 ${items.length} 个文件：成功 ${count("ok")}，部分成功 ${count("partial")}，失败 ${count("failed")}，已存在跳过 ${count("skipped")}\n`,
  );
  const flagged = items.filter((i) => i.errors > 0);
  if (flagged.length > 0) {
    out.write(`表格自身勾稽错误的报告 ${flagged.length} 份：\n`);
    for (const i of flagged)
      out.write(`  ${i.organ ?? "?"} ${i.year ?? "?"}  ${i.errors} 项错误  ${i.locator}\n`);
  }
  const problems = items.filter((i) => i.status === "failed" || i.status === "partial");
  if (problems.length > 0) {
    out.write("有问题的文件：\n");
    for (const i of problems) out.write(`  [${i.status}] ${i.locator}: ${i.problem ?? ""}\n`);
  }
}

/** One extraction worker per core; a single core extracts in the main thread. */
function defaultWorkers(): number {
  return os.availableParallelism();
}

async function runIngest(
  paths: string[],
  opts: { db: string; concurrency: number; workers: number },
): Promise<number> {
  const files = await listInputs(paths);
  if (files.length === 0) throw new UsageError("没有找到可导入的文件 (no input files)");
  const progress = new Progress(process.stderr, files.length);
  const store = openStore(opts.db);
  let items: IngestItem[];
  try {
    items = await ingestFiles(store, files, {
      concurrency: opts.concurrency,
      // Starting workers costs more than a handful of documents take.
      workers: files.length >= 8 ? opts.workers : 1,
      onProgress: (done, _t, item) => progress.tick(done, item.locator),
    });
  } finally {
    store.close();
    progress.end();
  }
  printIngestSummary(items, process.stdout);
  return items.every((i) => i.status === "failed") ? 3 : 0;
}

function runAudit(opts: {
  db: string;
  year?: number;
  organ?: string;
  json?: boolean;
  strict?: boolean;
  rule?: string;
}): number {
  return withStore(
    opts.db,
    (store) => {
      const filter = {
        ...(opts.year ? { year: opts.year } : {}),
        ...(opts.organ ? { organ: opts.organ } : {}),
      };
      const single = store.findings({ ...filter, ...(opts.rule ? { rule: opts.rule } : {}) });
      const cross = store.crossYearFindings(filter).filter((f) => !opts.rule || f.rule.startsWith(opts.rule));
      const reports = store.listReports(filter);
      const coverage = completionFindings(store, opts);
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ reports, findings: single, cross_year: cross, completion: coverage }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(
          `报告 ${reports.length} 份；单份报告检查结果 ${single.length} 条；跨年度检查结果 ${cross.length} 条\n`,
        );
        const byRule = new Map<string, number>();
        for (const f of [...single, ...cross, ...coverage]) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
        for (const [rule, n] of [...byRule].sort()) process.stdout.write(`  ${rule.padEnd(18)} ${n}\n`);
        process.stdout.write("\n");
        for (const f of single) {
          const who = f.origin === "source" ? "来源" : "提取";
          process.stdout.write(
            `[${f.severity}] ${f.rule} (${who}) #${f.reportId} ${f.organ ?? "?"} ${f.year ?? "?"} ${f.path ?? ""}\n    ${f.message}\n`,
          );
        }
        for (const f of cross) {
          process.stdout.write(
            `[${f.severity}] ${f.rule} (跨年度) #${f.reportId}←#${f.previousReportId} ${f.organ} ${f.path ?? ""}\n    ${f.message}\n`,
          );
        }
        for (const f of coverage) {
          process.stdout.write(`[${f.severity}] ${f.rule} (抓取) ${f.organ} ${f.year}\n    ${f.message}\n`);
        }
      }
      const errors = [...single, ...cross].filter((f) => f.severity === "error").length;
      return opts.strict && errors > 0 ? 4 : 0;
    },
    true,
  );
}

interface CoverageFinding {
  rule: "C.MISSING" | "C.UNVERIFIED";
  severity: "warning" | "info";
  organ: string;
  year: number;
  message: string;
}

/**
 * Reports the crawl looked for and did not find (spec §7.2): missing where the site was crawled,
 * unverified where robots.txt, a challenge page or a dead host kept us out. Late reports are D.R4
 * on the report itself.
 */
function completionFindings(
  store: Store,
  opts: { year?: number; organ?: string; rule?: string },
): CoverageFinding[] {
  const years = lastPassYears(store.reader);
  if (!years) return [];
  const out: CoverageFinding[] = [];
  for (const r of completionReport(store.reader, opts.year ? [opts.year] : years)) {
    if (opts.organ && !r.agency.includes(opts.organ)) continue;
    if (r.status === "not-found")
      out.push({
        rule: "C.MISSING",
        severity: "warning",
        organ: r.agency,
        year: r.year,
        message: `网站已抓取，未找到${r.year}年度报告`,
      });
    else if (r.status !== "found")
      out.push({
        rule: "C.UNVERIFIED",
        severity: "info",
        organ: r.agency,
        year: r.year,
        message: `无法核实${r.year}年度报告是否发布：${r.reason ?? r.status}`,
      });
  }
  return out.filter(
    (f) =>
      !opts.rule ||
      f.rule === opts.rule ||
      f.rule.startsWith(`${opts.rule}.`) ||
      opts.rule === f.rule.split(".")[0],
  );
}

async function runDemo(opts: { db: string }): Promise<number> {
  const samples = path.join(projectRoot, "samples");
  process.stdout.write(`演示：导入 ${samples} 中的样本到 ${opts.db}\n`);
  const code = await runIngest([samples], { db: opts.db, concurrency: 4, workers: defaultWorkers() });
  process.stdout.write("\n--- 抓取模拟政府网站 (crawl of a simulated government web on 127.0.0.1) ---\n");
  await demoCrawl(opts.db, process.stdout);
  process.stdout.write("\n--- 审计 (audit) ---\n");
  runAudit({ db: opts.db, strict: false });
  process.stdout.write(
    `\n试试：\n  npx nianbao show 1 --db ${opts.db}\n  npx nianbao search 复议 --db ${opts.db}\n  npx nianbao query "select organ, year, template from reports" --db ${opts.db}\n`,
  );
  return code === 3 ? 3 : 0;
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command()
    .name("nianbao")
    .description("政府信息公开工作年度报告：提取统计表、检查勾稽关系、存入 SQLite")
    .version(EXTRACTOR.version)
    .showHelpAfterError()
    // Inherited by the subcommands added below, so their usage errors reach main() too.
    .exitOverride();

  program
    .command("ingest")
    .description("导入文件或目录（递归）到数据库")
    .argument("<paths...>", "files or directories")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("-c, --concurrency <n>", "files read in parallel", intOption, 4)
    .option(
      "-w, --workers <n>",
      "extraction worker threads (default: one per core)",
      intOption,
      defaultWorkers(),
    )
    .action(async (paths: string[], o) => setExit(await runIngest(paths, o)));

  program
    .command("extract")
    .description("提取单个文件（不写数据库）")
    .argument("<file>")
    .option("--json", "print the extract --json contract")
    .option("--content-type <type>", "media type / HTTP Content-Type of the bytes (charset)")
    .action(async (file: string, o: { json?: boolean; contentType?: string }) => {
      const report = await extractReport({
        bytes: readFileSync(file),
        locator: file,
        ...(o.contentType ? { contentType: o.contentType } : {}),
      });
      if (o.json) process.stdout.write(`${JSON.stringify(toContractJson(report), null, 2)}\n`);
      else process.stdout.write(`${renderReport(report, { color: Boolean(process.stdout.isTTY) })}\n`);
      if (report.status === "failed") {
        process.stderr.write(`提取失败：${report.problems.join("; ")}\n`);
        setExit(3);
      }
    });

  program
    .command("audit")
    .description("列出检查结果（单份报告规则 + 跨年度规则）")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("--year <year>", "report year", intOption)
    .option("--organ <text>", "organ name contains")
    .option("--rule <id>", "rule id or prefix (T3, T3.R1, D.R8 …)")
    .option("--json", "machine-readable output")
    .option("--strict", "exit 4 when any error-level finding exists")
    .action((o) => setExit(runAudit(o)));

  program
    .command("search")
    .description("全文检索（多个词为“与”关系；两字词如“复议”也可检索）")
    .argument("<terms...>")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("--year <year>", "report year", intOption)
    .option("--organ <text>", "organ name contains")
    .option("--limit <n>", "maximum hits", intOption, 20)
    .option("--json", "machine-readable output")
    .action((terms: string[], o) =>
      withStore(
        o.db,
        (store) => {
          const hits = store.search(terms, {
            limit: o.limit,
            ...(o.year ? { year: o.year } : {}),
            ...(o.organ ? { organ: o.organ } : {}),
          });
          if (o.json) process.stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
          else {
            process.stdout.write(`${hits.length} 条结果\n`);
            for (const h of hits)
              process.stdout.write(
                `#${h.reportId} ${h.organ ?? "?"} ${h.year ?? "?"} ${h.heading}\n    ${h.snippet}\n`,
              );
          }
        },
        true,
      ),
    );

  program
    .command("query")
    .description("只读 SQL 查询")
    .argument("<sql>")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("--json", "JSON rows instead of a table")
    .action((sql: string, o) =>
      withStore(
        o.db,
        (store) => {
          const result = store.query(sql);
          if (o.json) process.stdout.write(`${JSON.stringify(result.rows, null, 2)}\n`);
          else {
            process.stdout.write(`${result.columns.join("\t")}\n`);
            for (const r of result.rows)
              process.stdout.write(`${result.columns.map((c) => String(r[c] ?? "")).join("\t")}\n`);
          }
        },
        true,
      ),
    );

  program
    .command("show")
    .description("在终端显示一份报告的三张表（被标记的单元格带 *）")
    .argument("<report>", "report id or sha256 (prefix)")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("--json", "print the stored report as the extract --json contract")
    .action((ref: string, o) =>
      withStore(
        o.db,
        (store) => {
          const stored = store.getReport(/^\d+$/.test(ref) ? Number(ref) : ref);
          if (!stored) throw new UsageError(`没有这份报告：${ref}`);
          if (o.json) process.stdout.write(`${JSON.stringify(toContractJson(stored.report), null, 2)}\n`);
          else
            process.stdout.write(
              `${renderReport(stored.report, { color: Boolean(process.stdout.isTTY) })}\n`,
            );
        },
        true,
      ),
    );

  program
    .command("export")
    .description("导出统计表宽表、检查结果或报告（CSV / Excel / JSON Lines）")
    .requiredOption("--format <format>", "csv | xlsx | jsonl")
    .option("--kind <kind>", "cells | findings | reports (default: cells for csv/xlsx, reports for jsonl)")
    .option("--year <year>", "report year", intOption)
    .option("--organ <text>", "organ name contains")
    .option("--template <id>", "report template: v2019, v2021, v2021-collapsed-other, hybrid, legacy")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("--out <file>", "output file (default: stdout for csv/jsonl, ./nianbao-<kind>.xlsx for xlsx)")
    .action(
      async (o: {
        format: ExportFormat;
        kind?: ExportKind;
        year?: number;
        organ?: string;
        template?: string;
        db: string;
        out?: string;
      }) => {
        const kind = o.kind ?? defaultKind(o.format);
        // A workbook is binary: never to a terminal or a pipe unless asked for with --out -.
        const out = o.out ?? (o.format === "xlsx" ? `./nianbao-${kind}.xlsx` : "-");
        const store = openStore(o.db, { readonly: true });
        let body: Buffer;
        try {
          const filter = {
            ...(o.year !== undefined ? { year: o.year } : {}),
            ...(o.organ !== undefined ? { organ: o.organ } : {}),
            ...(o.template !== undefined ? { template: o.template } : {}),
          };
          body = (await exportData(store, kind, o.format, filter)).body;
        } catch (err) {
          if (err instanceof ExportError) throw new UsageError(err.message);
          throw err;
        } finally {
          store.close();
        }
        if (out === "-") process.stdout.write(body);
        else {
          writeFileSync(out, body);
          process.stderr.write(`已导出 ${body.length} 字节到 ${out} (wrote ${out})\n`);
        }
      },
    );

  program
    .command("serve")
    .description("启动只读网页界面和 JSON API（默认只监听本机 127.0.0.1）")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("--port <n>", "port (0 = any free port)", intOption, 8080)
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .action(async (o: { db: string; port: number; host: string }) => {
      if (o.port < 0 || o.port > 65535) throw new UsageError(`端口必须在 0 到 65535 之间：${o.port}`);
      // Loaded here so the other commands do not pay for the web stack.
      const { isLoopback, startServer } = await import("../web/server.js");
      let handle: Awaited<ReturnType<typeof startServer>>;
      try {
        handle = await startServer({ db: o.db, port: o.port, host: o.host });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
          throw new UsageError(`无法监听 ${o.host}:${o.port}（${code}）`);
        throw err;
      }
      process.stdout.write(`nianbao 网页界面：${handle.url}/  （数据库 ${o.db}，只读；Ctrl+C 停止）\n`);
      if (!isLoopback(o.host))
        process.stderr.write(
          `注意：正在监听 ${o.host}，其他计算机也能访问 (listening beyond this machine)\n`,
        );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void handle.close().then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });

  const collect = (v: string, prev: string[] = []) => [...prev, v];
  program
    .command("crawl")
    .description("抓取机构网站，找到并导入年度报告（可中断，重复运行同一命令即继续）")
    .argument("[urls...]", "entry URLs or hosts (in addition to --seeds)")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("--seeds <file>", "agency catalogue, CSV or JSON (网站标识码, name, region, level, entry URL)")
    .option("--years <spec>", "report years to account for, e.g. 2021-2023 (default: the last three)")
    .option("-c, --concurrency <n>", "requests in flight over all hosts", intOption, 16)
    .option("--delay <ms>", "minimum gap between requests to one host", intOption, 1000)
    .option("--max-crawl-delay <ms>", "cap on robots.txt Crawl-delay", intOption, 10_000)
    .option("--max-depth <n>", "links followed from an entry page", intOption, 8)
    .option("--timeout <ms>", "longest single request", intOption, 120_000)
    .option("--max-bytes <n>", "largest response body", intOption, 64 * 1024 * 1024)
    .option("--contact <url-or-email>", "contact put in the User-Agent for site operators")
    .option("--warc <dir>", "write every request/response as WARC/1.1 with a CDXJ index")
    .option("--connect-to <host:port>", "connect every request to this address (tests, mirrors)")
    .option("--allow-host <host>", "treat a non-gov.cn host as in scope (repeatable)", collect)
    .option("--max-fetches <n>", "pause after this many requests", intOption)
    .option("--refresh", "new pass over known sites: re-check list pages (conditional GET), retry dead hosts")
    .option("--quiet", "no progress lines")
    .option("--json", "machine-readable summary and completion report")
    .action(async (urls: string[], o) => setExit(await runCrawl(urls, o)));

  program
    .command("completion")
    .description("每个机构每个年度的报告：已找到 / 未找到 / 被阻止 / 失败，发布日期与期限")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("--years <spec>", "years (default: those of the latest crawl)")
    .option("--json", "machine-readable output")
    .action((o) => setExit(runCompletion(o)));

  program
    .command("demo")
    .description("把自带样本导入数据库并打印审计结果")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .action(async (o) => setExit(await runDemo(o)));

  return program;
}

async function main(): Promise<void> {
  // `nianbao … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (e.code?.startsWith("commander.")) {
      process.exitCode = e.code === "commander.helpDisplayed" || e.code === "commander.version" ? 0 : 2;
      return;
    }
    if (
      err instanceof UsageError ||
      err instanceof CrawlUsageError ||
      (err as Error).name === "StoreError" ||
      (err as Error).name === "SqliteError"
    ) {
      process.stderr.write(`nianbao: ${(err as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`nianbao: 内部错误 ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  process.exitCode = code;
}

await main();
// OCR worker threads would keep the process alive: stop them once the command is done.
await closeOcr();
