/**
 * The shape every export kind produces before it is written out: named columns and a lazy
 * sequence of rows. Kinds build rows, formats (csv.ts, xlsx.ts) write them; neither knows the other.
 */

/** One value of a row: numbers stay numbers, empty is null. */
export type Value = string | number | null;

export interface ColumnSpec {
  /** Header text, e.g. `report_id` or the dotted cell path `t3.denied.state_secret.total`. */
  key: string;
  /** Spreadsheet column width in characters. */
  width: number;
  /**
   * The values are exact decimal text (money): written verbatim to CSV, and to XLSX as a number
   * formatted with the same decimals, so `7730.28` is neither rounded nor shown as `7730.2800000001`.
   */
  decimal?: boolean;
}

/** One line of the explanatory sheet: the column and what it holds. */
export interface ColumnNote {
  column: string;
  description: string;
  table?: string;
  group?: string;
  row?: string;
  label?: string;
  kind?: string;
  templates?: string;
}

export interface Table {
  /** Worksheet name (XLSX); at most 31 characters. */
  sheet: string;
  columns: ColumnSpec[];
  /** Consumed once, in order; may stream from the database. */
  rows: Iterable<Value[]>;
  /** Explanations of the columns, written as a second XLSX sheet "说明". */
  notes: ColumnNote[];
}

/** A request that cannot be served (bad kind, format, filter or combination). */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}
