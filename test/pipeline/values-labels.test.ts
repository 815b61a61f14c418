import { describe, expect, it } from "vitest";
import { normalizeLabel } from "../../src/model/normalize.js";
import { T3_ALL_ROWS, T4_PATHS } from "../../src/model/template.js";
import { captionBlock, matchRowLabel } from "../../src/pipeline/labels.js";
import { parseValue } from "../../src/pipeline/values.js";

describe("parseValue", () => {
  it("reads blanks, dashes, slashes and 无 as 0 with their own source flag", () => {
    expect(parseValue("", "count")).toEqual({ value: 0, source: "blank" });
    expect(parseValue("—", "count")).toEqual({ value: 0, source: "dash" });
    expect(parseValue("－", "count")).toEqual({ value: 0, source: "dash" });
    expect(parseValue("/", "count")).toEqual({ value: 0, source: "dash" });
    expect(parseValue("／", "count")).toEqual({ value: 0, source: "dash" });
    expect(parseValue("无", "count")).toEqual({ value: 0, source: "none" });
  });

  it("keeps the number and the note of an annotated cell", () => {
    expect(parseValue("22（其中修订16件）", "count")).toMatchObject({
      value: 22,
      source: "printed",
      note: "(其中修订16件)",
    });
  });

  it("reads full-width digits", () => {
    expect(parseValue("１２３", "count")).toMatchObject({ value: 123, source: "printed" });
  });

  it("keeps money exact and converts 元 to 万元 only when the column's unit is 万元", () => {
    expect(parseValue("7730.28", "money", "万元")).toMatchObject({ value: 7730.28, decimal: "7730.28" });
    expect(parseValue("251000元", "money", "万元")).toMatchObject({
      value: 25.1,
      decimal: "25.1",
      unit: "万元",
    });
    expect(parseValue("75394432.52元", "money")).toMatchObject({
      value: 75394432.52,
      decimal: "75394432.52",
      unit: "元",
    });
    expect(parseValue("0.1", "money").decimal).toBe("0.1");
  });

  it("reads signed changes", () => {
    expect(parseValue("-8", "signed").value).toBe(-8);
    expect(parseValue("+1036", "signed").value).toBe(1036);
  });

  it("marks text that is not a number as unreadable", () => {
    expect(parseValue("若干", "count").source).toBe("unreadable");
    expect(parseValue("1.5", "count").source).toBe("unreadable");
  });
});

describe("label matching", () => {
  const key = (labels: string[]) => matchRowLabel(labels, T3_ALL_ROWS)?.row.key ?? null;

  it("maps a corrupted PDF label by its remaining keywords", () => {
    expect(key(["2.其他法律行政止公开"])).toBe("denied.prohibited_by_law");
  });

  it("takes the row's own label, not the group label printed beside it", () => {
    expect(
      key([
        "三、本年度办理结果",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
      ]),
    ).toBe("other.no_correction");
    expect(key(["（六）其他处理"])).toBe("other.subtotal");
    expect(key(["（三）不予公开1.属于国家秘密"])).toBe("denied.state_secret");
  });

  it("tolerates spaces, ASCII brackets and straight quotes", () => {
    expect(key(["三 、本 年 度办 理 结果 (七) 总 计"])).toBe("results_total");
    expect(key(['3.危及"三安全一稳定"'])).toBe("denied.security_stability");
    expect(key(["(二)部分公开(区分处理的,只计这一情形,不计其他情形)"])).toBe("partially_granted");
  });

  it("finds a row label after glued header text", () => {
    expect(
      key([
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量",
      ]),
    ).toBe("new_requests");
  });

  it("normalises list numbers and brackets", () => {
    expect(normalizeLabel("1、属于国家秘密")).toBe("1.属于国家秘密");
    expect(normalizeLabel("（七） 总计")).toBe("(七)总计");
    expect(captionBlock("第二十条第（八）项")).toBe("art20_8");
    expect(captionBlock("第二十条  第(五)项")).toBe("art20_5");
  });

  it("has 15 table-4 paths", () => {
    expect(T4_PATHS).toHaveLength(15);
  });
});
