// Master data imports (admin): an owner's products, the bin map and users, each a CSV file sent
// as the request body, imported all or nothing. Products and bins go through the sync feed's
// writers, so devices have them at their next pull.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importCsv, InvalidCsvAnswer } from '../csv/import-csv';
import { acceptCsvBodies, csvBody, MAX_CSV_BYTES, MAX_CSV_ROWS } from '../csv/read-csv';
import type { Db } from '../db/index';
import { binImport } from '../master-data/bin-import';
import { ImportCounts, noCounts } from '../master-data/import-counts';
import { productImport } from '../master-data/product-import';
import { userImport } from '../master-data/user-import';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';
import { OwnerParam, ownerInScope, ownersByCode } from './owner-param';

const Failure = z.object({ error: z.string(), message: z.string() });
const responses = { 200: ImportCounts, 401: Failure, 403: Failure, 404: Failure, 413: Failure, 415: Failure, 422: InvalidCsvAnswer };
const LIMITS = `At most ${MAX_CSV_BYTES / 1024 / 1024} MiB and ${MAX_CSV_ROWS.toLocaleString('en')} rows; separated by , ; or tab; all or nothing.`;

export async function registerImports(app: FastifyInstance, db: Db): Promise<void> {
  // Its own scope: the raw-stream CSV body parser applies to these routes only.
  await app.register(async (scope) => {
    acceptCsvBodies(scope);
    const api = scope.withTypeProvider<ZodTypeProvider>();
    // Checked before the body is read: nobody but an admin streams a file into the server.
    const common = { onRequest: requireUser(db, ['admin']), config: { ownBodyTextCheck: true } };

    api.post('/api/admin/import/products', {
      ...common,
      schema: {
        summary: 'Import an owner’s products from CSV (admin), upserted by SKU',
        description: 'Columns: sku, name, barcodes (separated by | or spaces; GTIN check digits are verified, and the SKU always scans too), '
          + 'lot_tracked, expiry_tracked (true/false, yes/no, 1/0; empty is false), zone, pick_face (a bin code), unit_weight_g, '
          + `length_mm, width_mm, height_mm. ${LIMITS}`,
        tags: ['admin'],
        security: [{ bearer: [] }],
        consumes: ['text/csv'],
        querystring: z.object({ owner: OwnerParam }),
        response: responses,
      },
    }, async (request) => {
      const owner = await ownerInScope(db, authOf(request).actor, request.query.owner);
      const counts = noCounts();
      await importCsv(db, { stream: csvBody(request.body), ...productImport(owner.id, counts) });
      return counts;
    });

    api.post('/api/admin/import/bins', {
      ...common,
      schema: {
        summary: 'Import the bin map from CSV (admin of every owner), upserted by bin code',
        description: `Columns: code, zone, type (dock, storage, pick_face, pack, returns, quarantine, damaged), aisle, level, walk_order (a whole number), capacity (optional). ${LIMITS}`,
        tags: ['admin'],
        security: [{ bearer: [] }],
        consumes: ['text/csv'],
        response: responses,
      },
    }, async (request) => {
      if (authOf(request).actor.ownerIds !== null) {
        throw new ApiError(403, { error: 'FORBIDDEN', message: 'Bins are shared by every owner: only an admin of every owner can import them. Ask one to upload the file.' });
      }
      const counts = noCounts();
      await importCsv(db, { stream: csvBody(request.body), ...binImport(counts) });
      return counts;
    });

    api.post('/api/admin/import/users', {
      ...common,
      schema: {
        summary: 'Import users from CSV (admin): new ones are created, existing ones get their name, role and owners updated',
        description: 'Columns: username, name, role (operator, supervisor, admin), owners (owner codes separated by |; empty for every owner), '
          + `pin (4 to 8 digits; needed for a new user, ignored for an existing one). ${LIMITS}`,
        tags: ['admin'],
        security: [{ bearer: [] }],
        consumes: ['text/csv'],
        response: responses,
      },
    }, async (request) => {
      const { actor } = authOf(request);
      const counts = noCounts();
      await importCsv(db, { stream: csvBody(request.body), ...userImport(actor, await ownersByCode(db, actor), counts) });
      return counts;
    });
  });
}
