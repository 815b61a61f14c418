import { describe, expect, it } from "vitest";
import { decodeBytes } from "../../src/extractors/decode.js";
import { T3_ROWS_V2019, T3_ROWS_V2021, T4_PATHS, t2Paths, t3Paths } from "../../src/model/template.js";
import {
  type ExpectedFinding,
  type GeneratedReport,
  generateCorpus,
  generateReport,
  INJECTIONS,
  type Injection,
  renderReport,
  STYLES,
  type Template,
  t3Layout,
} from "../../src/samples/generator.js";
import { encodeGbk, renderHtml, renderHtmlString, splitRows } from "../../src/samples/render-html.js";
import { renderTextString } from "../../src/samples/render-text.js";

const TEMPLATES: Template[] = ["v2019", "v2021"];
const APPLICANTS = [
  "natural_person",
  "commercial_enterprise",
  "research_institution",
  "social_welfare_org",
  "legal_service_org",
  "other_org",
];
const COLS = [...APPLICANTS, "total"];

/**
 * An independent checker: works from the row list of the printed table, not from the generator's helpers,
 * so a slip in `consistencyFindings` cannot hide itself.
 */
function check(r: GeneratedReport): ExpectedFinding[] {
  const v = (p: string): number => {
    const x = r.cells[p];
    if (x === undefined) throw new Error(`missing cell ${p}`);
    return x;
  };
  const rows = (r.template === "v2019" ? T3_ROWS_V2019 : T3_ROWS_V2021).map((d) => d.key);
  const results = rows.slice(rows.indexOf("granted"), rows.indexOf("results_total"));
  const out: ExpectedFinding[] = [];
  for (const c of COLS) {
    const cells = [
      `t3.new_requests.${c}`,
      `t3.carried_over.${c}`,
      `t3.results_total.${c}`,
      `t3.carried_forward.${c}`,
    ];
    if (v(cells[0] ?? "") + v(cells[1] ?? "") - v(cells[2] ?? "") - v(cells[3] ?? "") !== 0) {
      out.push({ rule: "T3.R1", path: cells[0] ?? "", cells });
    }
  }
  for (const c of COLS) {
    const parts = results.map((row) => `t3.${row}.${c}`);
    let s = 0;
    for (const p of parts) s += v(p);
    if (s !== v(`t3.results_total.${c}`)) {
      out.push({ rule: "T3.R2", path: `t3.results_total.${c}`, cells: [...parts, `t3.results_total.${c}`] });
    }
  }
  for (const row of rows) {
    const parts = APPLICANTS.map((c) => `t3.${row}.${c}`);
    if (parts.reduce((a, p) => a + v(p), 0) !== v(`t3.${row}.total`)) {
      out.push({ rule: "T3.R3", path: `t3.${row}.total`, cells: [...parts, `t3.${row}.total`] });
    }
  }
  for (const g of ["review", "litigation_direct", "litigation_after_review"]) {
    const parts = ["upheld", "corrected", "other", "pending"].map((c) => `t4.${g}.${c}`);
    if (parts.reduce((a, p) => a + v(p), 0) !== v(`t4.${g}.total`)) {
      out.push({ rule: "T4.R1", path: `t4.${g}.total`, cells: [...parts, `t4.${g}.total`] });
    }
  }
  for (const row of ["regulations", "normative_documents"]) {
    if (r.template === "v2021" && v(`t2.${row}.issued`) > v(`t2.${row}.in_force`) + v(`t2.${row}.repealed`)) {
      out.push({
        rule: "T2.W1",
        path: `t2.${row}.issued`,
        cells: [`t2.${row}.issued`, `t2.${row}.repealed`, `t2.${row}.in_force`],
      });
    }
    if (r.template === "v2019" && v(`t2.${row}.newly_published`) > v(`t2.${row}.total_published`)) {
      out.push({
        rule: "T2v19.W1",
        path: `t2.${row}.newly_published`,
        cells: [`t2.${row}.newly_published`, `t2.${row}.total_published`],
      });
    }
  }
  return out;
}

const canon = (fs: ExpectedFinding[]): string[] =>
  fs.map((f) => `${f.rule} ${f.path} [${[...f.cells].sort().join(",")}]`).sort();

function decoded(r: GeneratedReport, style: (typeof STYLES)[number]): string {
  const { bytes, contentType } = renderReport(r, style);
  return decodeBytes(bytes, { contentType, html: style.startsWith("html") }).text;
}

