// Damage photos: the device uploads the image bytes of a photo taken while receiving, keyed by
// its own device and the mutation that recorded the damage, so nobody else's upload can take the
// key. Uploads are idempotent (a retry after a lost answer stores nothing twice) and never part
// of the sync protocol: a photo may arrive before or after its mutation.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, StoredPhoto } from '../../src/domain/api';
import { Id, Uuid } from '../../src/domain/text';
import type { Db } from '../db/index';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';
import type { Actor } from '../../src/domain';

/** Largest photo accepted, in bytes. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
type PhotoType = (typeof PHOTO_TYPES)[number];


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
        querystring: z.object({ mutationId: Uuid, receiptId: Id.optional() }),
        response: { 200: StoredPhoto, 201: StoredPhoto, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 413: ErrorBody },
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
      await checkPhotoTarget(db, actor, mutationId, receiptId);
      const inserted = await db.query(
        `insert into photos (mutation_id, receipt_id, content_type, size_bytes, bytes, user_id, device_id)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (device_id, mutation_id) do nothing returning mutation_id`,
        [mutationId, receiptId ?? null, type, body.length, body, actor.userId, actor.deviceId],
      );
      if (inserted.rows.length === 0) {
        // This device sent it before (the answer was lost): the stored photo stands.
        const { rows } = await db.query<{ size_bytes: number; content_type: string }>(
          'select size_bytes, content_type from photos where device_id = $1 and mutation_id = $2',
          [actor.deviceId, mutationId],
        );
        const existing = rows[0]!;
        return reply.code(200).send({ mutationId, bytes: existing.size_bytes, contentType: existing.content_type });
      }
      return reply.code(201).send({ mutationId, bytes: body.length, contentType: type });
    });
  });
}

const notFound = (what: string) => new ApiError(404, { error: 'NOT_FOUND', message: `${what} not found.` });

/**
 * Refuses a photo for a receipt the user cannot see, or for a mutation that another device or
 * user recorded; both answer only "not found". A mutation not pushed yet is accepted: the photo
 * waits under this device's key, and readers (the `mutation_photos` view) show it only once the
 * mutation's result names this device and user.
 */
async function checkPhotoTarget(db: Db, actor: Actor, mutationId: string, receiptId: string | undefined): Promise<void> {
  if (receiptId !== undefined) {
    const { rows } = await db.query<{ owner_id: string }>('select owner_id from receipts where id = $1', [receiptId]);
    const receipt = rows[0];
    if (!receipt || (actor.ownerIds !== null && !actor.ownerIds.includes(receipt.owner_id))) throw notFound('Receipt');
  }
  const { rows } = await db.query<{ device_id: string; user_id: string; receipt_id: string | null }>(
    // The mutation's own result, not another device's reuse of its id (migration 005).
    `select device_id, user_id, args->>'receiptId' as receipt_id from mutation_results
     where mutation_id = $1 and code is distinct from 'DUPLICATE_MUTATION_ID'`,
    [mutationId],
  );
  const result = rows[0];
  if (!result) return;
  if (result.device_id !== actor.deviceId || result.user_id !== actor.userId) throw notFound('Mutation');
  if (receiptId !== undefined && result.receipt_id !== null && result.receipt_id !== receiptId) {
    throw new ApiError(400, { error: 'BAD_REQUEST', message: `/receiptId is not the receipt of mutation ${mutationId}.` });
  }
}
