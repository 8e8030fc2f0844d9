// Streams rows out as a CSV download: read page by page (keyset), written as they come, so an
// export of millions of rows holds one page in memory.
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';

/** Rows read per query of an export. */
export const EXPORT_PAGE_ROWS = 5000;

/**
 * A text cell a spreadsheet will not run as a formula: Excel, LibreOffice and Google Sheets treat
 * a cell starting with `=`, `+`, `-` or `@` (and tab or carriage return, which they strip first)
 * as a formula, so a SKU or a lot someone typed as `=HYPERLINK(…)` would run on the reader's
 * machine (CSV injection). Such a cell is written with a leading `'`, which spreadsheets show
 * as text. Number columns are written as numbers and keep their sign.
 */
export function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Every row `page` returns, page after page: `page(after)` reads the rows following the last row
 * of the previous page (null at first), in a stable order, at most `EXPORT_PAGE_ROWS`.
 */
export async function* keysetRows<R>(page: (after: R | null) => Promise<R[]>): AsyncGenerator<R> {
  let after: R | null = null;
  for (;;) {
    const rows = await page(after);
    yield* rows;
    if (rows.length < EXPORT_PAGE_ROWS) return;
    after = rows[rows.length - 1]!;
  }
}

export interface CsvColumnOut<R> {
  header: string;
  value: (row: R) => string | number | null;
}

/** Answers with `rows` as a CSV file named `fileName`; text cells go through `inertCell`. */
export function sendCsv<R>(reply: FastifyReply, fileName: string, columns: CsvColumnOut<R>[], rows: AsyncIterable<R>): FastifyReply {
  const records = Readable.from(
    (async function* () {
      for await (const row of rows) yield columns.map((column) => column.value(row));
    })(),
  );
  const csv = stringify({ header: true, columns: columns.map((column) => column.header), cast: { string: inertCell } });
  // A database error half-way ends the download early; the log has the cause.
  pipeline(records, csv, (error) => {
    if (error) reply.log.error({ err: error }, 'CSV export failed');
  });
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .send(csv);
}
