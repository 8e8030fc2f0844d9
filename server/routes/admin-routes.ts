// Administration of users: listing them, creating the real users of a site (demo users come only
// from the seed), resetting a PIN, deactivating and reactivating an account, and unlocking one
// locked after failed sign-ins. Each change is on the audit trail (server/audit.ts). An admin of
// some owners sees and changes only users limited to those owners; anyone else is "not found".
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../src/domain';
import { AdminUser, AdminUserList, NewUserRequest, PinResetRequest, UserActiveRequest } from '../../src/domain/admin';
import { ErrorBody } from '../../src/domain/api';
import { Id, Username } from '../../src/domain/text';
import { writeAudit, type AuditEntry } from '../audit';
import { createUser, hashPin, PublicUser } from '../auth';
import { unlockAccount } from '../sign-in-guard';
import { sqlState, type Db, type Queryable } from '../db/index';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';
import { grantableOwners } from './owner-grants';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: AdminUser['role'];
  owner_ids: string[] | null;
  active: boolean;
  created_at: Date | string;
}

const USER_COLUMNS = 'id, username, display_name, role, owner_ids, active, created_at';

const adminUser = (row: UserRow): AdminUser => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  ownerIds: row.owner_ids,
  active: row.active,
  createdAt: new Date(row.created_at).toISOString(),
});

const userNotFound = () => new ApiError(404, { error: 'NOT_FOUND', message: 'User not found.' });

/**
 * SQL condition: the user (alias `u`) is one `$n` (an actor's owners, null: every owner) may
 * manage: any user for an admin of every owner, else only users limited to owners within theirs.
 */
const withinScope = (param: string) => `(${param}::text[] is null or (u.owner_ids is not null and u.owner_ids <@ ${param}::text[]))`;

/** The user `id`, locked, if `actor` may manage them; anyone else is "not found". */
async function managedUser(tx: Queryable, actor: Actor, id: string): Promise<UserRow> {
  const { rows } = await tx.query<UserRow>(`select ${USER_COLUMNS} from users u where u.id = $1 and ${withinScope('$2')} for update`, [id, actor.ownerIds]);
  if (!rows[0]) throw userNotFound();
  return rows[0];
}

/** An audit row for an admin's action on `user`. */
function auditOf(request: FastifyRequest, event: AuditEntry['event'], user: { id: string; username: string }, details?: Record<string, unknown>): AuditEntry {
  return { event, username: user.username, userId: user.id, actorUserId: authOf(request).actor.userId, address: request.ip, ...(details ? { details } : {}) };
}

export async function registerAdmin(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const guarded = { tags: ['admin'], security: [{ bearer: [] }] };
  const onRequest = requireUser(db, ['admin']);

  api.get('/api/admin/users', {
    schema: { ...guarded, summary: 'The users you manage (admin): all for an admin of every owner, else those limited to your owners', response: { 200: AdminUserList, 401: ErrorBody, 403: ErrorBody } },
    onRequest,
  }, async (request) => {
    const { rows } = await db.query<UserRow>(`select ${USER_COLUMNS} from users u where ${withinScope('$1')} order by u.username`, [authOf(request).actor.ownerIds]);
    return { users: rows.map(adminUser) };
  });

  api.post('/api/admin/users', {
    schema: { ...guarded, summary: 'Create a user (admin)', body: NewUserRequest, response: { 201: PublicUser, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody } },
    onRequest,
  }, async (request, reply) => {
    const ownerIds = await grantableOwners(db, authOf(request).actor, request.body.ownerIds);
    let user: PublicUser;
    try {
      user = await createUser(db, { ...request.body, ownerIds });
    } catch (error) {
      if (sqlState(error) === '23505') throw new ApiError(409, { error: 'CONFLICT', message: `The username ${request.body.username} is taken.` });
      throw error;
    }
    await writeAudit(db, auditOf(request, 'user_created', user, { role: user.role, ownerIds }));
    return reply.code(201).send(user);
  });

  api.put('/api/admin/users/:id/pin', {
    schema: {
      ...guarded,
      summary: 'Set a new PIN for a user (admin), and lift a lock after failed sign-ins; their sessions go on',
      params: z.object({ id: Id }),
      body: PinResetRequest,
      response: { 200: AdminUser, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    onRequest,
  }, async (request) => {
    const { actor } = authOf(request);
    // scrypt takes a while: hashed before the row is locked.
    const pinHash = await hashPin(request.body.pin);
    const user = await db.transaction(async (tx) => {
      const found = await managedUser(tx, actor, request.params.id);
      await tx.query('update users set pin_hash = $2 where id = $1', [found.id, pinHash]);
      await writeAudit(tx, auditOf(request, 'user_pin_reset', found));
      return found;
    });
    // A user locked out for forgetting their PIN can use the new one at once (audited if it was locked).
    await unlockAccount(db, { username: user.username, userId: user.id }, { userId: actor.userId, address: request.ip });
    return adminUser(user);
  });

  api.put('/api/admin/users/:id/active', {
    schema: {
      ...guarded,
      summary: 'Deactivate a user (admin): every session of theirs ends at once and they cannot sign in; or reactivate them',
      params: z.object({ id: Id }),
      body: UserActiveRequest,
      response: { 200: AdminUser, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
    onRequest,
  }, async (request) => {
    const { actor } = authOf(request);
    const { active } = request.body;
    return db.transaction(async (tx) => {
      const found = await managedUser(tx, actor, request.params.id);
      if (!active && found.id === actor.userId) {
        throw new ApiError(409, { error: 'CONFLICT', message: 'You cannot deactivate your own account. Ask another admin.' });
      }
      if (found.active === active) return adminUser(found);
      await tx.query('update users set active = $2 where id = $1', [found.id, active]);
      if (!active) await tx.query('delete from sessions where user_id = $1', [found.id]);
      await writeAudit(tx, auditOf(request, active ? 'user_reactivated' : 'user_deactivated', found));
      return adminUser({ ...found, active });
    });
  });

  api.post('/api/admin/users/:username/unlock', {
    schema: {
      summary: 'Unlock an account locked after failed sign-ins (supervisor or admin of the user’s owners)',
      ...guarded,
      params: z.object({ username: Username }),
      response: { 200: z.object({ username: z.string(), wasLocked: z.boolean() }), 404: ErrorBody },
    },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request) => {
    const { actor } = authOf(request);
    const { username } = request.params;
    const { rows } = await db.query<{ id: string; owner_ids: string[] | null }>('select id, owner_ids from users where username = $1', [username]);
    const user = rows[0];
    // A supervisor limited to some owners acts only on users limited to those owners: anyone
    // else, or a username that is nobody's, is "not found".
    const within = actor.ownerIds === null || (user?.owner_ids != null && user.owner_ids.every((owner) => actor.ownerIds!.includes(owner)));
    if (!user || !within) throw new ApiError(404, { error: 'NOT_FOUND', message: 'User not found.' });
    const { wasLocked } = await unlockAccount(db, { username, userId: user.id }, { userId: actor.userId, address: request.ip });
    return { username, wasLocked };
  });
}
