/**
 * A small real store for the web tests: bundled samples ingested into a temp dir, plus one text
 * report carrying script payloads in its preamble, a narrative section, a table-3 label line and
 * its own file name. Each test file starts its own server on 127.0.0.1, port 0.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ingestFiles } from "../../src/pipeline/ingest.js";
import { openStore } from "../../src/store/store.js";
import { type ServerHandle, startServer } from "../../src/web/server.js";

export const SCRIPT = "<script>alert(1)</script>";
export const IMG = "<img src=x onerror=alert(1)>";
/** File names with a payload: locators are stored text like any other. */
export const EVIL_NAME = `evil-${IMG}.txt`;
/** An empty file: a failed run, listed by locator on the overview. */
export const EVIL_FAILED = `empty-${IMG}.txt`;

const SAMPLES = [
  "samples/real/seed-wuhai-edu-2022.txt",
  ...[2019, 2020, 2021, 2022, 2023].map((y) => `samples/real/pingtan/pingtan-${y}.txt`),
  "samples/generated/gen-v2019-inj-t3r1-html-blanks.html",
  "samples/generated/gen-v2021-html-gbk-nodecl-1.html",
  "samples/generated/gen-v2021-inj-t3r1-html-clean.html",
  "samples/real/hzq2024.pdf",
];

/** The seed report with payloads: preamble, section 一, an extra row in 表三 and a label. */
function evilText(): string {
  let s = readFileSync("samples/real/seed-wuhai-edu-2022.txt", "utf8");
  s = `乌海市教育局${SCRIPT}2022年政府信息公开工作年度报告${IMG}\n${s}`;
  s = s.replace("政府信息公开工作得到规范和加强。", `政府信息公开工作得到规范和加强。${SCRIPT}复议${IMG}`);
  s = s.replace("8.属于行政查询事项 |", `8.属于行政查询事项${IMG} |`);
  s = s.replace(
    "二、上年结转政府信息公开申请数量 |",
    `${SCRIPT}${IMG}额外行 | 1 | 2 | 3 | 4 | 5 | 6 | 21 | |\n二、上年结转政府信息公开申请数量 |`,
  );
  return s;
}

export interface Fixture {
  dir: string;
  db: string;
  server: ServerHandle;
  get(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function buildFixture(): Promise<Fixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nianbao-web-"));
  const inputs = path.join(dir, "in");
  mkdirSync(inputs);
  const files = SAMPLES.map((f) => {
    const to = path.join(inputs, path.basename(f));
    copyFileSync(f, to);
    return to;
  });
  const evil = path.join(inputs, EVIL_NAME);
  writeFileSync(evil, evilText());
  files.push(evil);
  const failed = path.join(inputs, EVIL_FAILED);
  writeFileSync(failed, "");
  files.push(failed);

  const db = path.join(dir, "web.db");
  const store = openStore(db);
  try {
    await ingestFiles(store, files);
  } finally {
    store.close();
  }
  const server = await startServer({ db, port: 0 });
  return {
    dir,
    db,
    server,
    get: (p, init) => fetch(`${server.url}${p}`, init),
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
