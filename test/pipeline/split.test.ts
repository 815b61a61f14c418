import { describe, expect, it } from "vitest";
import { solveRows, splitRun } from "../../src/pipeline/split.js";

const count7 = {
  kinds: Array(7).fill("count"),
  check: (v: number[]) => v[6] === v.slice(0, 6).reduce((a, b) => a + b, 0),
} as const;

describe("splitRun", () => {
  it("recovers the pingtan row 21710000218 = 217|1|0|0|0|0|218 uniquely under the row sum", () => {
    const r = splitRun("21710000218", { ...count7, kinds: [...count7.kinds] });
    expect(r.splits).toEqual([["217", "1", "0", "0", "0", "0", "218"]]);
  });

  it("uses surviving spaces as boundaries: `20 0 00 0 121` = 20|0|0|0|0|1|21", () => {
    const r = splitRun("20 0 00 0 121", { ...count7, kinds: [...count7.kinds] });
    expect(r.splits).toEqual([["20", "0", "0", "0", "0", "1", "21"]]);
    expect(r.usedSpaces).toBe(true);
  });

  it("falls back to ignoring spaces when they are not cell boundaries", () => {
    // 2|0|0|0|0|0|2 printed with a stray space inside the first cell would be `2 000002`; here the
    // space splits `1` and `0` of a `10`: 10|0|0|0|0|0|10.
    const r = splitRun("1 000000 10", { ...count7, kinds: [...count7.kinds] });
    expect(r.splits).toContainEqual(["10", "0", "0", "0", "0", "0", "10"]);
  });

  it("never gives a number a leading zero", () => {
    const r = splitRun("007", { kinds: ["count", "count", "count"] });
    expect(r.splits).toEqual([["0", "0", "7"]]);
  });

  it("returns every admissible split when the row has no equation (t2), so callers can report ambiguity", () => {
    const r = splitRun("693665", { kinds: ["count", "count", "count"] });
    expect(r.splits.length).toBeGreaterThan(1);
    expect(r.splits).toContainEqual(["69", "3", "665"]);
  });

  it("reads signed changes and money with a unit", () => {
    expect(splitRun("2648-18538", { kinds: ["count", "signed", "count"] }).splits).toContainEqual([
      "2648",
      "-18",
      "538",
    ]);
    const money = splitRun("13575394432.52元", { kinds: ["count", "money"] }).splits;
    expect(money).toContainEqual(["135", "75394432.52元"]);
  });

  it("finds no split when the digits cannot fill the row sum", () => {
    expect(splitRun("1234567", { ...count7, kinds: [...count7.kinds] }).splits).toEqual([]);
  });

  it("stops at the limit and says so", () => {
    const r = splitRun("1".repeat(30), { kinds: Array(7).fill("count"), limit: 10 });
    expect(r.truncated).toBe(true);
    expect(r.splits).toHaveLength(10);
  });
});

describe("solveRows", () => {
  it("keeps only the combination that satisfies the table equations", () => {
    // Two rows with two readings each; the equation row0[0] + row1[0] = 10 singles out one pair.
    const candidates = [
      [[3], [4]],
      [[7], [5]],
    ];
    const { chosen } = solveRows(candidates, (c) => (c[0]![0]! + c[1]![0]! === 10 ? 1 : 0));
    expect(chosen).toEqual([[0], [0]]);
  });

  it("reports every reading that ties for best (ambiguous)", () => {
    const { chosen } = solveRows([[[1], [2]], [[3]]], () => 0);
    expect(chosen[0]).toEqual([0, 1]);
    expect(chosen[1]).toEqual([0]);
  });
});
