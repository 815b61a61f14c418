/**
 * Label normalisation for matching (spec §8): NFKC (full-width digits and brackets to ASCII),
 * one quote style, list numbers `1、` / `1．` as `1.`, and no whitespace or pipes at all —
 * PDF and flattened text put spaces inside labels (`三 、本 年 度办 理 结果`, `商业 企业`).
 */
export function normalizeLabel(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[“”„‟〝〞「」『』‘’'"]/g, '"')
    .replace(/[\s|\u00a0\u3000]+/g, "")
    .replace(/(\d)[、．](?=\D)/g, "$1.")
    .replace(/[（]/g, "(")
    .replace(/[）]/g, ")");
}

/** NFKC plus whitespace collapsed; keeps the text readable (for raw values and messages). */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u00a0\u3000]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
