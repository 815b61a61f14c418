import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractHtml, normaliseDate } from "../../src/extractors/html.js";
import { UnreadableInputError } from "../../src/extractors/types.js";
import type { Grid } from "../../src/model/grid.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const run = (html: string | Uint8Array, contentType?: string) =>
  extractHtml({
    bytes: typeof html === "string" ? utf8(html) : html,
    locator: "test",
    ...(contentType ? { contentType } : {}),
  });

/**
 * Renders a grid to its slots: the cell's text where a cell starts, `<` where a colspan covers the slot,
 * `^` where a rowspan from above covers it, `∅` where nothing does. Makes span placement readable in asserts.
 */
function slots(grid: Grid): string[][] {
  const out = Array.from({ length: grid.rows }, () => Array.from({ length: grid.cols }, () => "∅"));
  for (const c of grid.cells) {
    for (let r = c.row; r < c.row + c.rowSpan; r++) {
      for (let k = c.col; k < c.col + c.colSpan; k++) {
        const line = out[r];
        if (!line) throw new Error(`cell ${c.loc.row},${c.loc.col} spills outside the grid`);
        if (line[k] !== "∅") throw new Error(`slot ${r},${k} covered twice`);
        line[k] = r === c.row && k === c.col ? c.text : r === c.row ? "<" : "^";
      }
    }
  }
  return out;
}

/** GBK/GB18030 encoder for tests, built by inverting TextDecoder over the two-byte code space. */
let gbkTable: Map<string, number[]> | null = null;
function gbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder("gb18030");
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== "\ufffd" && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbkTable.get(ch);
      if (!pair) throw new Error(`no GBK code for ${ch}`);
      bytes.push(...pair);
    }
  }
  return new Uint8Array(bytes);
}

const fixture = (name: string): Uint8Array =>
  readFileSync(new URL(`../fixtures/html/${name}`, import.meta.url));

describe("extractHtml: spans", () => {
  it("places table-3 header cells at their true columns", () => {
    const { grids } = run(`<table>
      <tr><td rowspan=3 colspan=3>勾稽关系</td><td colspan=7>申请人情况</td></tr>
      <tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>
      <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
      <tr><td colspan=3>一、本年新收</td><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>21</td></tr>
    </table>`);
    expect(grids).toHaveLength(1);
    const g = grids[0]!;
    expect([g.rows, g.cols]).toEqual([4, 10]);
    expect(slots(g)).toEqual([
      ["勾稽关系", "<", "<", "申请人情况", "<", "<", "<", "<", "<", "<"],
      ["^", "^", "^", "自然人", "法人或其他组织", "<", "<", "<", "<", "总计"],
      ["^", "^", "^", "^", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "^"],
      ["一、本年新收", "<", "<", "1", "2", "3", "4", "5", "6", "21"],
    ]);
    const corner = g.cells[0]!;
    expect(corner).toMatchObject({ row: 0, col: 0, rowSpan: 3, colSpan: 3 });
    expect(corner.loc).toEqual({ grid: g.id, row: 0, col: 0 });
    const total = g.cells.find((c) => c.text === "总计")!;
    expect(total).toMatchObject({ row: 1, col: 9, rowSpan: 2, colSpan: 1 });
  });

  it("nested group rowspans push later cells right, row by row", () => {
    const { grids } = run(`<table>
      <tr><td rowspan=3>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>5</td></tr>
      <tr><td rowspan=2>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>
      <tr><td>2.其他法律行政法规禁止公开</td><td>0</td></tr>
      <tr><td colspan=3>四、结转下年度继续办理</td><td>7</td></tr>
    </table>`);
    expect(slots(grids[0]!)).toEqual([
      ["三、本年度办理结果", "（一）予以公开", "<", "5"],
      ["^", "（三）不予公开", "1.属于国家秘密", "0"],
      ["^", "^", "2.其他法律行政法规禁止公开", "0"],
      ["四、结转下年度继续办理", "<", "<", "7"],
    ]);
  });

  it("clamps rowspans that overrun the table and treats rowspan=0 as 'to the end'", () => {
    const { grids } = run(`<table>
      <tr><td rowspan=0>A</td><td>1</td></tr>
      <tr><td>2</td></tr>
      <tr><td rowspan=20>3</td></tr>
    </table>`);
    const g = grids[0]!;
    expect(slots(g)).toEqual([
      ["A", "1"],
      ["^", "2"],
      ["^", "3"],
    ]);
    expect(g.cells.map((c) => c.rowSpan)).toEqual([3, 1, 1, 1]);
  });

  it("ignores junk span values and keeps rowspans across stray <tbody> wrappers", () => {
    const { grids } = run(`<table>
      <tbody><tr><td rowspan="2px">A</td><td colspan="x">1</td><td colspan="-3">2</td></tr></tbody>
      <tbody><tr><td>3</td><td>4</td></tr></tbody>
    </table>`);
    expect(slots(grids[0]!)).toEqual([
      ["A", "1", "2"],
      ["^", "3", "4"],
    ]);
  });

  it("pads ragged rows with uncovered slots", () => {
    const { grids } = run("<table><tr><td>a</td><td>b</td><td>c</td></tr><tr><td>d</td></tr></table>");
    expect(slots(grids[0]!)).toEqual([
      ["a", "b", "c"],
      ["d", "∅", "∅"],
    ]);
  });
});

