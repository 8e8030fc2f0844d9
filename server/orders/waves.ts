// Holding and releasing a wave: its lists not yet started leave every device (their stock stays
// promised to them) and come back on release. A list already being picked is left to finish.
import type { PickList } from '../../src/domain';
import type { Queryable } from '../db/index';
import { fromSql, publish, publishWhere } from '../db/tables';

export interface WaveView {
  id: string;
  ownerId: string;
  number: string;
  status: 'released' | 'held';
  createdAt: string;
  lists: { id: string; number: string; status: PickList['status'] }[];
}

export async function lockWave(tx: Queryable, id: string, ownerIds: readonly string[] | null): Promise<{ id: string; owner_id: string; status: string } | null> {
  const { rows } = await tx.query<{ id: string; owner_id: string; status: string }>(
    'select id, owner_id, status from waves where id = $1 and ($2::text[] is null or owner_id = any($2::text[])) for update',
    [id, ownerIds],
  );
  return rows[0] ?? null;
}

/** Holds the wave's lists nobody has started; returns the lists left running. */
export async function holdWave(tx: Queryable, waveId: string): Promise<void> {
  const { rows } = await tx.query(`select * from pick_lists where wave_id = $1 and status = 'open' order by id for update`, [waveId]);
  for (const row of rows) {
    const list = fromSql('pickLists', row);
    await tx.query(`update pick_lists set status = 'held' where id = $1`, [list.id]);
    await publish(tx, 'pickLists', list.id, list.ownerId, null);
    const lines = await tx.query<{ id: string }>('select id from pick_lines where pick_list_id = $1', [list.id]);
    for (const line of lines.rows) await publish(tx, 'pickLines', line.id, list.ownerId, null);
  }
  await tx.query(`update waves set status = 'held' where id = $1`, [waveId]);
}

/** Releases the wave: its held lists, and their lines still to pick, reach the devices again. */
export async function releaseWave(tx: Queryable, waveId: string): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(`update pick_lists set status = 'open' where wave_id = $1 and status = 'held' returning id`, [waveId]);
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) {
    await publishWhere(tx, 'pickLists', 'id = any($1::text[])', [ids]);
    await publishWhere(tx, 'pickLines', `pick_list_id = any($1::text[]) and status <> 'cancelled'`, [ids]);
  }
  await tx.query(`update waves set status = 'released' where id = $1`, [waveId]);
}

export async function waveView(tx: Queryable, waveId: string): Promise<WaveView> {
  const wave = await tx.query('select * from waves where id = $1', [waveId]);
  const row = wave.rows[0]!;
  const lists = await tx.query<{ id: string; number: string; status: PickList['status'] }>('select id, number, status from pick_lists where wave_id = $1 order by number', [waveId]);
  return {
    id: row.id as string,
    ownerId: row.owner_id as string,
    number: row.number as string,
    status: row.status as WaveView['status'],
    createdAt: new Date(row.created_at as string).toISOString(),
    lists: lists.rows,
  };
}
