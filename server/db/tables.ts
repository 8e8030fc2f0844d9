// How the synced domain tables map onto SQL, and the writes that keep a table and the sync feed
// together: every synced row is written through `putRow`/`removeRow` so pull never misses it.
import { TABLES, type RowOf, type TableName } from '../../src/domain';
import type { Queryable } from './index';

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface TableMeta {
  sql: string;
  /** Domain field names, in schema order. */
  fields: string[];
  columns: string[];
  /** The column whose value scopes the row to an owner; null for rows every user sees. */
  ownerField: string | null;
}

export const TABLE_META: Record<TableName, TableMeta> = Object.fromEntries(
  (Object.keys(TABLES) as TableName[]).map((table) => {
    const fields = Object.keys(TABLES[table].shape);
    const ownerField = table === 'owners' ? 'id' : fields.includes('ownerId') ? 'ownerId' : null;
    return [table, { sql: snake(table), fields, columns: fields.map(snake), ownerField }];
  }),
) as Record<TableName, TableMeta>;

/** A SQL row (snake_case columns) as its domain row. */
export function fromSql<T extends TableName>(table: T, record: Record<string, unknown>): RowOf<T> {
  const row: Record<string, unknown> = {};
  for (const field of TABLE_META[table].fields) {
    const value = record[snake(field)];
    row[field] = value instanceof Date ? value.toISOString() : value;
  }
  return row as RowOf<T>;
}

const FEED_UPSERT = `on conflict (tbl, id) do update set owner_id = excluded.owner_id, deleted = excluded.deleted,
  row = excluded.row, xid = pg_current_xact_id(), seq = nextval('sync_seq')`;

const putSql = new Map<TableName, string>();
/** One statement that upserts a row and publishes it: parameters are the fields, then the JSON row. */
function putStatement(table: TableName): string {
  let sql = putSql.get(table);
  if (!sql) {
    const { sql: name, columns, ownerField } = TABLE_META[table];
    const params = columns.map((_, i) => `$${i + 1}`).join(', ');
    const updates = columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ');
    const json = `$${columns.length + 1}::json`;
    sql = `with saved as (
        insert into ${name} (${columns.join(', ')}) values (${params}) on conflict (id) do update set ${updates} returning id
      )
      insert into sync_rows (tbl, id, owner_id, deleted, row)
      select '${table}', saved.id, ${ownerField ? `${json}->>'${ownerField}'` : 'null'}, false, ${json} from saved
      ${FEED_UPSERT}`;
    putSql.set(table, sql);
  }
  return sql;
}

/** Publishes a row's latest version (or its deletion) to the sync feed. */
export async function publish(tx: Queryable, table: TableName, id: string, ownerId: string | null, row: unknown): Promise<void> {
  await tx.query(
    `insert into sync_rows (tbl, id, owner_id, deleted, row) values ($1, $2, $3, $4, $5::json) ${FEED_UPSERT}`,
    [table, id, ownerId, row === null, row === null ? null : JSON.stringify(row)],
  );
}

/**
 * Publishes the rows of `table` as they stand in SQL, those matching `where` (a condition on its
 * columns, with `params`), in one statement: each row's JSON is built from the domain fields.
 */
export async function publishWhere(tx: Queryable, table: TableName, where: string, params: unknown[]): Promise<void> {
  const { sql: name, fields, columns, ownerField } = TABLE_META[table];
  const json = `json_build_object(${fields.map((field, i) => `'${field}', ${columns[i]}`).join(', ')})`;
  const owner = ownerField ? snake(ownerField) : 'null';
  await tx.query(
    `insert into sync_rows (tbl, id, owner_id, deleted, row) select '${table}', id, ${owner}, false, ${json} from ${name} where ${where}
     ${FEED_UPSERT}`,
    params,
  );
}

/** Inserts or replaces a synced row and publishes it, in one statement. */
export async function putRow<T extends TableName>(tx: Queryable, table: T, row: RowOf<T>): Promise<void> {
  const parsed = TABLES[table].parse(row) as Record<string, unknown>;
  await tx.query(putStatement(table), [...TABLE_META[table].fields.map((f) => parsed[f]), JSON.stringify(parsed)]);
}

/** Deletes a synced row and publishes the tombstone. */
export async function removeRow(tx: Queryable, table: TableName, id: string, ownerId: string | null): Promise<void> {
  await tx.query(`delete from ${TABLE_META[table].sql} where id = $1`, [id]);
  await publish(tx, table, id, ownerId, null);
}

/** Rows per statement for bulk loads: large enough to be fast, small enough for one message. */
const BULK_CHUNK = 5000;

/**
 * Inserts or replaces many rows at once (seeding, imports) and publishes them: one
 * `jsonb_populate_recordset` statement per chunk for the table and one for the feed, instead of
 * two statements a row. Like `putRow`, a replaced row keeps any column outside its domain schema.
 */
export async function bulkPut<T extends TableName>(tx: Queryable, table: T, rows: readonly RowOf<T>[]): Promise<void> {
  const meta = TABLE_META[table];
  for (let start = 0; start < rows.length; start += BULK_CHUNK) {
    const chunk = rows.slice(start, start + BULK_CHUNK);
    const records = chunk.map((row) => {
      const record: Record<string, unknown> = {};
      for (const field of meta.fields) record[snake(field)] = (row as Record<string, unknown>)[field];
      return record;
    });
    await tx.query(
      `insert into ${meta.sql} (${meta.columns.join(', ')})
       select ${meta.columns.join(', ')} from jsonb_populate_recordset(null::${meta.sql}, $1::jsonb)
       on conflict (id) do update set ${meta.columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
      [JSON.stringify(records)],
    );
    await tx.query(
      `insert into sync_rows (tbl, id, owner_id, row)
       select $1, r->>'id', ${meta.ownerField ? `r->>'${meta.ownerField}'` : 'null'}, r from json_array_elements($2::json) r
       on conflict (tbl, id) do update set owner_id = excluded.owner_id, deleted = false, row = excluded.row,
         xid = pg_current_xact_id(), seq = nextval('sync_seq')`,
      [table, JSON.stringify(chunk)],
    );
  }
}

