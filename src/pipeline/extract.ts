/**
 * The whole single-document pipeline: bytes → format → layout → canonical tables → meta,
 * sections → findings → Report. Never throws for bad input: a document that cannot be read
 * becomes a `failed` report that says why, so a batch run goes on.
 */
import { createHash } from "node:crypto";
import { extractImage } from "../extractors/image.js";
import { extractHtmlWithImages } from "../extractors/ocr/html-images.js";
import { markOcrCells, rereader } from "../extractors/ocr/provenance.js";
import { repairByArithmetic } from "../extractors/ocr/repair.js";
import { extractPdf } from "../extractors/pdf.js";
import { extractText } from "../extractors/text.js";
import {
  type Backend,
  type ExtractedLayout,
  type ExtractInput,
  UnreadableInputError,
} from "../extractors/types.js";
import { extractDoc, extractDocx } from "../extractors/word.js";
import { type Cell, type Finding, type Report, type ReportMeta, ReportSchema } from "../model/report.js";
import type { TemplateId } from "../model/template.js";
import { detectFormat } from "./detect.js";
import { finding, X } from "./findings.js";
import { mapTables } from "./map.js";
import { readMeta } from "./meta.js";
import { splitSections } from "./sections.js";
import { validate } from "./validate.js";

/** Bump when extraction output changes: stored runs are keyed by it and re-extraction keeps history. */
export const EXTRACTOR = { name: "nianbao", version: "0.1.0" } as const;

const LEGACY_MARKERS = /依申请公开政府信息情况|咨询处理|收费及减免|行政申诉|因政府信息公开申请提起行政复议/;

function emptyMeta(): ReportMeta {
  return {
    title: null,
    organ: null,
    year: null,
    published_at: null,
    period: null,
    template: null,
    templates: { t2: null, t3: null, t4: null },
  };
}

function overallTemplate(t: ReportMeta["templates"]): TemplateId | null {
  const ids = [t.t2, t.t3].filter((x): x is TemplateId => x !== null);
  if (ids.length === 0) return t.t4;
  if (ids.includes("v2019") && ids.some((x) => x !== "v2019")) return "hybrid";
  if (ids.includes("v2021-collapsed-other")) return "v2021-collapsed-other";
  return ids[0]!;
}

/** A table printed with labels but no numbers at all is unfilled, never a table of zeros (spec §5). */
function markUnfilled(cells: Record<string, Cell>, table: string): Finding | null {
  const own = Object.entries(cells).filter(([p]) => p.startsWith(`${table}.`));
  if (own.length === 0 || !own.every(([, c]) => c.source === "blank" || c.source === "missing")) return null;
  if (own.every(([, c]) => c.source === "missing")) return null;
  for (const [p, c] of own) cells[p] = { ...c, value: null };
  return finding({
    rule: X.UNFILLED_TABLE,
    severity: "warning",
    origin: "source",
    message: `${table === "t2" ? "表二" : table === "t3" ? "表三" : "表四"}只有表头，没有填写任何数字（未按0处理）`,
  });
}

/** Spec rules that read the prose; they are skipped where OCR did not read it. */
const PROSE_RULES = new Set(["D.R1", "D.R5", "D.R8"]);

/** One backend per format; each turns bytes into the same layout (grids + narrative). */
const BACKENDS: Partial<Record<string, Backend>> = {
  html: extractHtmlWithImages,
  text: extractText,
  pdf: extractPdf,
  docx: extractDocx,
  doc: extractDoc,
  image: extractImage,
};

async function layoutFor(format: string, input: ExtractInput): Promise<ExtractedLayout> {
  const backend = BACKENDS[format];
  if (!backend)
    throw new UnreadableInputError(`暂不支持的格式：${format} (unsupported format)`, "unsupported");
  return backend(input);
}

