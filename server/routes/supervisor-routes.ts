// What supervisors watch: pick list progress, rejected mutations, devices and their sync health;
// and the override codes they hand to packers closing a carton short.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, OverrideCodes, OverrideCodesRequest, SupervisorOverview } from '../../src/domain/api';
import { writeAudit } from '../audit';
import { transactionWithRetry, type Db } from '../db/index';
import { issueOverrideCodes } from '../orders/override-codes';
import { listDeviceHealth } from '../sync/device-health';
import { authOf, requireUser } from './guard';

export async function registerSupervisor(app: FastifyInstance, db: Db): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/api/supervisor/overview', {
    schema: { summary: 'Pick progress, recent rejections, and devices with their unsent work and failing pushes (supervisor, admin)', tags: ['supervisor'], security: [{ bearer: [] }], response: { 200: SupervisorOverview } },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request) => {
    const owners = authOf(request).actor.ownerIds;
    const lists = await db.query<{ id: string; number: string; owner_id: string; status: string; lines: number; lines_done: number; units: number; units_picked: number }>(
      `select l.id, l.number, l.owner_id, l.status, count(p.id)::int as lines, count(p.id) filter (where p.status = 'done')::int as lines_done,
              coalesce(sum(p.qty), 0)::int as units, coalesce(sum(p.picked_qty), 0)::int as units_picked
       from pick_lists l left join pick_lines p on p.pick_list_id = l.id
       where $1::text[] is null or l.owner_id = any($1::text[])
       group by l.id order by l.number`,
      [owners],
    );
    // Rejections are site-wide; their messages name other owners' goods, so only a supervisor of
    // every owner sees them. Devices are listed per user's owners, with codes only.
    const siteWide = owners === null;
    const rejections = await db.query<{ device_id: string; seq: number; type: string; code: string | null; message: string | null; user_id: string; created_at: Date }>(
      `select device_id, seq, type, code, message, user_id, created_at from mutation_results where status = 'rejected' and $1 order by created_at desc limit 100`,
      [siteWide],
    );
    const devices = await listDeviceHealth(db, owners);
    return {
      pickLists: lists.rows.map((r) => ({ id: r.id, number: r.number, ownerId: r.owner_id, status: r.status, lines: r.lines, linesDone: r.lines_done, units: r.units, unitsPicked: r.units_picked })),
      rejections: rejections.rows.map((r) => ({ deviceId: r.device_id, seq: Number(r.seq), type: r.type, code: r.code, message: r.message, userId: r.user_id, createdAt: new Date(r.created_at).toISOString() })),
      devices,
    };
  });

  app.withTypeProvider<ZodTypeProvider>().post('/api/supervisor/override-codes', {
    schema: {
      summary: 'Issue one-time override codes a packer needs to close an order short (supervisor, admin). Shown only in this answer; each works once, for the issuer’s owners, until expiresAt',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      body: OverrideCodesRequest,
      response: { 200: OverrideCodes, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request, reply) => {
    const { actor, user } = authOf(request);
    const { count } = request.body;
    const issued = await transactionWithRetry(db, async (tx) => {
      const answer = await issueOverrideCodes(tx, { userId: actor.userId, ownerIds: actor.ownerIds }, count);
      await writeAudit(tx, {
        event: 'override_codes_issued',
        username: user.username,
        userId: user.id,
        actorUserId: actor.userId,
        address: request.ip,
        details: { count, expiresAt: answer.expiresAt, ownerIds: actor.ownerIds },
      });
      return answer;
    });
    // Codes in the clear: no cache on the way may keep them (the API's answers are no-store anyway).
    return reply.header('cache-control', 'no-store').send(issued);
  });
}