describe("generateReport", () => {
  it("is deterministic: same seed, same truth and same bytes in every style", () => {
    for (const template of TEMPLATES) {
      const a = generateReport(42, { template, inject: ["T3.R2"] });
      const b = generateReport(42, { template, inject: ["T3.R2"] });
      expect(b).toEqual(a);
      for (const style of STYLES) expect(renderReport(b, style).bytes).toEqual(renderReport(a, style).bytes);
    }
    expect(generateReport(1, { template: "v2021" }).cells).not.toEqual(
      generateReport(2, { template: "v2021" }).cells,
    );
  });

  it("injecting a defect leaves every other number of the seed unchanged", () => {
    const clean = generateReport(7, { template: "v2021" });
    const bad = generateReport(7, { template: "v2021", inject: ["T4.R1"] });
    const changed = Object.keys(clean.cells).filter((p) => clean.cells[p] !== bad.cells[p]);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^t4\.\w+\.total$/);
  });

  it("has exactly the template's cells, in print order, all non-negative except v2019 `change`", () => {
    for (const template of TEMPLATES) {
      for (let seed = 0; seed < 50; seed++) {
        const r = generateReport(seed, { template });
        const expected = [
          ...t2Paths(template).map((p) => p.path),
          ...t3Paths(template === "v2019"),
          ...T4_PATHS,
        ];
        expect(Object.keys(r.cells)).toEqual(expected);
        for (const [p, v] of Object.entries(r.cells)) {
          if (!p.endsWith(".change")) expect(v, p).toBeGreaterThanOrEqual(0);
          if (!p.includes("amount")) expect(Number.isInteger(v), p).toBe(true);
        }
      }
    }
  });

  it("consistent reports satisfy every rule (independent checker)", () => {
    for (const template of TEMPLATES) {
      for (let seed = 0; seed < 400; seed++) {
        const r = generateReport(seed, { template, blanks: seed % 3 === 0 });
        expect(check(r), `${template} seed ${seed}`).toEqual([]);
        expect(r.expected_findings).toEqual([]);
      }
    }
  });

  it("each injection breaks exactly the rule instances its expected_findings list", () => {
    for (const template of TEMPLATES) {
      for (const what of INJECTIONS) {
        if (what === "T2.W1" && template === "v2019") continue;
        for (let seed = 0; seed < 60; seed++) {
          const r = generateReport(seed, { template, inject: [what] });
          const found = check(r);
          expect(canon(r.expected_findings), `${template} ${what} seed ${seed}`).toEqual(canon(found));
          expect(found.some((f) => f.rule === what)).toBe(true);
          expect(found.length).toBeLessThanOrEqual(2);
        }
      }
    }
  });

  it("injections follow the documented shapes", () => {
    const shape = (what: Injection, template: Template, seed: number): string[] =>
      generateReport(seed, { template, inject: [what] }).expected_findings.map((f) => f.rule);
    for (let seed = 0; seed < 30; seed++) {
      expect(shape("T3.R1", "v2021", seed)).toEqual(["T3.R1", "T3.R1"]);
      expect(shape("T3.R2", "v2019", seed)).toEqual(["T3.R2", "T3.R2"]);
      const r3 = shape("T3.R3", "v2021", seed);
      expect(r3).toContain("T3.R3");
      expect(r3).toHaveLength(2);
      expect(shape("T4.R1", "v2019", seed)).toEqual(["T4.R1"]);
      expect(shape("T2.W1", "v2021", seed)).toEqual(["T2.W1"]);
    }
    const r = generateReport(3, { template: "v2021", inject: ["T3.R1"] });
    expect(r.expected_findings.map((f) => f.path.split(".").slice(0, 2).join("."))).toEqual([
      "t3.new_requests",
      "t3.new_requests",
    ]);
    expect(r.expected_findings[1]?.path).toBe("t3.new_requests.total");
  });

  it("refuses T2.W1 for v2019", () => {
    expect(() => generateReport(1, { template: "v2019", inject: ["T2.W1"] })).toThrow();
  });

  it("prints money and signed values as publishers do", () => {
    let negatives = 0;
    let decimals = 0;
    for (let seed = 0; seed < 200; seed++) {
      const a = generateReport(seed, { template: "v2021" });
      const fee = a.printed["t2.admin_fees.amount_wan_yuan"] ?? "";
      expect(fee).toMatch(/^\d+(\.\d{1,6})?$/);
      expect(Number(fee)).toBe(a.cells["t2.admin_fees.amount_wan_yuan"]);
      if (fee.includes(".")) decimals++;
      const b = generateReport(seed, { template: "v2019" });
      for (const p of Object.keys(b.cells).filter((x) => x.endsWith(".change"))) {
        expect(b.printed[p]).toMatch(/^[-+]?\d+$/);
        if ((b.cells[p] ?? 0) < 0) negatives++;
      }
      const amount = b.printed["t2.central_procurement.amount"] ?? "";
      const unit = b.units["t2.central_procurement.amount"];
      const number = amount.replace(/万?元$/, "");
      expect(number).toMatch(/^\d+(\.\d+)?$/);
      expect(Number(number)).toBe(b.cells["t2.central_procurement.amount"]);
      if (unit) expect(amount.endsWith(unit)).toBe(true);
      else expect(amount).toBe("0");
      expect(b.templates).toEqual({ t2: "v2019", t3: "v2019", t4: "v2021" });
    }
    expect(negatives).toBeGreaterThan(10);
    expect(decimals).toBeGreaterThan(10);
  });

  it("blank cells are zeros printed empty, as a dash or a slash, never a whole table", () => {
    for (let seed = 0; seed < 50; seed++) {
      const r = generateReport(seed, { template: "v2021", blanks: true });
      expect(r.blank_cells.length).toBeGreaterThan(0);
      for (const p of r.blank_cells) {
        expect(r.cells[p]).toBe(0);
        expect(["", "—", "/"]).toContain(r.printed[p]);
      }
      for (const t of ["t2.", "t3.", "t4."]) {
        const all = Object.keys(r.cells).filter((p) => p.startsWith(t));
        expect(r.blank_cells.filter((p) => p.startsWith(t)).length).toBeLessThan(all.length);
      }
    }
  });

  it("section 一 quotes the number of applications received", () => {
    for (let seed = 0; seed < 20; seed++) {
      const r = generateReport(seed, { template: "v2021", inject: seed % 2 ? ["T3.R3"] : [] });
      const text = r.sections[0]?.paragraphs.join("") ?? "";
      expect(text).toContain(`本年共收到政府信息公开申请${r.cells["t3.new_requests.total"]}件`);
      expect(r.sections.map((s) => s.heading)).toEqual([
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
      ]);
    }
  });
});

