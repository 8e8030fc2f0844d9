// Structured request logs: once a request is signed in, every line logged for it — the route's
// own (a push's rejections), and Fastify's "request completed" — carries its device and user.
// Request bodies are never logged, so neither are a mutation's args nor a sign-in's PIN.
import type { FastifyInstance } from 'fastify';

/** Adds the hook; register it after the app-wide authentication hook (server/http-security). */
export function tagRequestLogs(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const actor = request.auth?.actor;
    if (!actor) return;
    const log = request.log.child({ deviceId: actor.deviceId, userId: actor.userId });
    request.log = log;
    reply.log = log;
  });
}
