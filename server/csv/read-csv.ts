// The one streaming CSV reader every import uses: a request body in, records out one at a time,
// each with the physical line it starts on, columns found by header name, never the whole file in memory.
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { CsvError, parse, type Info } from 'csv-parse';
import type { FastifyInstance } from 'fastify';
import { textProblem } from '../../src/domain/text';
import { ApiError } from '../routes/errors';

/** Largest CSV body an import accepts: 100 MiB, a few hundred thousand product rows. */
export const MAX_CSV_BYTES = 100 * 1024 * 1024;
/** Most data rows one file may hold. */
export const MAX_CSV_ROWS = 1_000_000;
/** Longest record (all its cells): a longer one is almost always a quote that is never closed. */
export const MAX_CSV_RECORD_BYTES = 1024 * 1024;
/** How far into the file the header line is looked for before giving up. */
const MAX_HEADER_BYTES = 64 * 1024;

/** Media types a CSV body may be sent as. */
export const CSV_MEDIA_TYPES = ['text/csv', 'application/csv'];

/** A problem with one row (or, at line 1, with the header), named by the column where there is one. */
export interface CsvRowError {
  line: number;
  column: string | null;
  message: string;
}

export interface CsvColumn {
  /** Header names the column may go by, matched case-insensitively; the first is the one messages use. */
  names: readonly string[];
  required?: boolean;
}

export type CsvColumns<K extends string> = Record<K, CsvColumn>;

/** A data row: every declared column's cell ('' when empty or absent from the file), or why it could not be read. */
export type CsvRecord<K extends string> =
  | { line: number; values: Record<K, string>; error?: undefined }
  | { line: number; values?: undefined; error: CsvRowError };

/**
 * The refusal (422) of an import with errors: nothing was imported. `errors` are the ones listed
 * (at most `MAX_LISTED_ERRORS`, in line order), `errorCount` all of them, `rowsWithErrors` the rows they fall on.
 */
export function invalidCsv(errors: CsvRowError[], errorCount: number, rowsWithErrors: number, message?: string): ApiError {
  const rows = rowsWithErrors === 1 ? '1 row has errors' : `${rowsWithErrors.toLocaleString('en')} rows have errors`;
  const listed = errors.length < errorCount ? ` The first ${errors.length.toLocaleString('en')} of ${errorCount.toLocaleString('en')} errors are listed.` : '';
  return new ApiError(422, {
    error: 'INVALID_CSV',
    message: message ?? `${rows}; nothing was imported. Fix them and upload the file again.${listed}`,
    errors,
    errorCount,
  });
}

const tooLarge = () =>
  new ApiError(413, { error: 'PAYLOAD_TOO_LARGE', message: `The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MiB. Split it into smaller files and upload each.` });

/** Refuses a body whose declared length is over the limit before a byte of it is read. */
export function checkDeclaredLength(header: string | undefined): void {
  if (header !== undefined && Number(header) > MAX_CSV_BYTES) throw tooLarge();
}

/**
 * Lets the routes registered on `scope` take a `text/csv` body as the raw request stream, unread
 * and uncapped by the app's JSON body limit (the reader counts bytes against `MAX_CSV_BYTES`).
 * Call it inside an encapsulated `app.register(async (scope) => …)`, and give each CSV route
 * `config: { ownBodyTextCheck: true }`: the app-wide text check cannot walk a stream, and the
 * reader checks every cell instead.
 */
