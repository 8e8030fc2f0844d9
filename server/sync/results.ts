// Stored mutation results: what push answers and pull hands back to the device that sent them.
import { MutationResult } from '../../src/domain/sync-protocol';
import type { Queryable } from '../db/index';

export { MutationResult };

interface ResultRecord {
  mutation_id: string;
  seq: number;
  type: string;
  status: 'applied' | 'rejected';
  code: string | null;
  message: string | null;
  details: Record<string, unknown> | null;
}

const toResult = (r: ResultRecord): MutationResult => ({
  mutationId: r.mutation_id,
  seq: Number(r.seq),
  type: r.type,
  status: r.status,
  code: r.code,
  message: r.message,
  details: r.details,
});

export async function readResult(tx: Queryable, deviceId: string, seq: number): Promise<MutationResult | undefined> {
  const { rows } = await tx.query<ResultRecord>('select * from mutation_results where device_id = $1 and seq = $2', [deviceId, seq]);
  return rows[0] ? toResult(rows[0]) : undefined;
}

/**
 * Results of one user's mutations from a device after a sequence number, oldest first, from
 * transactions below `bound` (the pull's horizon), so every result comes with the rows its
 * mutation changed. Only the user's own: after a shift handover the device's sequence goes on,
 * and the next user must never read what the previous one did.
 */
export async function resultsAfter(
  tx: Queryable,
  of: { deviceId: string; userId: string },
  afterSeq: number,
  bound: string,
  limit: number,
): Promise<MutationResult[]> {
  const { rows } = await tx.query<ResultRecord>(
    'select * from mutation_results where device_id = $1 and user_id = $2 and seq > $3 and xid < $4::xid8 order by seq limit $5',
    [of.deviceId, of.userId, afterSeq, bound, limit],
  );
  return rows.map(toResult);
}
