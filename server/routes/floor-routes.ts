// The supervisor's floor screens (issue 15): pick lists and their scans, pickers' rates, and the
// exceptions that need a person with the actions that resolve them. Supervisors and admins only,
// every query scoped by the caller's owners; another owner's list, exception or notice is "not found".
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../src/domain/api';
import {
  ExceptionsAnswer,
  ExceptionsQuery,
  PickerCandidates,
  PickersAnswer,
  PickersQuery,
  PickListDetail,
  PickListsAnswer,
  PickListsQuery,
  Resolved,
  ResolveException,
} from '../../src/domain/supervisor-floor';
import { Id } from '../../src/domain/text';
import { writeAudit } from '../audit';
import { transactionWithRetry, type Db } from '../db/index';
import { listExceptions, resolveException, retryNotice } from '../supervisor/exceptions';
import { listPickLists, pickerStats, pickListDetail } from '../supervisor/floor';
import { ApiError } from './errors';
import { authOf, callerScope, requireUser } from './guard';
import { ownerInScope } from './owner-param';

export interface FloorRouteOptions {
  /** The warehouse's IANA time zone: the shift starts at 06:00 there. */
  timeZone: string;
  /** The clock the pickers' rates are taken at; injectable for tests. */
  now?: () => number;
}

const failures = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const supervisors = ['supervisor', 'admin'] as const;

export async function registerFloorRoutes(app: FastifyInstance, db: Db, options: FloorRouteOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const now = options.now ?? Date.now;
  /** The owner a filter names, within the caller's owners (404 for any other). */
  const ownerFilter = async (request: Parameters<typeof authOf>[0], owner: string | undefined) =>
    owner === undefined ? null : (await ownerInScope(db, authOf(request).actor, owner)).id;

  api.get('/api/supervisor/pick-lists', {
    schema: {
      summary: 'Pick lists with lines and units done, short units, wave, assignee and last scanner, active first (supervisor, admin)',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      querystring: PickListsQuery,
      response: { 200: PickListsAnswer, ...failures },
    },
    onRequest: requireUser(db, [...supervisors]),
  }, async (request) => {
    const { ownerIds } = callerScope(request);
    const { owner, zone, status } = request.query;
    return { lists: await listPickLists(db, { ownerIds, ownerId: await ownerFilter(request, owner), zone, status }) };
  });

  api.get('/api/supervisor/pick-lists/:id', {
    schema: {
      summary: 'One pick list: its lines (bin, SKU, picked, short and why) and every scan on them with who, which device and when (supervisor, admin)',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      params: z.object({ id: Id }),
      response: { 200: PickListDetail, ...failures },
    },
    onRequest: requireUser(db, [...supervisors]),
  }, async (request) => {
    const detail = await pickListDetail(db, callerScope(request).ownerIds, request.params.id);
    if (!detail) throw new ApiError(404, { error: 'NOT_FOUND', message: 'No such pick list.' });
    return detail;
  });

  api.get('/api/supervisor/pickers', {
    schema: {
      summary: 'Per picker: units and lines over the last hour and the shift (since 06:00 warehouse time, or the last 8 h before it), current list and bin, idle time, units per 15 minutes (supervisor, admin)',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      querystring: PickersQuery,
      response: { 200: PickersAnswer, ...failures },
    },
    onRequest: requireUser(db, [...supervisors]),
  }, async (request) => {
    const { ownerIds } = callerScope(request);
    const ownerId = await ownerFilter(request, request.query.owner);
    return pickerStats(db, { ownerIds, ownerId }, { timeZone: options.timeZone, now: now() });
  });

  api.get('/api/supervisor/assignable-users', {
    schema: {
      summary: 'Active users a pick list of the caller’s owners may be assigned to (supervisor, admin)',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      response: { 200: PickerCandidates, 401: ErrorBody, 403: ErrorBody },
    },
    onRequest: requireUser(db, [...supervisors]),
  }, async (request) => {
    const { ownerIds } = callerScope(request);
    const { rows } = await db.query<{ id: string; display_name: string; owner_ids: string[] | null }>(
      `select id, display_name, owner_ids from users
       where active and ($1::text[] is null or owner_ids is null or owner_ids && $1::text[]) order by display_name, id limit 500`,
      [ownerIds],
    );
    // Of a user's owners, only the caller's are named.
    const visible = (owners: string[] | null) => (owners === null || ownerIds === null ? owners : owners.filter((o) => ownerIds.includes(o)));
    return { users: rows.map((u) => ({ id: u.id, displayName: u.display_name, ownerIds: visible(u.owner_ids) })) };
  });

  api.get('/api/supervisor/exceptions', {
    schema: {
      summary: 'What needs a supervisor: short picks, rejected scans, orders on hold or backordered, orders cancelled or changed after picking, failing store notices; each with its resolving actions and who resolved it (supervisor, admin)',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      querystring: ExceptionsQuery,
      response: { 200: ExceptionsAnswer, ...failures },
    },
    onRequest: requireUser(db, [...supervisors]),
  }, async (request) => {
    const { ownerIds } = callerScope(request);
    const ownerId = await ownerFilter(request, request.query.owner);
    return { exceptions: await listExceptions(db, { ownerIds, ownerId, state: request.query.state }) };
  });

  api.post('/api/supervisor/exceptions/resolve', {
    schema: {
      summary: 'Resolve an exception: a short pick counted, a rejected scan or an order cancelled or changed after picking handled (supervisor, admin). The first to resolve it is kept',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      body: ResolveException,
      response: { 200: Resolved, ...failures },
    },
    onRequest: requireUser(db, [...supervisors]),
  }, async (request) => {
    const { actor, user } = authOf(request);
    const { kind, ref } = request.body;
    const resolved = await transactionWithRetry(db, async (tx) => {
      const done = await resolveException(tx, actor.ownerIds, actor.userId, request.body);
      if (!done) throw new ApiError(404, { error: 'NOT_FOUND', message: 'ref: no such exception.' });
      await writeAudit(tx, {
        event: 'exception_resolved', username: user.username, userId: user.id, actorUserId: actor.userId, address: request.ip,
        details: { kind, ref, ownerId: done.ownerId },
      });
      return done;
    });
    return { id: `${kind}:${ref}`, resolved: { by: resolved.by, at: resolved.at } };
  });

  api.post('/api/supervisor/fulfillment-notices/:id/retry', {
    schema: {
      summary: 'Send a failing store notice again now, noting who asked (supervisor, admin); it stays listed until the store acknowledges it',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      params: z.object({ id: Id }),
      response: { 200: Resolved, ...failures, 409: ErrorBody },
    },
    onRequest: requireUser(db, [...supervisors]),
  }, async (request) => {
    const { actor, user } = authOf(request);
    const { id } = request.params;
    const retried = await transactionWithRetry(db, async (tx) => {
      const outcome = await retryNotice(tx, actor.ownerIds, actor.userId, id);
      if (!outcome) throw new ApiError(404, { error: 'NOT_FOUND', message: 'No such notice.' });
      if (!outcome.resolved) throw new ApiError(409, { error: 'NOTICE_NOT_PENDING', message: `This notice is ${outcome.status}: there is nothing to send again.` });
      await writeAudit(tx, {
        event: 'notice_retried', username: user.username, userId: user.id, actorUserId: actor.userId, address: request.ip,
        details: { noticeId: id, ownerId: outcome.ownerId },
      });
      return outcome.resolved;
    });
    app.fulfillment.request();
    return { id: `notice_failing:${id}`, resolved: { by: retried.by, at: retried.at } };
  });
}
