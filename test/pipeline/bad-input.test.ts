/** Bad input never throws: each case becomes a recorded, explained status on the document. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractReport } from "../../src/pipeline/extract.js";
import { encodeGbk } from "../../src/samples/gbk.js";

const enc = (s: string) => new TextEncoder().encode(s);
const extract = (bytes: Uint8Array, locator = "x.txt") => extractReport({ bytes, locator });

describe("bad input becomes a failed or partial report, never an exception", () => {
  it("empty file", async () => {
    const r = await extract(new Uint8Array());
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/空文件/);
  });

  it("binary garbage", async () => {
    const bytes = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = x & 0xff;
    }
    const r = await extract(bytes, "garbage.bin");
    expect(r.status).toBe("failed");
    expect(r.problems.join()).toMatch(/binary|控制字符|没有找到/);
  });

  it("an HTML page without tables", async () => {
    const r = await extract(
      enc("<html><head><title>通知</title></head><body><p>一、总体情况</p><p>无表格。</p></body></html>"),
      "a.html",
    );
    expect(r.status).toBe("failed");
    expect(r.source.format).toBe("html");
    expect(r.problems[0]).toMatch(/没有找到任何表格/);
  });

  it("a pre-2019 (legacy) report is recognised and rejected with that reason", async () => {
    const text =
      "某某县人民政府2017年政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息情况\n三、依申请公开政府信息情况\n四、咨询处理情况\n五、收费及减免情况";
    const r = await extract(enc(text));
    expect(r.status).toBe("failed");
    expect(r.meta.template).toBe("legacy");
    expect(r.problems[0]).toMatch(/legacy/);
  });

  it("a truncated table gives a partial report with the missing rows named", async () => {
    const r = await extract(readFileSync("samples/real/pages/www.lg.gov.cn__post_11956962.txt"));
    expect(r.status).toBe("partial");
    expect(r.cells["t3.new_requests.total"]?.value).toBe(66);
    expect(r.cells["t3.carried_forward.total"]?.source).toBe("missing");
    expect(r.findings.some((f) => f.rule === "D.R3" && /实际找到/.test(f.message))).toBe(true);
  });

  it("a truncated image is detected by its signature and recorded as corrupt, not a crash", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const r = await extract(png, "scan.png");
    expect(r.source.format).toBe("image");
    expect(r.source.format_evidence).toMatch(/PNG/);
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/corrupt image/);
  });

  it("a table that is not the format (no anchors) fails with an explanation", async () => {
    const r = await extract(
      enc("<table><tr><td>姓名</td><td>年龄</td></tr><tr><td>张三</td><td>30</td></tr></table>"),
      "x.html",
    );
    expect(r.status).toBe("failed");
    expect(r.problems[0]).toMatch(/不是年报统计表/);
  });

  it("a table printed with labels but no numbers is unfilled, not a table of zeros", async () => {
    const rows = [
      "三、收到和处理政府信息公开申请情况",
      "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |",
      "一、本年新收政府信息公开申请数量 | | | | | | | |",
      "二、上年结转政府信息公开申请数量 | | | | | | | |",
      "四、结转下年度继续办理 | | | | | | | |",
    ];
    const r = await extract(enc(rows.join("\n")));
    expect(r.cells["t3.new_requests.total"]?.value).toBeNull();
    expect(r.findings.some((f) => f.rule === "X.UNFILLED_TABLE")).toBe(true);
  });

  it("a text report in GBK with no declaration decodes by the GB18030 fallback and gives the same cells", async () => {
    const utf8 = readFileSync("samples/real/seed-wuhai-edu-2022.txt");
    const gbk = encodeGbk(utf8.toString("utf8"));
    expect(gbk.length).not.toBe(utf8.length);
    const a = await extract(utf8);
    const b = await extract(gbk);
    expect(b.source.charset).toBe("gb18030");
    expect(b.status).toBe("ok");
    expect(Object.fromEntries(Object.entries(b.cells).map(([p, c]) => [p, c.value]))).toEqual(
      Object.fromEntries(Object.entries(a.cells).map(([p, c]) => [p, c.value])),
    );
  });

  it("an HTML report whose tables are pictures is marked for OCR with the image addresses, not failed", async () => {
    const page = `<html><head><title>某县统计局2023年政府信息公开工作年度报告</title></head><body>
      <p>一、总体情况</p><p>2023年，我局……</p>
      <p>三、收到和处理政府信息公开申请情况</p><p><img src="/images/site_logo.png"><img src="/uploads/t3.jpg"></p>
      <p>四、政府信息公开行政复议、行政诉讼情况</p><p><img src="/uploads/t4.png"></p></body></html>`;
    const r = await extract(enc(page), "x.html");
    expect(r.status).toBe("partial");
    expect(r.needs_ocr).toEqual([
      { page: 1, reason: "image-table", detail: expect.stringContaining("/uploads/t3.jpg") },
    ]);
    expect(r.needs_ocr[0]?.detail).not.toMatch(/logo/);
    expect(r.findings.filter((f) => f.rule === "D.R3")).toEqual([]);
  });
});