describe("renderers", () => {
  it("every style carries the title, the statistical period and the publication date", () => {
    for (const template of TEMPLATES) {
      const r = generateReport(11, { template });
      for (const style of STYLES) {
        // Word wraps digits in <span lang=EN-US>; check the visible text.
        const raw = decoded(r, style);
        const text = style.startsWith("html") ? raw.replace(/<[^>]+>/g, "") : raw;
        expect(text, style).toContain(`${r.organ}${r.year}年政府信息公开工作年度报告`);
        expect(text, style).toContain(`本报告所列数据的统计期限自${r.year}年1月1日起至${r.year}年12月31日止`);
        if (style.startsWith("html"))
          expect(raw).toContain(`<meta name="PubDate" content="${r.publishedAt}">`);
        else expect(text).toContain(`发布时间: ${r.publishedAt}`);
        expect(r.publishedAt).toMatch(new RegExp(`^${r.year + 1}-01-2\\d$`));
      }
    }
  });

  it("GBK pages decode back to the same text with gb18030, and the charset sniffing agrees", () => {
    for (const template of TEMPLATES) {
      const r = generateReport(5, { template });
      for (const style of ["html-word-gbk", "html-gbk-nodecl"] as const) {
        const html = renderHtmlString(r, style);
        const { bytes } = renderHtml(r, style);
        expect(new TextDecoder("gb18030", { fatal: true }).decode(bytes)).toBe(html);
        expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
        expect(decodeBytes(bytes, { html: true }).charset).toBe("gb18030");
      }
      expect(renderHtmlString(r, "html-word-gbk")).toMatch(/charset=gb2312/);
      expect(renderHtmlString(r, "html-gbk-nodecl")).not.toMatch(/charset/i);
    }
    expect(encodeGbk("A中“文”—（）")).toEqual(
      new Uint8Array([
        0x41, 0xd6, 0xd0, 0xa1, 0xb0, 0xce, 0xc4, 0xa1, 0xb1, 0xa1, 0xaa, 0xa3, 0xa8, 0xa3, 0xa9,
      ]),
    );
  });

  it("clean HTML has the official spans", () => {
    const v21 = renderHtmlString(generateReport(1, { template: "v2021" }), "html-clean");
    const v19 = renderHtmlString(generateReport(1, { template: "v2019" }), "html-clean");
    expect(v21).toContain('<td rowspan="22">三、本年度办理结果</td>');
    expect(v19).toContain('<td rowspan="20">三、本年度办理结果</td>');
    expect(v21).toContain('<td rowspan="3" colspan="3">（本列数据的勾稽关系为：');
    expect(v21).toContain('<td colspan="7">申请人情况</td>');
    expect(v21).toContain('<td rowspan="8">（三）不予公开</td>');
    expect(v21).toContain('<td rowspan="3">（六）其他处理</td>');
    expect(v19).toContain('<td colspan="2">（六）其他处理</td>');
    expect(v21).toMatch(/<td>行政许可<\/td><td colspan="3">/);
  });

  it("Word export keeps Word's markup quirks", () => {
    const html = renderHtmlString(generateReport(2, { template: "v2019" }), "html-word-gbk");
    for (const s of [
      "<p class=MsoNormal",
      "<span lang=EN-US>",
      "<o:p></o:p>",
      "&nbsp;",
      "本年新<br>制作数量",
      "商业<br>企业",
    ]) {
      expect(html).toContain(s);
    }
  });

  it("splitting table 三 keeps every value in its column", () => {
    for (const template of TEMPLATES) {
      const t = t3Layout(generateReport(9, { template }));
      for (let at = t.headerRows + 1; at < t.rows.length; at++) {
        const [a, b] = splitRows(t, at);
        // Place cells the way a browser does (skipping slots covered by spans from above).
        const valueColumns = (rows: typeof a): number[][] => {
          const cover = new Array<number>(10).fill(0);
          const out: number[][] = [];
          for (const row of rows) {
            let col = 0;
            const cols: number[] = [];
            for (const c of row) {
              while ((cover[col] ?? 0) > 0) col++;
              if (c.role === "value") cols.push(col);
              for (let k = 0; k < c.colspan; k++) cover[col + k] = c.rowspan;
              col += c.colspan;
            }
            expect(col).toBeLessThanOrEqual(10);
            for (let k = 0; k < 10; k++) cover[k] = Math.max(0, (cover[k] ?? 0) - 1);
            if (cols.length) out.push(cols);
          }
          return out;
        };
        const all = [...valueColumns(a), ...valueColumns(b)];
        expect(all).toHaveLength(t.rows.length - t.headerRows);
        for (const cols of all) expect(cols).toEqual([3, 4, 5, 6, 7, 8, 9]);
      }
    }
  });

  it("text renderings print each table-3 row's seven numbers after its label", () => {
    for (const template of TEMPLATES) {
      const r = generateReport(21, { template });
      for (const style of [
        "text-pipe",
        "text-markdown",
        "text-cell-lines",
        "text-tsv",
        "text-aligned",
      ] as const) {
        const text = renderTextString(r, style).normalize("NFKC");
        const flat = style === "text-cell-lines" ? text.replace(/ \|\n/g, " | ") : text;
        for (const d of template === "v2019" ? T3_ROWS_V2019 : T3_ROWS_V2021) {
          const label = d.label.normalize("NFKC");
          const line = flat.split("\n").find((l) => l.includes(label));
          expect(line, `${style} ${d.key}`).toBeDefined();
          const after = (line ?? "").slice((line ?? "").indexOf(label) + label.length);
          const nums = (after.match(/\d+/g) ?? []).slice(0, 7).map(Number);
          expect(nums, `${style} ${d.key}`).toEqual(
            ["natural_person", ...APPLICANTS.slice(1), "total"].map((c) => r.cells[`t3.${d.key}.${c}`]),
          );
        }
      }
    }
  });
});

describe("generateCorpus", () => {
  it("is deterministic, mixes styles, and produces truth in the real-file format", () => {
    const a = generateCorpus(30, 99);
    const b = generateCorpus(30, 99);
    expect(b.map((x) => x.bytes)).toEqual(a.map((x) => x.bytes));
    expect(new Set(a.map((x) => x.style)).size).toBe(STYLES.length);
    for (const item of a) {
      expect(Object.keys(item.truth).slice(0, 9)).toEqual([
        "id",
        "file",
        "kind",
        "year",
        "organ",
        "templates",
        "cells",
        "blank_cells",
        "expected_findings",
      ]);
      expect(item.truth.file).toBe(`${item.id}.${item.ext}`);
    }
  });

  it("generates 1000 reports quickly", () => {
    generateCorpus(5, 1); // builds the GBK table outside the timing
    const t0 = performance.now();
    const items = generateCorpus(1000, 2024);
    const ms = performance.now() - t0;
    expect(items).toHaveLength(1000);
    expect(ms).toBeLessThan(3000);
  });
});
