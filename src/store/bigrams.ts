/**
 * Bigram rendering for the short-term full-text index. FTS5's trigram tokenizer cannot match
 * terms shorter than three characters, yet Chinese is full of two-character words (复议, 诉讼).
 * We index every overlapping pair of Han characters as a space-separated token and let the
 * `unicode61` tokenizer split on the spaces; a term is then queried as a phrase of its own
 * bigrams. A pair only forms inside an unbroken run of Han characters, exactly as a substring
 * match requires, so a 2-character Han term matches the same rows as `instr(text, term) > 0`.
 */

const HAN = /\p{Script=Han}/u;

export function isHan(ch: string): boolean {
  return HAN.test(ch);
}

/** True when every character of the term is Han, i.e. the bigram index can answer it exactly. */
export function isAllHan(term: string): boolean {
  const chars = Array.from(term);
  return chars.length > 0 && chars.every(isHan);
}

function runTokens(run: string[]): string[] {
  // A lone Han character still becomes a token so that the rendering loses no text.
  if (run.length === 1) return [run[0] ?? ""];
  const out: string[] = [];
  for (let i = 0; i + 1 < run.length; i++) out.push(`${run[i]}${run[i + 1]}`);
  return out;
}

/**
 * Render text for the bigram index: Han runs become their overlapping pairs, everything else
 * (Latin words, digits, punctuation) is passed through for unicode61 to tokenize as usual.
 * `行政复议3件` → `行政 政复 复议 3 件`.
 */
export function bigramText(text: string): string {
  const parts: string[] = [];
  let run: string[] = [];
  let other = "";
  const flushRun = () => {
    if (run.length > 0) parts.push(...runTokens(run));
    run = [];
  };
  const flushOther = () => {
    if (other.trim() !== "") parts.push(other.trim());
    other = "";
  };
  for (const ch of text) {
    if (isHan(ch)) {
      flushOther();
      run.push(ch);
    } else {
      flushRun();
      other += ch;
    }
  }
  flushRun();
  flushOther();
  return parts.join(" ");
}

/**
 * FTS5 phrase query for a Han term of two or more characters: `复议` → `"复议"`,
 * `行政诉讼` → `"行政 政诉 诉讼"` (consecutive tokens, hence a substring of one Han run).
 */
export function bigramPhrase(term: string): string {
  if (!isAllHan(term) || Array.from(term).length < 2) {
    throw new Error(`bigramPhrase needs a Han term of at least two characters, got "${term}"`);
  }
  return `"${runTokens(Array.from(term)).join(" ")}"`;
}
