import { describe, expect, it } from "vitest";
import { bigramPhrase, bigramText, isAllHan } from "../../src/store/bigrams.js";
import { splitPath } from "../../src/store/codec.js";
import { routeTerm, snippet } from "../../src/store/search.js";

describe("bigrams", () => {
  it("renders Han runs as overlapping pairs and passes other text through", () => {
    expect(bigramText("行政复议3件")).toBe("行政 政复 复议 3 件");
    expect(bigramText("复议，诉讼")).toBe("复议 ， 诉讼");
    expect(bigramText("依申请公开 OA系统")).toBe("依申 申请 请公 公开 OA 系统");
    expect(bigramText("")).toBe("");
  });

  it("turns a Han term into a phrase of its bigrams", () => {
    expect(bigramPhrase("复议")).toBe('"复议"');
    expect(bigramPhrase("行政诉讼")).toBe('"行政 政诉 诉讼"');
    expect(() => bigramPhrase("议")).toThrow();
    expect(isAllHan("A类")).toBe(false);
  });

  it("routes each term to the index that answers it exactly", () => {
    expect(routeTerm("行政诉讼")).toBe("trigram");
    expect(routeTerm("12345")).toBe("trigram");
    expect(routeTerm("复议")).toBe("bigram");
    expect(routeTerm("3件")).toBe("scan");
    expect(routeTerm("议")).toBe("scan");
  });
});

describe("snippet", () => {
  it("marks every term occurrence, merging overlaps, in a window around the first hit", () => {
    expect(snippet("行政复议1件，行政诉讼2件", ["复议", "行政诉讼"])).toBe(
      "行政【复议】1件，【行政诉讼】2件",
    );
    expect(snippet("发生行政诉讼", ["行政诉讼", "诉讼"])).toBe("发生【行政诉讼】");
    const long = `${"甲".repeat(50)}复议${"乙".repeat(100)}`;
    const s = snippet(long, ["复议"]) ?? "";
    expect(s.startsWith("…")).toBe(true);
    expect(s.endsWith("…")).toBe(true);
    expect(s).toContain("【复议】");
    expect(snippet("无", ["复议"])).toBeNull();
  });
});

describe("splitPath", () => {
  it("takes the first segment as table and the last as column", () => {
    expect(splitPath("t3.denied.state_secret.total")).toEqual({
      tbl: "t3",
      rowKey: "denied.state_secret",
      colKey: "total",
    });
    expect(splitPath("t4.review.upheld")).toEqual({ tbl: "t4", rowKey: "review", colKey: "upheld" });
    expect(() => splitPath("t3.total")).toThrow();
    expect(() => splitPath("t3..")).toThrow();
    expect(() => splitPath("t3..total")).toThrow();
  });
});
