// What changes who sees which rows: an admin sets a user's owners; a supervisor cancels a pick list
// or assigns it to one picker. Devices learn of each at their next pull (server/sync/pull.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../src/domain';
import { UserOwnersRequest } from '../../src/domain/admin';
import { Id } from '../../src/domain/text';
import { writeAudit } from '../audit';
import { PublicUser } from '../auth';
import { transactionWithRetry, type Db, type Queryable } from '../db/index';
import { publish } from '../db/tables';
import { orderRecord, setOrderStatus } from '../orders/store';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';
import { grantableOwners } from './owner-grants';

const Failure = z.object({ error: z.string(), message: z.string() });

const PickListState = z.object({
  id: z.string(),
  status: z.string(),
  assignedUserId: z.string().nullable(),
});

const notFound = (what: string) => new ApiError(404, { error: 'NOT_FOUND', message: `No such ${what}.` });

/** The pick list, locked, if the actor may manage it; another owner's list is "not found". */
async function lockedList(tx: Queryable, actor: Actor, id: string): Promise<{ id: string; owner_id: string; status: string; assigned_user_id: string | null }> {
  const { rows } = await tx.query<{ id: string; owner_id: string; status: string; assigned_user_id: string | null }>(
    'select id, owner_id, status, assigned_user_id from pick_lists where id = $1 and ($2::text[] is null or owner_id = any($2::text[])) for update',
    [id, actor.ownerIds],
  );
  if (!rows[0]) throw notFound('pick list');
  return rows[0];
}

export async function registerScopeRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.put('/api/admin/users/:id/owners', {
    schema: {
      summary: 'Set the owners a user may work for (admin); null for every owner. Their devices follow at the next pull',
      tags: ['admin'],
      security: [{ bearer: [] }],
      params: z.object({ id: Id }),
      body: UserOwnersRequest,
      response: { 200: PublicUser, 400: Failure, 401: Failure, 403: Failure, 404: Failure },
    },
    onRequest: requireUser(db, ['admin']),
  }, async (request) => {
    const { actor } = authOf(request);
    const wanted = await grantableOwners(db, actor, request.body.ownerIds);
    const { rows } = await db.query<{ id: string; username: string; display_name: string; role: PublicUser['role']; owner_ids: string[] | null }>(
      `update users set owner_ids = $2 where id = $1
         and ($3::text[] is null or (owner_ids is not null and owner_ids <@ $3::text[]))
       returning id, username, display_name, role, owner_ids`,
      [request.params.id, wanted, actor.ownerIds],
    );
    const user = rows[0];
    if (!user) throw notFound('user');
    await writeAudit(db, { event: 'user_owners_set', username: user.username, userId: user.id, actorUserId: actor.userId, address: request.ip, details: { ownerIds: wanted } });
    return { id: user.id, username: user.username, displayName: user.display_name, role: user.role, ownerIds: user.owner_ids };
  });

  api.post('/api/supervisor/pick-lists/:id/cancel', {
    schema: {
      summary: 'Cancel a pick list nothing has been picked from (supervisor, admin); it leaves every device at the next pull',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      params: z.object({ id: Id }),
      response: { 200: PickListState, 401: Failure, 403: Failure, 404: Failure, 409: Failure },
    },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request) => {
    const { actor } = authOf(request);
    return transactionWithRetry(db, async (tx) => {
      const list = await lockedList(tx, actor, request.params.id);
      if (list.status === 'cancelled') return { id: list.id, status: list.status, assignedUserId: list.assigned_user_id };
      if (list.status === 'done') throw new ApiError(409, { error: 'DOCUMENT_CLOSED', message: 'This pick list is done and cannot be cancelled.' });
      // Picks lock their lines too, so none lands between this check and the cancel.
      const lines = await tx.query<{ id: string; picked_qty: number }>('select id, picked_qty from pick_lines where pick_list_id = $1 order by id for update', [list.id]);
      if (lines.rows.some((line) => line.picked_qty > 0)) {
        throw new ApiError(409, { error: 'PICKS_RECORDED', message: 'Units were picked on this list. Undo those picks before cancelling it.' });
      }
      await tx.query(`update pick_lists set status = 'cancelled' where id = $1`, [list.id]);
      await publish(tx, 'pickLists', list.id, list.owner_id, null);
      for (const line of lines.rows) await publish(tx, 'pickLines', line.id, list.owner_id, null);
      // Orders this list alone carried go back to open, to be batched again.
      const released = await tx.query(
        `select o.* from orders o where o.status = 'allocated'
           and o.id in (select order_id from pick_lines where pick_list_id = $1)
           and not exists (select 1 from pick_lines p join pick_lists l on l.id = p.pick_list_id
                           where p.order_id = o.id and l.id <> $1 and l.status <> 'cancelled')
         for update of o`,
        [list.id],
      );
      // Waiting again, they leave the devices until allocation places them on a new list.
      for (const order of released.rows) await setOrderStatus(tx, orderRecord(order), 'open');
      return { id: list.id, status: 'cancelled', assignedUserId: list.assigned_user_id, ownerId: list.owner_id };
    }).then(({ ownerId, ...state }) => {
      app.allocation.request(ownerId);
      return state;
    });
  });

  api.put('/api/supervisor/pick-lists/:id/assignee', {
    schema: {
      summary: 'Assign a pick list to one picker, or to nobody (supervisor, admin); it leaves every other picker’s device at the next pull',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      params: z.object({ id: Id }),
      body: z.object({ userId: Id.nullable() }),
      response: { 200: PickListState, 400: Failure, 401: Failure, 403: Failure, 404: Failure, 409: Failure },
    },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request) => {
    const { actor, user } = authOf(request);
    const { userId } = request.body;
    return transactionWithRetry(db, async (tx) => {
      const list = await lockedList(tx, actor, request.params.id);
      if (list.status === 'cancelled' || list.status === 'done') {
        throw new ApiError(409, { error: 'DOCUMENT_CLOSED', message: `This pick list is ${list.status} and cannot be assigned.` });
      }
      if (userId !== null) {
        const { rows } = await tx.query('select 1 from users where id = $1 and active and (owner_ids is null or $2 = any(owner_ids))', [userId, list.owner_id]);
        if (rows.length === 0) throw new ApiError(400, { error: 'BAD_REQUEST', message: 'userId: no active user who works for this pick list’s owner.' });
      }
      await tx.query('update pick_lists set assigned_user_id = $2 where id = $1', [list.id, userId]);
      // Re-stamped, the list and its lines go out again: to the assignee as rows, to everyone
      // else of the owner as deletions.
      await tx.query(
        `update sync_rows set user_id = $2, xid = pg_current_xact_id(), seq = nextval('sync_seq')
         where (tbl = 'pickLists' and id = $1) or (tbl = 'pickLines' and id in (select id from pick_lines where pick_list_id = $1))`,
        [list.id, userId],
      );
      await writeAudit(tx, {
        event: 'pick_list_assigned', username: user.username, userId: user.id, actorUserId: actor.userId, address: request.ip,
        details: { pickListId: list.id, from: list.assigned_user_id, to: userId },
      });
      return { id: list.id, status: list.status, assignedUserId: userId };
    });
  });
}
