/**
 * The canonical document: one type flows from extraction through validation into the store
 * and out of `extract --json`. TypeScript types are inferred from the zod schemas so the
 * runtime check and the compile-time type can never drift apart.
 */
import { z } from "zod";

export const TemplateIdSchema = z.enum(["v2019", "v2021", "v2021-collapsed-other", "hybrid", "legacy"]);

/**
 * How a value came to be:
 * printed – a number as printed; blank / dash / none – an empty cell, a dash or slash, or 无, read as 0;
 * derived – computed from its components because the printed cell was empty;
 * ambiguous – the text allows several values (glued digits); unreadable – text that is not a number;
 * missing – the table or row was not found; ocr / ocr-repaired – reserved for the OCR path.
 */
export const CellSourceSchema = z.enum([
  "printed",
  "blank",
  "dash",
  "none",
  "derived",
  "ambiguous",
  "unreadable",
  "missing",
  "ocr",
  "ocr-repaired",
]);
export type CellSource = z.infer<typeof CellSourceSchema>;

export const LocationSchema = z.object({
  grid: z.string(),
  row: z.number().int(),
  col: z.number().int(),
  page: z.number().int().optional(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  line: z.number().int().optional(),
});

export const CellSchema = z.object({
  /** Integer count, signed change, or money (nearest double of `decimal`); null when not determined. */
  value: z.number().nullable(),
  /** Exact decimal text for money cells (`7730.28`), in the column's canonical unit. */
  decimal: z.string().optional(),
  /** Unit printed in the cell (`元`, `万元`), when any. */
  unit: z.string().optional(),
  raw: z.string(),
  source: CellSourceSchema,
  /** Parenthesised note printed after the number, e.g. `（其中修订16件）`. */
  note: z.string().optional(),
  /** The values the text allows, when the source is ambiguous. */
  candidates: z.array(z.number()).optional(),
  /** OCR: the engine's confidence in the reading, 0–1. */
  confidence: z.number().min(0).max(1).optional(),
  /** Why an `ocr-repaired` value was taken over the first reading (the readings and the equations). */
  evidence: z.string().optional(),
  loc: LocationSchema.nullable(),
});
export type Cell = z.infer<typeof CellSchema>;

export const FindingSchema = z.object({
  /** Stable rule id: spec rules (T3.R1 …) or extraction rules (X.…). */
  rule: z.string(),
  severity: z.enum(["error", "warning", "info"]),
  /** `source`: the document breaks its own arithmetic or the format; `extraction`: we are unsure what it says. */
  origin: z.enum(["source", "extraction"]),
  /** The cell the finding is about (the one an equation is checked at), when any. */
  path: z.string().nullable(),
  /** Every cell taking part. */
  paths: z.array(z.string()),
  expected: z.union([z.number(), z.string()]).nullable(),
  actual: z.union([z.number(), z.string()]).nullable(),
  residual: z.number().nullable(),
  /** Chinese message for the users. */
  message: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const SectionSchema = z.object({ heading: z.string(), text: z.string() });

export const ExtraRowSchema = z.object({
  table: z.enum(["t2", "t3", "t4"]),
  label: z.string(),
  values: z.array(z.string()),
  loc: LocationSchema.nullable(),
});

export const SourceSchema = z.object({
  /** File path or URL the bytes came from. */
  locator: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  format: z.enum(["html", "text", "pdf", "doc", "docx", "image", "unknown"]),
  /** Why the format was chosen (signature bytes, media type, extension). */
  format_evidence: z.string().default(""),
  media_type: z.string(),
  charset: z.string().nullable(),
});

export const MetaSchema = z.object({
  title: z.string().nullable(),
  organ: z.string().nullable(),
  year: z.number().int().nullable(),
  published_at: z.string().nullable(),
  /** Statistical period stated in the preamble, when any (`2020-01-01/2020-12-31`). */
  period: z.string().nullable(),
  /** Overall template: one id when all tables agree, `hybrid` when they disagree, `legacy` before 2019. */
  template: TemplateIdSchema.nullable(),
  templates: z.object({
    t2: TemplateIdSchema.nullable(),
    t3: TemplateIdSchema.nullable(),
    t4: TemplateIdSchema.nullable(),
  }),
});

export const ReportSchema = z.object({
  source: SourceSchema,
  extractor: z.object({ name: z.string(), version: z.string() }),
  status: z.enum(["ok", "partial", "failed"]),
  /** Why the status is not `ok` (one line per problem, Chinese and English). */
  problems: z.array(z.string()),
  meta: MetaSchema,
  /** Flat map from dotted path (`t3.denied.state_secret.total`) to cell. */
  cells: z.record(z.string(), CellSchema),
  /** Rows found inside a table that are not part of the template; kept, never dropped. */
  extra_rows: z.array(ExtraRowSchema),
  sections: z.record(z.string(), SectionSchema),
  /** Prose before the first section heading (basis, statistical period, contacts). */
  preamble: z.string(),
  findings: z.array(FindingSchema),
  /** Pages whose text layer is missing or untrustworthy (PDF); the OCR path reads them. */
  needs_ocr: z
    .array(z.object({ page: z.number().int(), reason: z.string(), detail: z.string() }))
    .default([]),
});
export type Report = z.infer<typeof ReportSchema>;
export type ReportMeta = z.infer<typeof MetaSchema>;
export type ReportSource = z.infer<typeof SourceSchema>;
export type ExtraRow = z.infer<typeof ExtraRowSchema>;