export async function extractReport(input: ExtractInput): Promise<Report> {
  const bytes = input.bytes;
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const detected = detectFormat(bytes, input.locator, input.contentType);
  const base = {
    source: {
      locator: input.locator,
      sha256,
      size: bytes.length,
      format: detected.format,
      media_type: detected.mediaType,
      format_evidence: detected.evidence,
      charset: null as string | null,
    },
    extractor: { ...EXTRACTOR },
    extra_rows: [],
    sections: {},
    preamble: "",
    needs_ocr: [] as Report["needs_ocr"],
  };
  const failed = (problem: string, meta = emptyMeta()): Report => ({
    ...base,
    status: "failed",
    problems: [problem],
    meta,
    cells: {},
    findings: [],
  });

  let layout: ExtractedLayout;
  try {
    layout = await layoutFor(detected.format, input);
  } catch (err) {
    if (err instanceof UnreadableInputError) return failed(err.message);
    return failed(`提取器内部错误：${(err as Error).message}`);
  }
  base.source.charset = layout.charset;
  base.needs_ocr = layout.needsOcr ?? [];
  // Pages OCR has read are no longer a problem of the document; those it could not read still are.
  const ocrRead = new Map((layout.ocr ?? []).map((o) => [o.page, o]));
  const ocrProblems = base.needs_ocr.flatMap((m) => {
    const o = ocrRead.get(m.page);
    if (o && o.status !== "failed") return [];
    return [`第${m.page}页需要OCR（${m.reason}）：${m.detail}${o ? `；${o.detail}` : ""}`];
  });
  for (const m of base.needs_ocr) {
    const o = ocrRead.get(m.page);
    if (o) m.detail = `${m.detail}（OCR：${o.detail}）`;
  }

  const textMeta = readMeta(layout.title, layout.narrative, layout.publishedAt);
  const mapped = mapTables(layout.grids, textMeta.year);
  markOcrCells(mapped.cells, layout.grids);
  const meta: ReportMeta = {
    title: textMeta.title,
    organ: textMeta.organ ?? input.hints?.organ ?? null,
    year: textMeta.year,
    published_at: textMeta.publishedAt ?? input.hints?.publishedAt ?? null,
    period: textMeta.period,
    template: null,
    templates: mapped.templates,
  };
  meta.template = overallTemplate(meta.templates);

  const anyTable = mapped.found.t2 || mapped.found.t3 || mapped.found.t4;
  if (!anyTable && base.needs_ocr.length > 0) {
    // Readable once OCR exists: not a failure of the document, and nothing to check yet.
    const { sections, preamble } = splitSections(layout.narrative);
    return ReportSchema.parse({
      ...base,
      sections,
      preamble,
      status: "partial",
      problems: ocrProblems.length > 0 ? ocrProblems : ["OCR未找到报告表格 (OCR found no report tables)"],
      meta,
      cells: {},
      findings: [],
    });
  }
  if (!anyTable) {
    if ((meta.year !== null && meta.year <= 2018) || LEGACY_MARKERS.test(layout.narrative)) {
      return failed(
        "2019年以前的旧式年报（legacy），不在统计表格式范围内 (pre-2019 legacy report, out of scope)",
        {
          ...meta,
          template: "legacy",
        },
      );
    }
    const why = layout.grids.length === 0 ? "文档中没有找到任何表格" : "找到的表格都不是年报统计表";
    return failed(`${why} (no report tables found)`, meta);
  }

  const { sections, preamble } = splitSections(layout.narrative);
  const extraction = [...mapped.findings];
  for (const t of ["t2", "t3", "t4"]) {
    const f = markUnfilled(mapped.cells, t);
    if (f) extraction.push(f);
  }
  const check = (cells: Record<string, Cell>) =>
    validate({
      cells,
      meta,
      found: mapped.found,
      t3RowsPrinted: mapped.t3RowsPrinted,
      sectionsPresent: Object.keys(sections),
      narrative: { s1: sections.s1_overview?.text ?? preamble },
      ...(input.hints?.organLevel ? { organLevel: input.hints.organLevel } : {}),
    });
  if (layout.grids.some((g) => g.origin === "ocr")) {
    extraction.push(...(await repairByArithmetic(mapped.cells, check, rereader(layout.grids))));
  }
  const sourceFindings = check(mapped.cells);
  // Tables or rows on pages that still need OCR are unread, not missing from the source.
  // Checks of the prose (figures it quotes, its headings, what section 六 mentions) cannot run on
  // pages whose prose OCR did not read: their silence is ours, not the source's.
  const proseUnread = layout.proseUnread ?? [];
  const checked = sourceFindings.filter(
    (f) =>
      !(ocrProblems.length > 0 && f.rule === "D.R3") && !(proseUnread.length > 0 && PROSE_RULES.has(f.rule)),
  );
  if (proseUnread.length > 0)
    extraction.push(
      finding({
        rule: X.PROSE_UNREAD,
        severity: "info",
        origin: "extraction",
        message: `第${proseUnread.join("、")}页为图像，只识别了表格${proseUnread.includes(1) ? "和标题" : ""}，正文未做OCR：未核对正文数字、章节标题（${[...PROSE_RULES].join("、")}）`,
      }),
    );
  const problems = [
    ...layout.warnings,
    ...ocrProblems,
    ...(["t2", "t3", "t4"] as const)
      .filter((t) => !mapped.found[t])
      .map((t) => `未找到${t === "t2" ? "表二" : t === "t3" ? "表三" : "表四"} (table ${t} not found)`),
    ...extraction.filter((f) => f.severity !== "info").map((f) => f.message),
  ];
  return ReportSchema.parse({
    ...base,
    status: problems.length > 0 ? "partial" : "ok",
    problems,
    meta,
    cells: mapped.cells,
    extra_rows: mapped.extraRows,
    sections,
    preamble,
    findings: [...extraction, ...checked],
  });
}
