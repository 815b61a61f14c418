/**
 * Finds the three statistical tables inside flat text by their anchors (spec §2.3): tables are
 * located first and cut out, so the narrative splitter never mistakes table row `四、结转下年度继续办理`
 * for section 四. Anchors tolerate spaces and pipes between characters and both bracket widths.
 */

export interface Span {
  start: number;
  end: number;
}
export interface TableRegions {
  t2: Span | null;
  t3: Span | null;
  t4: Span | null;
}

const BRACKETS: Record<string, string> = {
  "(": "[(（]",
  "（": "[(（]",
  ")": "[)）]",
  "）": "[)）]",
  "、": "[、,，.．]",
  "：": "[:：]",
};

/** A regex source that matches `label` with any whitespace or pipes between its characters. */
export function fuzzySource(label: string): string {
  return [...label].map((ch) => BRACKETS[ch] ?? ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("[\\s|]*");
}

function fuzzy(label: string): RegExp {
  return new RegExp(fuzzySource(label), "g");
}

function firstMatch(text: string, res: RegExp[], from: number, to = text.length): Span | null {
  let best: Span | null = null;
  for (const re of res) {
    re.lastIndex = from;
    const m = re.exec(text);
    if (m && m.index < to && (!best || m.index < best.start))
      best = { start: m.index, end: m.index + m[0].length };
  }
  return best;
}

function lastMatch(text: string, re: RegExp, from: number, to: number): Span | null {
  re.lastIndex = from;
  let last: Span | null = null;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    last = { start: m.index, end: m.index + m[0].length };
  }
  return last;
}

const T2_CAPTION = new RegExp(`${fuzzySource("第二十条第")}[\\s|]*[(（][\\s|]*[一五六八九][\\s|]*[)）]`, "g");
const T3_ANCHORS = ["(本列数据", "勾稽关系", "申请人情况", "本年新收政府信息公开申请数量"].map(fuzzy);
const S3_HEADING = [fuzzy("收到和处理政府信息公开申请")];
const T3_LAST_ROW = fuzzy("结转下年度继续办理");
const T4_ANCHORS = ["结果维持", "未经复议直接起诉", "复议后起诉"].map(fuzzy);
const T4_REVIEW = fuzzy("行政复议");
const AFTER_T4 = [/[五六][、,，.．][\s|]*(?:政府信息公开工作)?(?:存在的?主要问题|存在问题|其他需要报告)/g];
const T2_TERMINALS = ["行政事业性收费", "政府集中采购"].map(fuzzy);

/** Characters a value run may consist of (numbers, blanks, dashes, pipes, line breaks). */
const VALUE_RUN = /^[\s|0-9０-９.,，．\-—－–/／+]*/;

function endOfValueRun(text: string, from: number): number {
  const m = VALUE_RUN.exec(text.slice(from, from + 400));
  let end = from + (m?.[0].length ?? 0);
  while (end > from && /\s/.test(text[end - 1] ?? "")) end--;
  return end;
}

/** Number of values in a run: whitespace/pipe-separated tokens, or digits when glued. */
function valueCount(run: string): number {
  const tokens = run.split(/[\s|]+/).filter((t) => /[0-9０-９]/.test(t));
  const digits = tokens.join("").replace(/[^0-9０-９]/g, "").length;
  return Math.max(tokens.length, tokens.length === 1 ? digits : tokens.length);
}

const HEADER_AFTER_CAPTION = new RegExp(fuzzySource("信息内容"));

/**
 * The first `第二十条第（X）项` that heads the table: prose may cite the article before the table
 * (`按照条例第二十条第（一）项…`), but only the table's caption is followed by its header `信息内容`.
 */
function tableCaption(text: string): Span | null {
  let first: Span | null = null;
  for (let from = 0; ; ) {
    const m = firstMatch(text, [T2_CAPTION], from);
    if (!m) return first;
    first ??= m;
    if (HEADER_AFTER_CAPTION.test(text.slice(m.end, m.end + 60))) return m;
    from = m.end;
  }
}

export function locateTables(text: string): TableRegions {
  const t2Caption = tableCaption(text);
  const t3Anchor = firstMatch(text, T3_ANCHORS, t2Caption?.start ?? 0) ?? firstMatch(text, T3_ANCHORS, 0);

  let t3: Span | null = null;
  if (t3Anchor) {
    const last = firstMatch(text, [T3_LAST_ROW], t3Anchor.start);
    // A truncated table has no last row: it runs to table 四, section 五/六 or the end of the text.
    const fallback =
      firstMatch(text, T4_ANCHORS, t3Anchor.end)?.start ??
      firstMatch(text, AFTER_T4, t3Anchor.end)?.start ??
      text.length;
    const review = firstMatch(text, [T4_REVIEW], t3Anchor.end, fallback);
    t3 = { start: t3Anchor.start, end: last ? endOfValueRun(text, last.end) : (review?.start ?? fallback) };
  }

  const t4From = t3?.end ?? t2Caption?.end ?? 0;
  const t4Anchor = firstMatch(text, T4_ANCHORS, t4From);
  let t4: Span | null = null;
  if (t4Anchor) {
    const review = lastMatch(text, T4_REVIEW, t4From, t4Anchor.start);
    const reviewIsHeading =
      review &&
      (/公开[\s|]*$/.test(text.slice(review.start - 4, review.start)) ||
        /^[\s|]*[、和及与]/.test(text.slice(review.end)));
    const start = review && !reviewIsHeading ? review.start : t4Anchor.start;
    const bound = firstMatch(text, AFTER_T4, t4Anchor.end)?.start ?? text.length;
    let end = bound;
    const runRe = /[0-9０-９][\s|0-9０-９.,，．\-—－–/／+]*/g;
    runRe.lastIndex = t4Anchor.end;
    for (let m = runRe.exec(text); m && m.index < bound; m = runRe.exec(text)) {
      if (valueCount(m[0]) >= 15) {
        end = endOfValueRun(text, m.index);
        break;
      }
    }
    t4 = { start, end: Math.min(end, bound) };
  }

  let t2: Span | null = null;
  if (t2Caption) {
    const limits = [t3?.start, t4?.start, firstMatch(text, S3_HEADING, t2Caption.end)?.start].filter(
      (x): x is number => x !== undefined && x > t2Caption.start,
    );
    let end: number;
    if (limits.length > 0) end = Math.min(...limits);
    else {
      const terminal =
        lastMatch(text, T2_TERMINALS[0]!, t2Caption.start, text.length) ??
        lastMatch(text, T2_TERMINALS[1]!, t2Caption.start, text.length);
      end = terminal
        ? endOfValueRun(text, terminal.end)
        : (firstMatch(text, AFTER_T4, t2Caption.end)?.start ?? text.length);
    }
    t2 = { start: t2Caption.start, end };
    // A section heading such as `三、收到和处理…` just before table 三 stays narrative.
    const heading = /[一二三四五六][、,，.．]?[\s|]*$/.exec(text.slice(t2.start, t2.end));
    if (heading && heading.index > 0) t2.end = t2.start + heading.index;
  }
  return { t2, t3, t4 };
}
