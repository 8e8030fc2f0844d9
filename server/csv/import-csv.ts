// Imports a CSV file all or nothing: every row validated, the valid ones applied chunk by chunk in
// one database transaction, and the transaction rolled back with a 422 listing the errors if any row had one.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import { InvalidCsvAnswer } from '../../src/domain/admin';
import type { Db, Queryable } from '../db/index';
import { ApiError } from '../routes/errors';
import { invalidCsv, MAX_CSV_BYTES, readCsv, type CsvColumns, type CsvRowError } from './read-csv';

/** Rows handed to `apply` at a time: one or two statements per chunk, memory flat whatever the file's length. */
export const CSV_CHUNK_ROWS = 1000;
/** Most errors listed in a 422; `errorCount` still counts them all. */
export const MAX_LISTED_ERRORS = 1000;

/** The 422 answer of a refused import, for route schemas (and so /api/docs); shared with the admin console. */
export { InvalidCsvAnswer };

/** A valid row and the line of the file it starts on. */
export interface CsvLine<Row> {
  line: number;
  row: Row;
}

export interface CsvImport<K extends string, Row> {
  /** The request body (see `acceptCsvBodies`): read once, to a temporary file, never into memory. */
  stream: Readable;
  columns: CsvColumns<K>;
  /** Turns one record's cells (every declared column, '' when empty) into a row; its issues become row errors naming the column. */
  row: z.ZodType<Row, Record<K, string>>;
  /**
   * Values that may appear on one row of the file only (a SKU, each barcode, a username): a second
   * row with one is an error naming the first's line. Kept in a temporary table, not in memory.
   */
  unique?: (row: Row) => { column: K; value: string }[];
  /**
   * Writes a chunk of valid rows inside the import's transaction and returns the rows' errors that
   * only the database can find (an unknown bin, a barcode of another product). Called for every
   * chunk even once an error is known, so one upload lists every error; the rows it writes then
   * are rolled back with the rest.
   */
  apply: (tx: Queryable, rows: CsvLine<Row>[]) => Promise<CsvRowError[]>;
  /**
   * Runs once after the last chunk, in the transaction: the checks best made over the whole file
   * at once (one join instead of one lookup a chunk). Returns the errors it finds.
   */
  finish?: (tx: Queryable) => Promise<CsvRowError[]>;
  chunkRows?: number;
}

/** Copies the body to a temporary file, counting bytes, and hands its path to `read`; the file is removed after. */
async function withSpooledBody<T>(stream: Readable, read: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-csv-'));
  try {
    const path = join(dir, 'body.csv');
    let bytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > MAX_CSV_BYTES) {
          done(new ApiError(413, { error: 'PAYLOAD_TOO_LARGE', message: `The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MiB. Split it into smaller files and upload each.` }));
        } else done(null, chunk);
      },
    });
    await pipeline(stream, count, createWriteStream(path));
    return await read(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const DUPLICATES_TABLE = 'csv_import_keys';

/** Errors for the rows among `rows` holding a unique value an earlier row of the file holds, naming that row's line. */
async function duplicateErrors<K extends string, Row>(
  tx: Queryable, rows: CsvLine<Row>[], unique: NonNullable<CsvImport<K, Row>['unique']>, columns: CsvColumns<K>,
): Promise<CsvRowError[]> {
  // One duplicate error a row is enough to fix it (a repeated SKU also repeats its SKU label).
  const errors = new Map<number, CsvRowError>();
  const firstInChunk = new Map<string, { line: number; column: K; value: string }>();
  const duplicate = (line: number, column: K, value: string, first: number) => {
    const name = columns[column].names[0]!;
    if (!errors.has(line)) errors.set(line, { line, column: name, message: `${name} ${value} is also on line ${first}; keep one of the two rows.` });
  };
  for (const { line, row } of rows) {
    for (const { column, value } of unique(row)) {
      const key = `${column}:${value}`;
      const first = firstInChunk.get(key);
      if (!first) firstInChunk.set(key, { line, column, value });
      // A row naming one value twice (a barcode listed twice) is not a duplicate of itself.
      else if (first.line !== line) duplicate(line, column, value, first.line);
    }
  }
  if (firstInChunk.size === 0) return [...errors.values()];
  // Earlier chunks' values are in the table; a key already there was claimed by an earlier line.
  const { rows: taken } = await tx.query<{ key: string; first: number }>(
    `with wanted as (select key, line from jsonb_to_recordset($1::jsonb) as k(key text, line int)),
       claimed as (insert into ${DUPLICATES_TABLE} (key, line) select key, line from wanted on conflict (key) do nothing returning key)
     select t.key, t.line as first from wanted w join ${DUPLICATES_TABLE} t on t.key = w.key
     where w.key not in (select key from claimed)`,
    [JSON.stringify([...firstInChunk].map(([key, { line }]) => ({ key, line })))],
  );
  for (const { key, first } of taken) {
    const { line, column, value } = firstInChunk.get(key)!;
    duplicate(line, column, value, first);
  }
  return [...errors.values()];
}

/**
 * Reads, validates and applies a CSV file in one transaction. Resolves with the number of rows
 * imported; throws a 422 (`invalidCsv`) and rolls everything back when any row has an error, so
 * a file is imported whole or not at all.
 */
export async function importCsv<K extends string, Row>(db: Db, spec: CsvImport<K, Row>): Promise<{ rows: number }> {
  const { columns, chunkRows = CSV_CHUNK_ROWS } = spec;
  const messageColumn = (key: PropertyKey | undefined) => (typeof key === 'string' && key in columns ? columns[key as K].names[0]! : null);
  return withSpooledBody(spec.stream, (path) =>
    db.transaction(async (tx) => {
      const listed: CsvRowError[] = [];
      let errorCount = 0;
      let rowsWithErrors = 0;
      // Each call reports rows no earlier call reported (a row is refused at its first failing step).
      const report = (errors: CsvRowError[]) => {
        errorCount += errors.length;
        rowsWithErrors += new Set(errors.map((error) => error.line)).size;
        for (const error of errors) if (listed.length < MAX_LISTED_ERRORS) listed.push(error);
      };
      if (spec.unique) await tx.query(`create temporary table ${DUPLICATES_TABLE} (key text primary key, line integer not null) on commit drop`);

      let rows = 0;
      let chunk: CsvLine<Row>[] = [];
      const flush = async () => {
        if (chunk.length === 0) return;
        let ready = chunk;
        chunk = [];
        if (spec.unique) {
          const duplicates = await duplicateErrors(tx, ready, spec.unique, columns);
          report(duplicates);
          const refused = new Set(duplicates.map((error) => error.line));
          ready = ready.filter(({ line }) => !refused.has(line));
        }
        report(await spec.apply(tx, ready));
      };

      for await (const record of readCsv(createReadStream(path), columns)) {
        if (record.error) {
          report([record.error]);
          continue;
        }
        const parsed = spec.row.safeParse(record.values);
        if (!parsed.success) {
          report(parsed.error.issues.map((issue) => ({ line: record.line, column: messageColumn(issue.path[0]), message: issue.message })));
          continue;
        }
        rows++;
        chunk.push({ line: record.line, row: parsed.data });
        if (chunk.length >= chunkRows) await flush();
      }
      await flush();
      if (spec.finish) report(await spec.finish(tx));
      if (errorCount > 0) throw invalidCsv(listed.sort((a, b) => a.line - b.line), errorCount, rowsWithErrors);
      return { rows };
    }),
  );
}
