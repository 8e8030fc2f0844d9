// LPN number ranges: a device reserves a block of numbers and creates LPNs from it offline
// (src/domain/workflows/receive-lpn.ts formats them), so no two devices ever make the same LPN.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, LpnRange } from '../../src/domain/api';
import { LPN_PREFIX, MAX_LPN_NUMBER } from '../../src/domain/workflows/receive-lpn';
import type { Db } from '../db/index';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

/** Numbers per reserved range. */
export const LPN_RANGE_SIZE = 100;

/** Reserves the next block for a device, in one transaction: the sequence makes blocks disjoint. */
export async function reserveLpnRange(db: Db, deviceId: string, userId: string): Promise<LpnRange> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ block: number | string }>("select nextval('lpn_block_seq') as block");
    const block = Number(rows[0]!.block);
    const start = (block - 1) * LPN_RANGE_SIZE + 1;
    const end = block * LPN_RANGE_SIZE;
    if (end > MAX_LPN_NUMBER) {
      throw new ApiError(503, { error: 'LPN_NUMBERS_EXHAUSTED', message: 'This warehouse has used every LPN number. Tell an admin.' });
    }
    await tx.query(
      'insert into lpn_ranges (device_id, user_id, prefix, range_start, range_end) values ($1, $2, $3, $4, $5)',
      [deviceId, userId, LPN_PREFIX, start, end],
    );
    return { prefix: LPN_PREFIX, start, end };
  });
}

export async function registerLpnRanges(app: FastifyInstance, db: Db): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/api/lpn-ranges', {
    schema: {
      summary: 'Reserve a range of LPN numbers for this device to create LPNs from offline',
      tags: ['receiving'],
      security: [{ bearer: [] }],
      response: { 200: LpnRange, 401: ErrorBody, 503: ErrorBody },
    },
    onRequest: requireUser(db),
  }, async (request) => {
    const { actor } = authOf(request);
    return reserveLpnRange(db, actor.deviceId, actor.userId);
  });
}
