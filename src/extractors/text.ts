/**
 * Text backend: reports whose tables reached us flattened to text (site text exports, archivers,
 * pdf.js dumps). Pure: bytes in, layout out.
 */
import { type Grid, gridFromRows } from "../model/grid.js";
import type { TableId } from "../model/template.js";
import { decodeBytes, junkRatio } from "./decode.js";
import { locateTables } from "./locate.js";
import { regionRows } from "./text-rows.js";
import { type ExtractedLayout, type ExtractInput, UnreadableInputError } from "./types.js";

function lineNumberAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Locates the report tables in flat text, turns each into a grid (hinted with its table id) and
 * returns the text with those tables cut out. `tables` limits which tables are taken (the PDF
 * backend asks only for the ones its ruled-table reader did not find).
 */
export function tablesFromText(
  text: string,
  tables: readonly TableId[] = ["t2", "t3", "t4"],
): { grids: Grid[]; narrative: string } {
  const regions = locateTables(text);
  const taken = tables.filter((t) => regions[t] !== null);
  const grids = taken.map((table) => {
    const span = regions[table]!;
    const { rows } = regionRows(text.slice(span.start, span.end), lineNumberAt(text, span.start));
    return gridFromRows(`text:${table}`, "text", rows, table);
  });
  const spans = taken.map((t) => regions[t]!).sort((a, b) => a.start - b.start);
  let narrative = "";
  let pos = 0;
  for (const s of spans) {
    if (s.start < pos) continue;
    narrative += `${text.slice(pos, s.start)}\n\n`;
    pos = s.end;
  }
  narrative += text.slice(pos);
  return { grids, narrative };
}

export function extractText(input: ExtractInput): ExtractedLayout {
  if (input.bytes.length === 0) throw new UnreadableInputError("空文件 (empty file)", "empty");
  const decoded = decodeBytes(input.bytes, input.contentType ? { contentType: input.contentType } : {});
  const text = decoded.text.replace(/\r\n?/g, "\n");
  if (junkRatio(text) > 0.05) {
    throw new UnreadableInputError(
      "不是文本文件：内容含大量控制字符或无法解码的字节 (binary content)",
      "binary",
    );
  }
  const warnings: string[] = [];
  if (decoded.evidence.startsWith("lossy"))
    warnings.push(`编码无法确定，按 GB18030 有损解码 (${decoded.evidence})`);

  const { grids, narrative } = tablesFromText(text);
  const titleLine = /^\s*(?:标题|title)\s*[:：]\s*(.+)$/im.exec(text);
  const published = /发布(?:时间|日期)\s*[:：]\s*(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})/.exec(text);
  return {
    grids,
    narrative,
    title: titleLine?.[1]?.trim() ?? null,
    charset: decoded.charset,
    charsetEvidence: decoded.evidence,
    publishedAt: published
      ? `${published[1]}-${published[2]!.padStart(2, "0")}-${published[3]!.padStart(2, "0")}`
      : null,
    warnings,
  };
}
