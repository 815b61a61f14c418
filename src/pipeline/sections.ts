/**
 * Narrative → sections 一–六 (spec §2.2). Runs on text whose tables were already cut out (§2.3),
 * and recognises a heading by its words, not its numeral: reports misnumber sections
 * (`一、主动公开政府信息情况` after a narrative `一、总体情况`).
 */
import { SECTIONS, type SectionKey } from "../model/template.js";

export interface SplitSections {
  sections: Partial<Record<SectionKey, { heading: string; text: string }>>;
  preamble: string;
}

const BODIES: Record<SectionKey, string> = {
  s1_overview: "总体情况",
  s2_proactive: "主动公开政府信息(?:情况)?",
  s3_applications: "收到和处理政府信息公开申请(?:情况)?",
  s4_review_litigation: "[^\\n。；]{0,16}?行政(?:法)?复议[^\\n。；]{0,10}?行政诉讼(?:的)?(?:情况)?",
  s5_problems: "[^\\n。；]{0,12}?存在的?(?:主要)?问题(?:及|和|与)?(?:改进|整改)?(?:情况|措施)?",
  s6_other: "其他需要报告的事项",
};

function headingRe(key: SectionKey): RegExp {
  return new RegExp(
    `(?:^|(?<=[\\s。；;!！?？|>]))[一二三四五六七八][\\s]*[、.．][\\s]*(?:${BODIES[key]})`,
    "gm",
  );
}
const HEADINGS = new Map(SECTIONS.map((s) => [s.key, headingRe(s.key)]));

function tidy(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function splitSections(narrative: string): SplitSections {
  const found: { key: SectionKey; start: number; end: number; heading: string }[] = [];
  let pos = 0;
  for (const { key } of SECTIONS) {
    const re = HEADINGS.get(key)!;
    re.lastIndex = pos;
    const m = re.exec(narrative);
    if (!m) continue;
    found.push({ key, start: m.index, end: m.index + m[0].length, heading: m[0].trim() });
    pos = m.index + m[0].length;
  }
  const sections: SplitSections["sections"] = {};
  found.forEach((f, i) => {
    const next = found[i + 1]?.start ?? narrative.length;
    sections[f.key] = { heading: f.heading, text: tidy(narrative.slice(f.end, next)) };
  });
  return { sections, preamble: tidy(narrative.slice(0, found[0]?.start ?? narrative.length)) };
}
