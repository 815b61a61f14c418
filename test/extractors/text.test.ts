/** Text flattening styles beyond the committed samples. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractReport } from "../../src/pipeline/extract.js";
import { score, type Truth } from "../helpers/truth.js";

const seed = readFileSync("samples/real/seed-wuhai-edu-2022.txt", "utf8");
const truth = JSON.parse(readFileSync("samples/real/seed-wuhai-edu-2022.truth.json", "utf8")) as Truth;

/** The founding sample re-flattened: every table cell on a line of its own, no delimiter at all. */
function oneCellPerLine(text: string): string {
  return text
    .split("\n")
    .map((l) =>
      l.includes("|")
        ? l
            .split("|")
            .map((c) => c.trim())
            .filter(Boolean)
            .join("\n")
        : l,
    )
    .join("\n");
}

describe("text styles", () => {
  it("cells copied one per line with no delimiter rejoin their rows", async () => {
    const r = await extractReport({
      bytes: new TextEncoder().encode(oneCellPerLine(seed)),
      locator: "x.txt",
    });
    const s = score(r, truth);
    expect(s.wrong).toEqual([]);
    expect(r.status).toBe("ok");
  });

  it("full-width digits and ASCII brackets read like the official forms", async () => {
    const wide = seed
      .replace(/(?<=\| )11(?= \|)/g, "１１")
      .replaceAll("（", "(")
      .replaceAll("）", ")");
    const r = await extractReport({ bytes: new TextEncoder().encode(wide), locator: "x.txt" });
    expect(r.cells["t2.normative_documents.issued"]?.value).toBe(11);
    expect(score(r, truth).wrong).toEqual([]);
  });
});

describe("group subtotal rows", () => {
  it("a subtotal row per group (not in the template) is kept as an extra row, and the report stays exact", async () => {
    const withSub = seed
      .replace("(三)不予公开 | 1.属于国家秘密", "(三)不予公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n1.属于国家秘密")
      .replace("(四)无法提供 | 1.本机关", "(四)无法提供小计 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n1.本机关");
    const r = await extractReport({ bytes: new TextEncoder().encode(withSub), locator: "x.txt" });
    expect(score(r, truth).wrong).toEqual([]);
    expect(r.status).toBe("ok");
    expect(r.extra_rows.map((x) => x.label)).toEqual(["(三)不予公开", "(四)无法提供小计"]);
    expect(r.findings.map((f) => [f.rule, f.severity])).toEqual([
      ["X.EXTRA_ROW", "info"],
      ["X.EXTRA_ROW", "info"],
    ]);
  });
});

describe("table location", () => {
  it("prose citing 第二十条第（一）项 before the table does not open table 二", async () => {
    const cited = seed.replace(
      "(一)加强组织领导",
      "按照《条例》第二十条第(一)项的规定，本年度制发行政规范性文件99件。(一)加强组织领导",
    );
    const r = await extractReport({ bytes: new TextEncoder().encode(cited), locator: "x.txt" });
    expect(r.cells["t2.normative_documents.issued"]?.value).toBe(11);
    expect(score(r, truth).wrong).toEqual([]);
    expect(r.sections.s1_overview?.text).toMatch(/制发行政规范性文件99件/);
  });
});
