/**
 * Repair by the table's own arithmetic. The equations that fail (row sums, column sums,
 * 一 + 二 = 三(七) + 四, table 4 totals — the validator's error rules) name the cells that disagree.
 * Each OCR-read cell among them is read again (other scales, a hard threshold); a reading is taken
 * only when it is the one change among all alternatives that makes every equation hold. Then the
 * cell is `ocr-repaired` and an info finding keeps the evidence. Otherwise nothing changes and an
 * extraction finding names the OCR cells taking part, so the audit can tell “OCR unsure” from
 * “the source is inconsistent”. No number is ever computed from an equation.
 */
import type { Cell, Finding } from "../../model/report.js";
import { finding } from "../../pipeline/findings.js";

export const X_OCR = {
  REPAIRED: "X.OCR_REPAIRED",
  UNSURE: "X.OCR_UNSURE",
  LOW_CONFIDENCE: "X.OCR_LOW_CONFIDENCE",
} as const;

/** Below this confidence a cell is reported as doubtful even when the equations hold. */
const LOW_CONFIDENCE = 0.6;
/** Equation rules whose failures locate misread cells. */
const ARITHMETIC = /^T[34]\.R\d$|^T2\.R1$/;

export type Check = (cells: Record<string, Cell>) => Finding[];
/** Other readings of a cell, by its canonical path (re-OCR of its crop). */
export type Reread = (path: string, cell: Cell) => Promise<number[]>;

function failing(check: Check, cells: Record<string, Cell>): Finding[] {
  return check(cells).filter(
    (f) => f.origin === "source" && f.severity === "error" && ARITHMETIC.test(f.rule),
  );
}

const isOcr = (c: Cell | undefined) =>
  c !== undefined && (c.source === "ocr" || c.source === "blank") && c.confidence !== undefined;

export async function repairByArithmetic(
  cells: Record<string, Cell>,
  check: Check,
  reread: Reread,
): Promise<Finding[]> {
  const out: Finding[] = [];
  let failed = failing(check, cells);
  if (failed.length > 0) {
    const suspects = [...new Set(failed.flatMap((f) => f.paths))].filter(
      (p) => isOcr(cells[p]) && cells[p]?.source === "ocr",
    );
    const alternatives = new Map<string, number[]>();
    for (const p of suspects) {
      const cell = cells[p]!;
      const values = (await reread(p, cell)).filter((v) => v !== cell.value);
      if (values.length > 0) alternatives.set(p, [...new Set(values)]);
    }
    // Every single-cell change that makes every equation hold.
    const fixes: { path: string; value: number }[] = [];
    for (const [p, values] of alternatives) {
      for (const v of values) {
        const trial = { ...cells, [p]: { ...cells[p]!, value: v } };
        if (failing(check, trial).length === 0) fixes.push({ path: p, value: v });
      }
    }
    if (fixes.length === 1) {
      const { path, value } = fixes[0]!;
      const before = cells[path]!;
      const readings = alternatives.get(path) ?? [];
      const evidence = `OCR读数${before.raw}与表内勾稽关系不符；重新识别得到${readings.join("、")}，其中只有${value}使所有等式成立`;
      cells[path] = { ...before, value, source: "ocr-repaired", evidence };
      out.push(
        finding({
          rule: X_OCR.REPAIRED,
          severity: "info",
          origin: "extraction",
          path,
          paths: [path],
          expected: value,
          actual: before.value,
          message: `${evidence}，已采用（ocr-repaired）`,
        }),
      );
      failed = failing(check, cells);
    }
  }
  // What still fails and involves OCR cells: we may have misread, the source may be wrong.
  for (const f of failed) {
    const involved = f.paths.filter((p) => isOcr(cells[p]));
    if (involved.length === 0) continue;
    out.push(
      finding({
        rule: X_OCR.UNSURE,
        severity: "warning",
        origin: "extraction",
        path: f.path,
        paths: involved,
        expected: f.expected,
        actual: f.actual,
        ...(f.residual !== null ? { residual: f.residual } : {}),
        message: `OCR识别的单元格不满足${f.rule}（${f.message}），无法确定是原文不一致还是识别错误：${involved.join("、")}`,
      }),
    );
  }
  for (const [p, c] of Object.entries(cells)) {
    if (c.source !== "ocr" || c.confidence === undefined || c.confidence >= LOW_CONFIDENCE) continue;
    out.push(
      finding({
        rule: X_OCR.LOW_CONFIDENCE,
        severity: "warning",
        origin: "extraction",
        path: p,
        message: `OCR识别置信度低（${Math.round(c.confidence * 100)}%）：${p} = ${c.raw}`,
      }),
    );
  }
  return out;
}
