// The admin console's routes besides users (admin-routes.ts) and integrations: owners and their
// settings, each owner's carton types, and devices — listed with the unsent work they reported, and
// revoked when lost. Owners and carton types are synced rows, written through `putRow`/`removeRow`
// so devices have them at their next pull. Every route is for admins, scoped by their owners;
// anything outside them is "not found".
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CartonType, Owner, type Actor } from '../../src/domain';
import { AdminDevice, AdminDeviceList, CartonTypeRequest, NewOwnerRequest, OwnerSettings } from '../../src/domain/admin';
import { ErrorBody } from '../../src/domain/api';
import { Id } from '../../src/domain/text';
import { writeAudit } from '../audit';
import { sqlState, type Db, type Queryable } from '../db/index';
import { fromSql, putRow, removeRow } from '../db/tables';
import { listDeviceHealth } from '../sync/device-health';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';
import { OwnerParam, ownerInScope } from './owner-param';

const notFound = (what: string) => new ApiError(404, { error: 'NOT_FOUND', message: `${what} not found.` });

/** The owner `id`, locked, if within the actor's owners. */
async function lockedOwner(tx: Queryable, actor: Actor, id: string): Promise<Owner> {
  const { rows } = await tx.query<Record<string, unknown>>('select * from owners where id = $1 and ($2::text[] is null or id = any($2::text[])) for update', [id, actor.ownerIds]);
  if (!rows[0]) throw notFound('Owner');
  return fromSql('owners', rows[0]);
}

/** The devices' revocations, by id. */
async function revocations(db: Queryable, ids: string[]): Promise<Map<string, { revokedAt: string; revokedBy: string | null }>> {
  const { rows } = await db.query<{ id: string; revoked_at: Date | string; revoked_by: string | null }>(
    `select d.id, d.revoked_at, u.display_name as revoked_by from devices d left join users u on u.id = d.revoked_by
     where d.id = any($1::text[]) and d.revoked_at is not null`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, { revokedAt: new Date(row.revoked_at).toISOString(), revokedBy: row.revoked_by }]));
}

/** The devices an admin of `ownerIds` may see (those of users within their owners), with their revocations. */
async function adminDevices(db: Queryable, ownerIds: readonly string[] | null, only?: { deviceId: string }): Promise<AdminDevice[]> {
  const devices = await listDeviceHealth(db, ownerIds, only);
  const revoked = await revocations(db, devices.map((device) => device.id));
  return devices.map((device) => ({ ...device, revokedAt: revoked.get(device.id)?.revokedAt ?? null, revokedBy: revoked.get(device.id)?.revokedBy ?? null }));
}

