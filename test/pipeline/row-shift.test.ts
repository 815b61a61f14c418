/**
 * A row with more or fewer value cells than its table has columns was read by position, so a value
 * may sit in its neighbour's column (OCR added or lost a rule; flattening dropped a cell). Such a
 * row is never silent: a finding names every cell of it, in tables 二, 三 and 四 alike, and the
 * report is partial.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { T4_PATHS } from "../../src/model/template.js";
import { extractReport } from "../../src/pipeline/extract.js";

const base = readFileSync("samples/generated/gen-v2021-text-pipe-1.txt", "utf8");

async function extract(text: string) {
  return extractReport({ bytes: Buffer.from(text, "utf8"), locator: "row-shift.txt" });
}

function replaceLine(text: string, starts: string, line: string): string {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.startsWith(starts));
  expect(i).toBeGreaterThanOrEqual(0);
  lines[i] = line;
  return lines.join("\n");
}

describe("rows whose values do not fill their columns", () => {
  it("the untouched sample has no such finding", async () => {
    const r = await extract(base);
    expect(r.findings.filter((f) => f.rule === "X.EXTRA_VALUES" || f.rule === "X.MISSING_VALUES")).toEqual(
      [],
    );
  });

  it("a table 二 row with a value too many names the whole row", async () => {
    const r = await extract(replaceLine(base, "规章 |", "规章 | 0 | 0 | 0 | 7 |"));
    const f = r.findings.find((x) => x.rule === "X.EXTRA_VALUES");
    expect(f?.paths).toEqual(["t2.regulations.issued", "t2.regulations.repealed", "t2.regulations.in_force"]);
    expect(r.status).toBe("partial");
  });

  it("a table 三 row with a value too few names all seven cells", async () => {
    const r = await extract(
      replaceLine(base, "5.属于三类内部事务信息", "5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0"),
    );
    const f = r.findings.find((x) => x.rule === "X.MISSING_VALUES");
    expect(f?.paths).toHaveLength(7);
    expect(f?.paths.every((p) => p.startsWith("t3.denied.internal_affairs."))).toBe(true);
    expect(r.status).toBe("partial");
  });

  it("table 四 with values missing names all fifteen cells", async () => {
    const r = await extract(
      replaceLine(
        base,
        "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
      ),
    );
    const f = r.findings.find((x) => x.rule === "X.MISSING_VALUES");
    expect(f?.paths).toEqual([...T4_PATHS]);
    expect(r.status).toBe("partial");
  });
});