describe("extractHtml: cell text", () => {
  it("reads Word-exported cells without markup junk", () => {
    const { grids, narrative, title, publishedAt, warnings } = run(fixture("word-export-t3.html"));
    expect(warnings).toEqual([]);
    expect(grids).toHaveLength(1);
    const s = slots(grids[0]!);
    expect(s[0]![0]).toBe("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
    expect(s[2]!.slice(4)).toEqual(["商业 企业", "科研 机构", "社会公益 组织", "法律服务 机构", "其他", "^"]);
    expect(s[3]).toEqual(["一、本年新收政府信息公开申请数量", "<", "<", "12", "1", "0", "0", "0", "", "13"]);
    expect(s[6]).toEqual(["^", "^", "2.其他法律行政法规禁止公开", "0", "0", "0", "0", "0", "0", "0"]);
    const all = grids[0]!.cells.map((c) => c.text).join("|");
    expect(all).not.toMatch(/[<>]|o:p|Mso|\[if|endif|\u00a0/);
    expect(title).toBe("某某区人民政府2023年政府信息公开工作年度报告");
    expect(publishedAt).toBe("2024-01-15");
    expect(narrative).toBe("三、收到和处理政府信息公开申请情况\n\n四、政府信息公开行政复议、行政诉讼情况");
  });

  it("turns <br>, block boundaries and &nbsp; into single spaces", () => {
    const { grids } = run(`<table><tr>
      <td>本年新<br />制作数量</td>
      <td><p>本年</p><p>废止件数</p></td>
      <td>&nbsp;&nbsp;12&nbsp;</td>
      <td><p class=MsoNormal><span lang=EN-US>0<o:p></o:p></span></p></td>
      <td>  现行
        有效件数 </td>
      <td><font face="宋体"><b>规</b>章</font><!-- 注释 --></td>
    </tr></table>`);
    expect(grids[0]!.cells.map((c) => c.text)).toEqual([
      "本年新 制作数量",
      "本年 废止件数",
      "12",
      "0",
      "现行 有效件数",
      "规章",
    ]);
  });

  it("keeps script, style and hidden elements out of cells", () => {
    const { grids } =
      run(`<table><tr><td>A<script>x()</script><style>.a{}</style><span style="display: none">隐藏</span></td>
      <td>B</td></tr></table>`);
    expect(grids[0]!.cells.map((c) => c.text)).toEqual(["A", "B"]);
  });
});

describe("extractHtml: which tables become grids", () => {
  it("emits the inner tables of a layout wrapper, in document order, with page-order ids", () => {
    const { grids, narrative } = run(`<table id=layout><tr><td>
      <p>一、总体情况</p>
      <table><tr><td>规章</td><td>3</td></tr></table>
      <p>三、收到和处理政府信息公开申请情况</p>
      <table><tr><td><table><tr><td>自然人</td><td>4</td></tr></table></td></tr></table>
      <table><tr><td>总计</td><td>5</td></tr></table>
    </td></tr></table>`);
    expect(grids.map((g) => g.id)).toEqual(["html:table[2]", "html:table[4]", "html:table[5]"]);
    expect(grids.map((g) => g.cells[0]!.text)).toEqual(["规章", "自然人", "总计"]);
    expect(grids.every((g) => g.origin === "html")).toBe(true);
    expect(narrative).toBe("一、总体情况\n\n三、收到和处理政府信息公开申请情况");
  });

  it("emits both halves of a table split into two <table>s, in order", () => {
    const { grids } =
      run(`<table><tr><td>一、本年新收</td><td>1</td></tr><tr><td>二、上年结转</td><td>0</td></tr></table>
      <p>　</p>
      <table><tr><td>四、结转下年度继续办理</td><td>2</td></tr></table>`);
    expect(grids.map((g) => slots(g))).toEqual([
      [
        ["一、本年新收", "1"],
        ["二、上年结转", "0"],
      ],
      [["四、结转下年度继续办理", "2"]],
    ]);
  });

  it("drops tables whose cells are all empty and keeps one-column text boxes as prose", () => {
    const { grids, narrative, warnings } = run(`<table><tr><td>&nbsp;</td><td> </td></tr></table>
      <table><tr><td><p>一、总体情况</p><p>本机关认真贯彻落实条例。</p></td></tr></table>`);
    expect(grids).toEqual([]);
    expect(narrative).toBe("一、总体情况\n本机关认真贯彻落实条例。");
    expect(warnings).toEqual(["no data table in HTML page (2 <table> elements, all layout or empty)"]);
  });

  it("returns caption and misplaced table text to the narrative, before the table", () => {
    const { grids, narrative } = run(
      "<p>前</p><table><caption>表一</caption><tr><td>a</td><td>1</td></tr>错位文字<tr><td>b</td><td>2</td></tr></table><p>后</p>",
    );
    expect(slots(grids[0]!)).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    expect(narrative).toBe("前\n表一\n错位文字\n\n后");
  });

  it("survives implied end tags", () => {
    const { grids } = run("<table><tr><td>a<td>b<tr><td>c<td><p>d<p>e</table><p>after");
    expect(slots(grids[0]!)).toEqual([
      ["a", "b"],
      ["c", "d e"],
    ]);
  });
});

describe("extractHtml: narrative", () => {
  it("keeps headings between tables, drops table text, scripts, styles and head", () => {
    const { narrative } = run(`<html><head><title>标题不进正文</title><style>p{}</style></head><body>
      <h1>2023年政府信息公开工作年度报告</h1>
      <div>　　一、总体情况</div><p>本年度   共主动公开
      信息<b>100</b>条。<br>第二行</p>
      <script>document.write("脚本")</script>
      <table><tr><td>四、结转下年度继续办理</td><td>3</td></tr></table>
      <p>三、收到和处理政府信息公开申请情况</p>
      <table><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td></tr></table>
      <ul><li>甲</li><li>乙</li></ul>
      <p></p><p></p><br><br><br><br>
      <p>六、其他需要报告的事项</p></body></html>`);
    expect(narrative).toBe(
      [
        "2023年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度 共主动公开 信息100条。",
        "第二行",
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        "甲",
        "乙",
        "",
        "六、其他需要报告的事项",
      ].join("\n"),
    );
    expect(narrative).not.toContain("结转下年度");
    expect(narrative).not.toContain("脚本");
    expect(narrative).not.toContain("标题不进正文");
  });
});

describe("extractHtml: metadata", () => {
  it("prefers ArticleTitle, then <title>, then the first h1/h2", () => {
    expect(run('<meta name="ArticleTitle" content=" 年报 "><title>年报_网站</title>').title).toBe("年报");
    expect(run("<title>\n 年报_网站 </title><h1>标题</h1>").title).toBe("年报_网站");
    expect(run("<p>x</p><h2>二级</h2><h1>一级</h1>").title).toBe("二级");
    expect(run("<p>x</p>").title).toBeNull();
  });

  it("reads the publication date from the CMS meta tags", () => {
    expect(run('<meta name="PubDate" content="2024-01-15 10:00">').publishedAt).toBe("2024-01-15");
    expect(run('<meta name="pubdate" content="2024/1/5">').publishedAt).toBe("2024-01-05");
    expect(run('<meta name="firstpublishedtime" content="2023-12-31-09:00:00">').publishedAt).toBe(
      "2023-12-31",
    );
    expect(run('<meta name="PublishDate" content="2022年3月9日">').publishedAt).toBe("2022-03-09");
    expect(run('<meta name="PubDate" content="不详">').publishedAt).toBeNull();
    expect(run("<p>x</p>").publishedAt).toBeNull();
  });

  it("normalises only real dates", () => {
    expect(normaliseDate("20240115")).toBe("2024-01-15");
    expect(normaliseDate("2024-02-30")).toBeNull();
    expect(normaliseDate("2024-13-01")).toBeNull();
  });
});

describe("extractHtml: charset", () => {
  const page = (meta: string) =>
    `<html><head>${meta}<title>年报</title></head><body><table><tr><td>总计</td><td>5</td></tr></table></body></html>`;

  it("builds GBK bytes the tests rely on", () => {
    expect([...gbk("年报")]).toEqual([0xc4, 0xea, 0xb1, 0xa8]);
  });

  it("decodes GBK declared as gb2312", () => {
    const r = run(gbk(page('<meta charset="gb2312">')));
    expect([r.charset, r.charsetEvidence, r.title]).toEqual(["gb18030", "meta", "年报"]);
    expect(r.grids[0]!.cells[0]!.text).toBe("总计");
  });

  it("decodes GBK with no declaration", () => {
    const r = run(gbk(page("")));
    expect([r.charset, r.charsetEvidence, r.title]).toEqual(["gb18030", "valid-gb18030-fallback", "年报"]);
    expect(r.warnings).toEqual([]);
  });

  it("falls through to GB18030 when GBK bytes are declared utf-8", () => {
    const r = run(gbk(page('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">')));
    expect([r.charset, r.title]).toEqual(["gb18030", "年报"]);
    // The wrong declaration is recorded as evidence; a clean fallback is not a problem of the document.
    expect(r.charsetEvidence).toBe(
      "valid-gb18030-fallback; charset: <meta> declares utf-8 but the bytes are not valid utf-8; decoded as gb18030",
    );
    expect(r.warnings).toEqual([]);
  });

  it("lets a valid HTTP header charset win over the meta tag", () => {
    const r = run(gbk(page('<meta charset="utf-8">')), "text/html; charset=GBK");
    expect([r.charset, r.charsetEvidence, r.title]).toEqual(["gb18030", "http-header", "年报"]);
  });

  it("honours a UTF-8 BOM over a wrong meta tag", () => {
    const body = utf8(page('<meta charset="gbk">'));
    const r = run(new Uint8Array([0xef, 0xbb, 0xbf, ...body]));
    expect([r.charset, r.charsetEvidence, r.title]).toEqual(["utf-8", "bom", "年报"]);
  });
});

describe("extractHtml: bad input", () => {
  it("throws UnreadableInputError('empty') for zero bytes", () => {
    expect(() => run(new Uint8Array())).toThrow(UnreadableInputError);
    try {
      run(new Uint8Array());
    } catch (err) {
      expect((err as UnreadableInputError).code).toBe("empty");
    }
  });

  it("returns no grids and a warning for a page without tables", () => {
    const r = run("<html><body><p>一、总体情况</p></body></html>");
    expect(r.grids).toEqual([]);
    expect(r.narrative).toBe("一、总体情况");
    expect(r.warnings).toEqual(["no <table> in HTML page"]);
  });

  it("does not crash on binary garbage", () => {
    let seed = 42;
    const bytes = new Uint8Array(20_000).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 16;
    });
    const r = run(bytes);
    expect(r.grids).toEqual([]);
    expect(r.warnings.some((w) => w.startsWith("input does not look like HTML text"))).toBe(true);
  });

  it("does not overflow the stack on absurdly deep nesting", () => {
    const deep = "<font>".repeat(20_000) + "<table><tr><td>a</td><td>1</td></tr></table>";
    const r = run(deep);
    expect(r.grids).toHaveLength(1);
  });
});

describe("extractHtml: performance", () => {
  it("extracts a 100 KB Word-style page in a few milliseconds", () => {
    const cell = (t: string) =>
      `<td><p class=MsoNormal align=center><span lang=EN-US style='font-size:10.5pt'>${t}<o:p></o:p></span></p></td>`;
    const row = (i: number) =>
      `<tr>${cell(`行${i}`)}${Array.from({ length: 7 }, (_, j) => cell(String(i * j))).join("")}</tr>`;
    const table = `<table border=1>${Array.from({ length: 30 }, (_, i) => row(i)).join("")}</table>`;
    const html = `<html><body>${Array.from({ length: 4 }, (_, t) => `<p>段落${t}</p>${table}`).join("")}</body></html>`;
    const bytes = utf8(html);
    expect(bytes.length).toBeGreaterThan(90_000);
    for (let i = 0; i < 5; i++) run(bytes); // warm up the JIT
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const t0 = performance.now();
      const r = run(bytes);
      times.push(performance.now() - t0);
      expect(r.grids).toHaveLength(4);
    }
    times.sort((a, b) => a - b);
    // Median; the bound is loose so a busy CI machine does not flake (≈5 ms on a dev box).
    expect(times[4]!).toBeLessThan(50);
  });
});
