/**
 * Is this page's text layer usable? A page with images but no text is a scan; a page whose text
 * is mostly private-use or mojibake characters has fonts without a usable Unicode map; a page that
 * carries a table heading as text but the table as a picture has an image table. Each becomes an
 * OCR mark with its reason, never silently empty tables.
 */
import { TABLE_SECTIONS } from "../../model/template.js";
import type { OcrMark } from "../types.js";
import { area, type PageGeometry } from "./geometry.js";

/** Characters a Chinese report's text layer should not be made of. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what garbled text layers contain
const SUSPICIOUS = /[\u0000-\u0008\u000e-\u001f\u0080-\u024f\u0370-\u03ff\u0400-\u04ff\ue000-\uf8ff\ufffd]/gu;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;

export function pageQuality(g: PageGeometry, tablesOnPage: number): OcrMark | null {
  const text = g.items.map((i) => i.text).join("");
  const chars = text.replace(/\s+/g, "");
  const pageArea = g.width * g.height || 1;
  const imageShare = g.images.reduce((s, b) => s + area(b), 0) / pageArea;
  if (chars.length === 0) {
    if (imageShare > 0.25)
      return { page: g.page, reason: "no-text", detail: "页面没有文本层，只有图像（扫描件）" };
    return null;
  }
  const suspicious = chars.match(SUSPICIOUS)?.length ?? 0;
  const latin = chars.match(/[A-Za-z]/g)?.length ?? 0;
  const cjk = chars.match(CJK)?.length ?? 0;
  // A Chinese report's text is mostly Han characters and digits; fonts without a Unicode map give
  // control characters, Latin-1 mojibake or Latin letters instead.
  const share = (n: number) => n / chars.length;
  const odd =
    share(suspicious) > 0.3 ||
    (share(suspicious) > 0.1 && share(suspicious + latin) > 0.3 && share(cjk) < 0.2);
  if (chars.length >= 20 && odd) {
    return {
      page: g.page,
      reason: "garbled-text",
      detail: `文本层乱码：${Math.round((100 * (suspicious + latin)) / chars.length)}%的字符无法对应到正常文字（字体缺少Unicode映射）`,
    };
  }
  const largestImage = Math.max(0, ...g.images.map((b) => area(b) / pageArea));
  if (largestImage > 0.12) {
    // A table heading printed as text whose table's own words are nowhere on the page: the table is the picture.
    const pictured = TABLE_SECTIONS.find((t) => t.heading.test(chars) && !t.words.test(chars));
    if (pictured && (tablesOnPage === 0 || largestImage > 0.2)) {
      return {
        page: g.page,
        reason: "image-table",
        detail: `“${pictured.title}”的标题是文字，但表格本身是图片`,
      };
    }
  }
  return null;
}
