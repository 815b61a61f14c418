/**
 * XLSX through exceljs's streaming writer: rows are committed as they come, so a wide export of
 * many thousand reports never holds a full in-memory workbook (exceljs's ordinary Workbook keeps an
 * object per cell). Each data sheet has a bold, frozen header row; numbers are written as numbers.
 */
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { ColumnNote, Table, Value } from "./table.js";

/** Excel keeps 15 significant digits; a decimal within that survives the trip through a double. */
const EXACT_DECIMAL = /^-?(\d+)(?:\.(\d+))?$/;

/**
 * A money decimal as an Excel number plus the format that shows it exactly as printed
 * (`1.50` → 1.5 shown with `0.00`); text when it has too many digits to be a faithful double.
 */
export function decimalCell(text: string): { value: number | string; numFmt?: string } {
  const m = EXACT_DECIMAL.exec(text);
  if (!m) return { value: text };
  const intDigits = (m[1] ?? "").replace(/^0+/, "");
  const fraction = m[2] ?? "";
  if (intDigits.length + fraction.length > 15) return { value: text };
  return fraction === ""
    ? { value: Number(text) }
    : { value: Number(text), numFmt: `0.${"0".repeat(fraction.length)}` };
}

const NOTE_COLUMNS: { key: keyof ColumnNote; header: string; width: number }[] = [
  { key: "column", header: "列名 column", width: 40 },
  { key: "description", header: "说明 description", width: 60 },
  { key: "table", header: "表 table", width: 8 },
  { key: "group", header: "分组 group", width: 24 },
  { key: "row", header: "行 row", width: 44 },
  { key: "label", header: "列 column label", width: 26 },
  { key: "kind", header: "类型 kind", width: 12 },
  { key: "templates", header: "适用模板 templates", width: 30 },
];

/** Rows between pauses that let the zip stream compress what was written so far. */
const ROWS_PER_TICK = 500;

async function addSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  headers: { header: string; width: number }[],
  rows: Iterable<(row: ExcelJS.Row) => void>,
): Promise<void> {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = headers.map((h) => ({ width: h.width }));
  const head = ws.addRow(headers.map((h) => h.header));
  head.font = { bold: true };
  head.commit();
  let n = 0;
  for (const fill of rows) {
    const row = ws.addRow([]);
    fill(row);
    row.commit();
    // Without a pause the whole sheet's XML would queue up before the compressor ever runs.
    if (++n % ROWS_PER_TICK === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  ws.commit();
}

function* dataRows(table: Table): Generator<(row: ExcelJS.Row) => void> {
  const decimals = table.columns.map((c) => c.decimal === true);
  for (const values of table.rows) {
    yield (row) => {
      values.forEach((v: Value, i) => {
        if (v === null) return;
        const cell = row.getCell(i + 1);
        if (decimals[i] && typeof v === "string") {
          const d = decimalCell(v);
          cell.value = d.value;
          if (d.numFmt) cell.numFmt = d.numFmt;
        } else {
          // A string stays a string even when it looks like a formula: exceljs only writes
          // formulas given as { formula }, so text from documents can never execute.
          cell.value = v;
        }
      });
    };
  }
}

function* noteRows(notes: ColumnNote[]): Generator<(row: ExcelJS.Row) => void> {
  for (const n of notes) {
    yield (row) => {
      NOTE_COLUMNS.forEach((c, i) => {
        const v = n[c.key];
        if (v !== undefined && v !== "") row.getCell(i + 1).value = v;
      });
    };
  }
}

/** The table as an XLSX workbook: the data sheet, then "说明" explaining every column. */
export async function writeXlsx(table: Table): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on("end", resolve);
    out.on("error", reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = "nianbao";
  await addSheet(
    wb,
    table.sheet,
    table.columns.map((c) => ({ header: c.key, width: c.width })),
    dataRows(table),
  );
  if (table.notes.length > 0) await addSheet(wb, "说明", NOTE_COLUMNS, noteRows(table.notes));
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}
