/** Scoring a Report against a ground-truth file (format of samples/real/*.truth.json). */
import type { Report } from "../../src/model/report.js";

export interface Truth {
  id: string;
  file: string;
  year: number;
  organ: string;
  templates: { t2: string; t3: string; t4: string };
  cells: Record<string, number>;
  blank_cells?: string[];
  expected_findings?: { rule: string; path: string; cells?: string[] }[];
  unscored_findings?: { rule: string }[];
  ambiguous_ok?: string[];
}

export interface Score {
  exact: number;
  ambiguous: number;
  wrong: string[];
  missingFindings: string[];
  unexpectedFindings: string[];
}

export function score(report: Report, truth: Truth): Score {
  const s: Score = { exact: 0, ambiguous: 0, wrong: [], missingFindings: [], unexpectedFindings: [] };
  const ambiguousOk = new Set(truth.ambiguous_ok ?? []);
  for (const [path, value] of Object.entries(truth.cells)) {
    const cell = report.cells[path];
    if (cell?.value === value) s.exact++;
    else if (cell?.source === "ambiguous" && ambiguousOk.has(path)) {
      s.ambiguous++;
      if (cell.candidates && !cell.candidates.includes(value))
        s.wrong.push(`${path}: ${value} not among candidates`);
    } else s.wrong.push(`${path}: want ${value}, got ${JSON.stringify(cell?.value)} (${cell?.source})`);
  }
  for (const blank of truth.blank_cells ?? []) {
    const src = report.cells[blank]?.source;
    if (!["blank", "dash", "none"].includes(src ?? ""))
      s.wrong.push(`${blank}: want a blank/dash source, got ${src}`);
  }
  const expected = truth.expected_findings ?? [];
  for (const e of expected) {
    const hit = report.findings.find((f) => f.rule === e.rule && f.path === e.path && f.origin === "source");
    if (!hit) s.missingFindings.push(`${e.rule} @ ${e.path}`);
    else if (e.cells && !e.cells.every((c) => hit.paths.includes(c)))
      s.missingFindings.push(`${e.rule} @ ${e.path}: cells differ`);
  }
  const unscored = new Set((truth.unscored_findings ?? []).map((u) => u.rule));
  for (const f of report.findings) {
    if (f.origin !== "source" || f.severity !== "error" || unscored.has(f.rule)) continue;
    if (!expected.some((e) => e.rule === f.rule && e.path === f.path))
      s.unexpectedFindings.push(`${f.rule} @ ${f.path}: ${f.message}`);
  }
  return s;
}