export async function registerAdminConsole(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const guarded = { tags: ['admin'], security: [{ bearer: [] }] };
  const onRequest = requireUser(db, ['admin']);

  // ---- Owners ----

  api.get('/api/admin/owners', {
    schema: { ...guarded, summary: 'Your owners and their settings (admin)', response: { 200: z.object({ owners: z.array(Owner) }), 401: ErrorBody, 403: ErrorBody } },
    onRequest,
  }, async (request) => {
    const { rows } = await db.query<Record<string, unknown>>('select * from owners where $1::text[] is null or id = any($1::text[]) order by code', [authOf(request).actor.ownerIds]);
    return { owners: rows.map((row) => fromSql('owners', row)) };
  });

  api.post('/api/admin/owners', {
    schema: {
      ...guarded,
      summary: 'Add an owner (admin of every owner); devices have it at their next pull',
      body: NewOwnerRequest,
      response: { 201: Owner, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
    },
    onRequest,
  }, async (request, reply) => {
    if (authOf(request).actor.ownerIds !== null) {
      throw new ApiError(403, { error: 'FORBIDDEN', message: 'Only an admin of every owner can add an owner. Ask one to add it.' });
    }
    const owner: Owner = { id: `own-${randomUUID()}`, ...request.body };
    try {
      await db.transaction((tx) => putRow(tx, 'owners', owner));
    } catch (error) {
      if (sqlState(error) === '23505') throw new ApiError(409, { error: 'CONFLICT', message: `code: an owner already has the code ${owner.code}. Choose another.` });
      throw error;
    }
    return reply.code(201).send(owner);
  });

  api.put('/api/admin/owners/:id', {
    schema: {
      ...guarded,
      summary: 'Change an owner’s name and rules (admin of the owner); devices follow at their next pull',
      params: z.object({ id: Id }),
      body: OwnerSettings,
      response: { 200: Owner, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    onRequest,
  }, async (request) => {
    const { actor } = authOf(request);
    return db.transaction(async (tx) => {
      const owner = { ...(await lockedOwner(tx, actor, request.params.id)), ...request.body };
      await putRow(tx, 'owners', owner);
      return owner;
    });
  });

  // ---- Carton types ----

  api.get('/api/admin/carton-types', {
    schema: {
      ...guarded,
      summary: 'The carton types packers choose from (admin), of one owner or all of yours',
      querystring: z.object({ owner: OwnerParam.optional().describe('An owner’s code or id; all of yours when absent') }),
      response: { 200: z.object({ cartonTypes: z.array(CartonType) }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    onRequest,
  }, async (request) => {
    const { actor } = authOf(request);
    const owners = request.query.owner === undefined ? actor.ownerIds : [(await ownerInScope(db, actor, request.query.owner)).id];
    const { rows } = await db.query<Record<string, unknown>>(
      'select * from carton_types where $1::text[] is null or owner_id = any($1::text[]) order by owner_id, code',
      [owners],
    );
    return { cartonTypes: rows.map((row) => fromSql('cartonTypes', row)) };
  });

  api.put('/api/admin/carton-types/:id', {
    schema: {
      ...guarded,
      summary: 'Add or change a carton type (admin of its owner); pack stations have it at their next pull',
      description: 'The id is the caller’s (a new one adds the box); a carton type stays with the owner it was added for.',
      params: z.object({ id: Id }),
      body: CartonTypeRequest,
      response: { 200: CartonType, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
    onRequest,
  }, async (request) => {
    const { actor } = authOf(request);
    const row: CartonType = { id: request.params.id, ...request.body };
    try {
      await db.transaction(async (tx) => {
        const owner = await tx.query('select 1 from owners where id = $1 and ($2::text[] is null or id = any($2::text[]))', [row.ownerId, actor.ownerIds]);
        if (owner.rows.length === 0) throw new ApiError(400, { error: 'BAD_REQUEST', message: `ownerId: no owner ${row.ownerId} among yours.` });
        const { rows } = await tx.query<{ owner_id: string }>('select owner_id from carton_types where id = $1 for update', [row.id]);
        const existing = rows[0];
        if (existing && (actor.ownerIds !== null && !actor.ownerIds.includes(existing.owner_id))) throw notFound('Carton type');
        if (existing && existing.owner_id !== row.ownerId) {
          throw new ApiError(409, { error: 'CONFLICT', message: 'A carton type stays with its owner. Add a new one for the other owner.' });
        }
        await putRow(tx, 'cartonTypes', row);
      });
    } catch (error) {
      if (sqlState(error) === '23505') throw new ApiError(409, { error: 'CONFLICT', message: `code: this owner already has a carton type ${row.code}. Choose another code, or edit that one.` });
      throw error;
    }
    return row;
  });

  api.delete('/api/admin/carton-types/:id', {
    schema: {
      ...guarded,
      summary: 'Remove a carton type no carton was closed with (admin of its owner); pack stations drop it at their next pull',
      params: z.object({ id: Id }),
      response: { 204: z.null().describe('Removed'), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
    onRequest,
  }, async (request, reply) => {
    const { actor } = authOf(request);
    const inUse = () => new ApiError(409, {
      error: 'CARTON_TYPE_USED',
      message: 'Cartons were packed in this box, and their records name it: it cannot be removed. Rename it instead (e.g. "retired"), so packers stop choosing it.',
    });
    try {
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ owner_id: string }>(
          'select owner_id from carton_types where id = $1 and ($2::text[] is null or owner_id = any($2::text[])) for update',
          [request.params.id, actor.ownerIds],
        );
        if (!rows[0]) throw notFound('Carton type');
        const used = await tx.query('select 1 from cartons where carton_type_id = $1 limit 1', [request.params.id]);
        if (used.rows.length > 0) throw inUse();
        await removeRow(tx, 'cartonTypes', request.params.id, rows[0].owner_id);
      });
    } catch (error) {
      // A carton closed with it while this ran: the foreign key refuses, and so does this.
      if (sqlState(error) === '23503') throw inUse();
      throw error;
    }
    return reply.code(204).send(null);
  });

  // ---- Devices ----

  api.get('/api/admin/devices', {
    schema: {
      ...guarded,
      summary: 'Devices (admin): user, last contact, the unsent work each last reported, and revocations',
      response: { 200: AdminDeviceList, 401: ErrorBody, 403: ErrorBody },
    },
    onRequest,
  }, async (request) => ({ devices: await adminDevices(db, authOf(request).actor.ownerIds) }));

  api.post('/api/admin/devices/:id/revoke', {
    schema: {
      ...guarded,
      summary: 'Revoke a lost device (admin): its sessions end at once and its id never signs in again; the unsent work it reported stays listed for a supervisor to redo',
      params: z.object({ id: Id }),
      response: { 200: AdminDevice, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
    onRequest,
  }, async (request) => {
    const { actor } = authOf(request);
    const deviceId = request.params.id;
    if (deviceId === actor.deviceId) {
      throw new ApiError(409, { error: 'CONFLICT', message: 'This is the device you are using. Revoke it from another one.' });
    }
    await db.transaction(async (tx) => {
      // The device row is the lock push and sign-in take: neither interleaves with this.
      const { rows } = await tx.query<{ revoked_at: Date | null; user_id: string | null; username: string | null; pending_count: number | null; oldest_pending_at: Date | null }>(
        `select d.revoked_at, d.user_id, u.username, d.pending_count, d.oldest_pending_at from devices d left join users u on u.id = d.user_id
         where d.id = $1 and ($2::text[] is null or (u.owner_ids is not null and u.owner_ids <@ $2::text[])) for update of d`,
        [deviceId, actor.ownerIds],
      );
      const device = rows[0];
      if (!device) throw notFound('Device');
      if (device.revoked_at !== null) return;
      await tx.query('update devices set revoked_at = now(), revoked_by = $2 where id = $1', [deviceId, actor.userId]);
      await tx.query('delete from sessions where device_id = $1', [deviceId]);
      await writeAudit(tx, {
        event: 'device_revoked',
        // The trail is read by username: the device's last user's, or the device's own id.
        username: device.username ?? deviceId,
        userId: device.user_id,
        actorUserId: actor.userId,
        address: request.ip,
        details: { deviceId, pendingCount: device.pending_count, oldestPendingAt: device.oldest_pending_at === null ? null : new Date(device.oldest_pending_at).toISOString() },
      });
    });
    const [device] = await adminDevices(db, actor.ownerIds, { deviceId });
    if (!device) throw notFound('Device');
    return device;
  });
}
