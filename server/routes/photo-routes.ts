// Damage photos: the device uploads the image bytes of a photo taken while receiving, keyed by
// the mutation that recorded the damage. Uploads are idempotent (a retry after a lost answer
// stores nothing twice) and never part of the sync protocol: a photo may arrive before or after
// its mutation.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/index';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

/** Largest photo accepted, in bytes. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
type PhotoType = (typeof PHOTO_TYPES)[number];

const Failure = z.object({ error: z.string(), message: z.string() });
const Stored = z.object({ mutationId: z.string(), bytes: z.number().int(), contentType: z.string() });

/** Whether the bytes start the way an image of that type must: a mislabelled body is refused. */
function looksLike(type: PhotoType, bytes: Buffer): boolean {
  switch (type) {
    case 'image/jpeg':
      return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    case 'image/png':
      return bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/webp':
      return bytes.length > 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP';
  }
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export async function registerPhotos(app: FastifyInstance, db: Db): Promise<void> {
  // Its own scope: the raw-body parser and the 5 MB limit apply to this route only.
  await app.register(async (scope) => {
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
      if (error.statusCode === 413) {
        return reply.code(413).send({ error: 'PAYLOAD_TOO_LARGE', message: `The photo is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB. Take it again at a lower resolution.` });
      }
      throw error;
    });

    scope.withTypeProvider<ZodTypeProvider>().post('/api/photos', {
      schema: {
        summary: 'Upload the photo of a damage recorded by a mutation (raw image bytes: JPEG, PNG or WebP, at most 5 MB)',
        tags: ['receiving'],
        security: [{ bearer: [] }],
        querystring: z.object({ mutationId: z.uuid(), receiptId: z.string().min(1).max(100).optional() }),
        response: { 200: Stored, 201: Stored, 400: Failure, 401: Failure, 409: Failure, 413: Failure },
      },
      // Checked before the body is read: nobody signed out streams 5 MB into the server.
      onRequest: requireUser(db),
    }, async (request, reply) => {
      const { actor } = authOf(request);
      const type = mediaType(request.headers['content-type']);
      if (!(PHOTO_TYPES as readonly string[]).includes(type)) {
        throw new ApiError(400, { error: 'BAD_REQUEST', message: `A photo must be sent as ${PHOTO_TYPES.join(', ')}, not "${type || 'no content type'}".` });
      }
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError(400, { error: 'BAD_REQUEST', message: 'The photo is empty.' });
      if (!looksLike(type as PhotoType, body)) {
        throw new ApiError(400, { error: 'BAD_REQUEST', message: `The body is not a ${type} image.` });
      }
      const { mutationId, receiptId } = request.query;
      const inserted = await db.query(
        `insert into photos (mutation_id, receipt_id, content_type, size_bytes, bytes, user_id, device_id)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (mutation_id) do nothing returning mutation_id`,
        [mutationId, receiptId ?? null, type, body.length, body, actor.userId, actor.deviceId],
      );
      if (inserted.rows.length === 0) {
        const { rows } = await db.query<{ device_id: string; size_bytes: number; content_type: string }>(
          'select device_id, size_bytes, content_type from photos where mutation_id = $1',
          [mutationId],
        );
        const existing = rows[0];
        if (!existing || existing.device_id !== actor.deviceId) {
          throw new ApiError(409, { error: 'CONFLICT', message: 'Another device already sent a photo for this mutation.' });
        }
        return reply.code(200).send({ mutationId, bytes: existing.size_bytes, contentType: existing.content_type });
      }
      return reply.code(201).send({ mutationId, bytes: body.length, contentType: type });
    });
  });
}