export function acceptCsvBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser(CSV_MEDIA_TYPES, (request, payload, done) => {
    try {
      checkDeclaredLength(request.headers['content-length']);
      done(null, payload);
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** The request body as a stream, or a 415 saying how to send the file. */
export function csvBody(body: unknown): Readable {
  if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body && typeof (body as Readable).pipe === 'function') {
    return body as Readable;
  }
  throw new ApiError(415, { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the file itself as the request body, with content-type text/csv.' });
}

/** A header name as compared: lower case, spaces and dashes as underscores (`Pick face` is `pick_face`). */
const headerKey = (name: string) => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** `,` `;` or tab: whichever the header line holds most of (spreadsheets in European locales write `;`). */
export function detectSeparator(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const count = headerLine.split(candidate).length - 1;
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}

/** The stream's bytes, counted against `MAX_CSV_BYTES`; the first chunk holds the whole header line. */
async function* boundedChunks(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let bytes = 0;
  let head: Buffer | null = Buffer.alloc(0);
  for await (const piece of stream) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    bytes += chunk.length;
    if (bytes > MAX_CSV_BYTES) throw tooLarge();
    if (head === null) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.indexOf(0x0a) < 0 && head.length < MAX_HEADER_BYTES) continue;
    yield head;
    head = null;
  }
  if (head !== null && head.length > 0) yield head;
}

interface ColumnPlan<K extends string> {
  /** For each declared column, the index of its cell in a record; -1 when the file lacks it. */
  index: Record<K, number>;
  width: number;
}

function planColumns<K extends string>(header: string[], columns: CsvColumns<K>): ColumnPlan<K> {
  const keys = header.map(headerKey);
  const errors: CsvRowError[] = [];
  const index = {} as Record<K, number>;
  for (const key of Object.keys(columns) as K[]) {
    const { names, required } = columns[key];
    const found = keys.flatMap((name, i) => (names.some((alias) => headerKey(alias) === name) ? [i] : []));
    if (found.length > 1) {
      errors.push({ line: 1, column: names[0]!, message: `The header names the ${names[0]} column ${found.length} times (${found.map((i) => header[i]).join(', ')}); keep one.` });
    } else if (found.length === 0 && required) {
      errors.push({ line: 1, column: names[0]!, message: `The header has no ${names[0]} column${names.length > 1 ? ` (also accepted: ${names.slice(1).join(', ')})` : ''}; add it.` });
    }
    index[key] = found[0] ?? -1;
  }
  if (errors.length > 0) {
    throw invalidCsv(errors, errors.length, 1, `The header row of the file is not usable: ${errors.map((e) => e.message).join(' ')} Nothing was imported.`);
  }
  return { index, width: header.length };
}

/** What a csv-parse error means for the person who made the file. */
function parseErrorMessage(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A quoted cell starting on this line is never closed: add the closing double quote.';
    case 'CSV_MAX_RECORD_SIZE':
      return `The row is longer than ${MAX_CSV_RECORD_BYTES / 1024 / 1024} MiB: most likely a quoted cell on it is never closed.`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'A quoted cell has text after its closing quote: write a double quote inside a quoted cell as two ("").';
    default:
      return `The row is not valid CSV (${error.message}).`;
  }
}

/**
 * The data records of a CSV file, as they stream in: the separator is taken from the header line,
 * a BOM is dropped, cells are found by the header's names (unknown columns are ignored; a missing
 * required one is a 422 before any row). A malformed row (wrong number of cells, a cell that is
 * not storable text) comes out as an error at its line; broken quoting ends the file there,
 * since nothing after it can be read reliably. Blank lines are skipped. Over `MAX_CSV_ROWS` rows
 * or `MAX_CSV_BYTES` bytes is a 413.
 */
export async function* readCsv<K extends string>(stream: Readable, columns: CsvColumns<K>): AsyncGenerator<CsvRecord<K>> {
  const source = boundedChunks(stream);
  const first = await source.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  const headerEnd = head.indexOf(0x0a);
  const headerLine = head.subarray(0, headerEnd < 0 ? head.length : headerEnd).toString('utf8');
  const parser = parse({
    bom: true,
    info: true,
    delimiter: detectSeparator(headerLine),
    // Mixed line endings happen when files are pasted together: any of them ends a record.
    record_delimiter: ['\r\n', '\n', '\r'],
    // The reader compares each row with the header itself, so a short row is an error at its line.
    relax_column_count: true,
    max_record_size: MAX_CSV_RECORD_BYTES,
  });
  // Fed by hand, not piped, so a byte-limit error from the source reaches the reader below.
  const stop = new AbortController();
  let feedError: unknown = null;
  const feeding = (async () => {
    try {
      if (head.length > 0) parser.write(head);
      for await (const chunk of source) {
        if (stop.signal.aborted) break;
        if (!parser.write(chunk)) await once(parser, 'drain', { signal: stop.signal });
      }
      if (!stop.signal.aborted) parser.end();
    } catch (error) {
      if (stop.signal.aborted) return;
      feedError = error;
      parser.destroy();
    }
  })();

  let plan: ColumnPlan<K> | null = null;
  let lastLine = 0;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const line = lastLine + 1;
      lastLine = info.lines;
      if (plan === null) {
        plan = planColumns(record, columns);
        continue;
      }
      if (record.length === 1 && record[0] === '') continue;
      if (++rows > MAX_CSV_ROWS) {
        throw new ApiError(413, { error: 'PAYLOAD_TOO_LARGE', message: `The file has more than ${MAX_CSV_ROWS.toLocaleString('en')} rows. Split it into smaller files and upload each.` });
      }
      if (record.length !== plan.width) {
        yield { line, error: { line, column: null, message: `The row has ${record.length} cells where the header has ${plan.width}: check the separators and quotes on it.` } };
        continue;
      }
      const values = {} as Record<K, string>;
      let problem: CsvRowError | null = null;
      for (const key of Object.keys(plan.index) as K[]) {
        const at = plan.index[key];
        const cell = at < 0 ? '' : record[at]!;
        const textIssue = textProblem(cell);
        if (textIssue) {
          problem = { line, column: columns[key].names[0]!, message: `The cell ${textIssue}.` };
          break;
        }
        values[key] = cell;
      }
      yield problem ? { line, error: problem } : { line, values };
    }
  } catch (error) {
    if (feedError) throw feedError;
    if (!(error instanceof CsvError)) throw error;
    yield { line: lastLine + 1, error: { line: lastLine + 1, column: null, message: parseErrorMessage(error) } };
  } finally {
    stop.abort();
    parser.destroy();
    await feeding;
    // An early return by the consumer leaves the source unread: release it.
    if (!stream.readableEnded) stream.destroy();
  }
  if (feedError) throw feedError;
  if (plan === null) throw invalidCsv([{ line: 1, column: null, message: 'The file is empty: it needs a header row.' }], 1, 1, 'The file is empty: it needs a header row naming the columns. Nothing was imported.');
}
