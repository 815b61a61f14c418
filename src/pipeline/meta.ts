/** Report metadata from the document's own words: title, organ, year, statistical period, publication date. */

export interface TextMeta {
  title: string | null;
  organ: string | null;
  year: number | null;
  /** Year of the statistical period, when stated. */
  periodYear: number | null;
  period: string | null;
  publishedAt: string | null;
}

const REPORT = "(?:政府信息公开|政务公开|信息公开)?\\s*工作\\s*年\\s*度\\s*报\\s*告";
/** `<organ><year>年(度)…报告` or `<year>年(度)<organ>…报告`. */
const TITLE_ORGAN_FIRST = new RegExp(
  `([\\u4e00-\\u9fa5（）()·]{2,40}?)\\s*(\\d{4})\\s*年\\s*度?\\s*${REPORT}`,
);
const TITLE_YEAR_FIRST = new RegExp(
  `(\\d{4})\\s*年\\s*度?\\s*([\\u4e00-\\u9fa5（）()·]{2,30}?)\\s*${REPORT}`,
);
const PERIOD =
  /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|-|－)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
const PUBLISHED =
  /(?:发布|发文|成文)(?:时间|日期)\s*[:：]?\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})/;

const pad = (n: string | undefined) => (n ?? "").padStart(2, "0");
const plausibleYear = (y: number) => y >= 2000 && y <= 2100;

/** Strips words that precede an organ name in titles (`现公布`, `关于`, page furniture). */
function cleanOrgan(organ: string): string | null {
  const cleaned = organ
    .replace(/^.*?(?:现公布|现将|发布|关于|公布)/, "")
    .replace(/^[（(][^）)]*[）)]/, "")
    .trim();
  return cleaned.length >= 2 && !/^(?:本|我|年度|全年|本年)/.test(cleaned) ? cleaned : null;
}

export function readMeta(title: string | null, narrative: string, publishedAt: string | null): TextMeta {
  const head = narrative.slice(0, 3000).replace(/\s*\n\s*/g, "");
  let organ: string | null = null;
  let year: number | null = null;
  let foundTitle: string | null = title;
  for (const source of [title ?? "", head]) {
    const a = TITLE_ORGAN_FIRST.exec(source);
    const b = TITLE_YEAR_FIRST.exec(source);
    const pick =
      a && (!b || a.index <= b.index)
        ? { organ: a[1], year: a[2], m: a }
        : b
          ? { organ: b[2], year: b[1], m: b }
          : null;
    if (pick && plausibleYear(Number(pick.year))) {
      organ = cleanOrgan(pick.organ ?? "");
      year = Number(pick.year);
      foundTitle ??= pick.m[0].replace(/\s+/g, "").replace(/^.*?(?:现公布|现将|关于)/, "");
      break;
    }
  }
  const p = PERIOD.exec(narrative.slice(0, 6000));
  const period = p ? `${p[1]}-${pad(p[2])}-${pad(p[3])}/${p[4] ?? p[1]}-${pad(p[5])}-${pad(p[6])}` : null;
  const periodYear = p ? Number(p[1]) : null;
  if (year === null && periodYear !== null) year = periodYear;
  if (year === null) {
    const y = /(20\d{2})\s*年/.exec(narrative.slice(0, 3000));
    if (y) year = Number(y[1]);
  }
  let published = publishedAt;
  if (!published) {
    const m = PUBLISHED.exec(narrative);
    if (m) published = `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  }
  return { title: foundTitle, organ, year, periodYear, period, publishedAt: published };
}
