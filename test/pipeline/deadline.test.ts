/** D.R4: publication after the Art. 49 deadline, the organ's level read from its name. */
import { describe, expect, it } from "vitest";
import type { ReportMeta } from "../../src/model/report.js";
import { organLevel, validate } from "../../src/pipeline/validate.js";

const meta = (organ: string | null, year: number, published_at: string | null): ReportMeta => ({
  title: null,
  organ,
  year,
  published_at,
  period: null,
  template: "v2021",
  templates: { t2: "v2021", t3: "v2021", t4: "v2021" },
});

const run = (m: ReportMeta) =>
  validate({
    cells: {},
    meta: m,
    found: { t2: true, t3: true, t4: true },
    t3RowsPrinted: 25,
    sectionsPresent: [
      "s1_overview",
      "s2_proactive",
      "s3_applications",
      "s4_review_litigation",
      "s5_problems",
      "s6_other",
    ],
    narrative: { s1: "" },
  }).filter((f) => f.rule === "D.R4");

describe("D.R4 deadline", () => {
  it("reads the organ's level from its name", () => {
    expect(organLevel("淮安市洪泽区人民政府")).toBe("government");
    expect(organLevel("平潭综合实验区")).toBe("government");
    expect(organLevel("乌海市教育局")).toBe("department");
    expect(organLevel("东川市人民政府办公室")).toBe("department");
    expect(organLevel("上海市科学技术委员会")).toBe("department");
    expect(organLevel("某某镇人民政府")).toBeNull(); // townships: Art. 49 names no deadline
    expect(organLevel(null)).toBeNull();
  });

  it("warns when a department publishes after 31 January or a government after 31 March", () => {
    expect(run(meta("乌海市教育局", 2022, "2023-01-31"))).toEqual([]);
    const late = run(meta("乌海市教育局", 2022, "2023-02-08"));
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      severity: "warning",
      origin: "source",
      expected: "≤ 2023-01-31",
      actual: "2023-02-08",
    });
    expect(run(meta("平潭综合实验区", 2024, "2025-03-10"))).toEqual([]);
    expect(run(meta("淮安市洪泽区人民政府", 2024, "2025-04-02"))).toHaveLength(1);
  });

  it("says nothing when the date or the level is unknown (uncertain is not late)", () => {
    expect(run(meta("乌海市教育局", 2022, null))).toEqual([]);
    expect(run(meta(null, 2022, "2023-12-01"))).toEqual([]);
    expect(run(meta("某某镇人民政府", 2022, "2023-12-01"))).toEqual([]);
  });
});
