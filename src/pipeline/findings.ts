/** Building findings (zod-style issue values: a code, a path, the numbers, a message). */
import type { Finding } from "../model/report.js";

export function finding(
  f: Pick<Finding, "rule" | "severity" | "origin" | "message"> &
    Partial<Omit<Finding, "rule" | "severity" | "origin" | "message">>,
): Finding {
  return {
    rule: f.rule,
    severity: f.severity,
    origin: f.origin,
    path: f.path ?? null,
    paths: f.paths ?? (f.path ? [f.path] : []),
    expected: f.expected ?? null,
    actual: f.actual ?? null,
    residual: f.residual ?? null,
    message: f.message,
  };
}

/** Rule ids for problems of extraction (we are unsure what the document says), as opposed to spec rules. */
export const X = {
  AMBIGUOUS: "X.AMBIGUOUS_SPLIT",
  UNREADABLE: "X.UNREADABLE_CELL",
  MISSING_VALUES: "X.MISSING_VALUES",
  MISSING_ROW: "X.MISSING_ROW",
  EXTRA_VALUES: "X.EXTRA_VALUES",
  UNPLACED_ROW: "X.UNPLACED_ROW",
  EXTRA_ROW: "X.EXTRA_ROW",
  DUPLICATE_ROW: "X.DUPLICATE_ROW",
  PLACED_BY_POSITION: "X.PLACED_BY_POSITION",
  TABLE_NOT_FOUND: "X.TABLE_NOT_FOUND",
  UNFILLED_TABLE: "X.UNFILLED_TABLE",
  PROSE_UNREAD: "X.PROSE_UNREAD",
} as const;
