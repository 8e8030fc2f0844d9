// The site's label printers: an admin registers each by the code written on it ("PACK-1") with
// the address it takes ZPL on; every signed-in user lists them by code and name to choose one.
// Printers are site-wide hardware, so only an admin of every owner may set them: a printer's
// address decides where every owner's labels (names and addresses) are sent.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../src/domain/api';
import { AdminPrinter, PrinterCode, PrinterList, PrinterSettings } from '../../src/domain/printing';
import type { Db } from '../db/index';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

interface PrinterRow {
  code: string;
  name: string;
  host: string;
  port: number;
  updated_at: Date | string;
}

const adminView = (row: PrinterRow): AdminPrinter => ({
  code: row.code,
  name: row.name,
  host: row.host,
  port: row.port,
  updatedAt: row.updated_at instanceof Date ? row.updated_at.toISOString() : new Date(row.updated_at).toISOString(),
});

export const printerNotFound = (code: string) =>
  new ApiError(404, { error: 'PRINTER_NOT_FOUND', message: `No printer ${code} is registered. Choose another printer, or ask an admin to add it.` });

/** The printer registered as `code`, with its address; null when there is none. */
export async function findPrinter(db: Db, code: string): Promise<PrinterRow | null> {
  const { rows } = await db.query<PrinterRow>('select code, name, host, port, updated_at from printers where code = $1', [code]);
  return rows[0] ?? null;
}

/**
 * An onRequest hook after `requireUser(db, ['admin'])`, before the body is read: printers are every
 * owner's, so an admin limited to some owners may not redirect them.
 */
async function requireSiteAdmin(request: FastifyRequest): Promise<void> {
  if (authOf(request).actor.ownerIds !== null) {
    throw new ApiError(403, { error: 'FORBIDDEN', message: 'Printers serve every owner: only an admin of every owner can set them.' });
  }
}

export async function registerPrinters(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const params = z.object({ code: PrinterCode });

  api.get('/api/printers', {
    schema: {
      summary: 'The site’s label printers by code and name, for a pack station to choose one',
      tags: ['printing'],
      security: [{ bearer: [] }],
      response: { 200: PrinterList, 401: ErrorBody },
    },
    onRequest: requireUser(db),
  }, async () => {
    const { rows } = await db.query<{ code: string; name: string }>('select code, name from printers order by code');
    return { printers: rows };
  });

  api.get('/api/admin/printers', {
    schema: {
      summary: 'The site’s label printers with their addresses (admin)',
      tags: ['admin', 'printing'],
      security: [{ bearer: [] }],
      response: { 200: z.object({ printers: z.array(AdminPrinter) }), 401: ErrorBody, 403: ErrorBody },
    },
    onRequest: requireUser(db, ['admin']),
  }, async () => {
    const { rows } = await db.query<PrinterRow>('select code, name, host, port, updated_at from printers order by code');
    return { printers: rows.map(adminView) };
  });

  api.put('/api/admin/printers/:code', {
    schema: {
      summary: 'Register a label printer, or change its name or address (admin of every owner). The server sends it ZPL over raw TCP, port 9100 unless given',
      tags: ['admin', 'printing'],
      security: [{ bearer: [] }],
      params,
      body: PrinterSettings,
      response: { 200: AdminPrinter, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    onRequest: [requireUser(db, ['admin']), requireSiteAdmin],
  }, async (request) => {
    const { name, host, port } = request.body;
    const { rows } = await db.query<PrinterRow>(
      `insert into printers (code, name, host, port) values ($1, $2, $3, $4)
       on conflict (code) do update set name = excluded.name, host = excluded.host, port = excluded.port, updated_at = now()
       returning code, name, host, port, updated_at`,
      [request.params.code, name, host, port],
    );
    return adminView(rows[0]!);
  });

  api.delete('/api/admin/printers/:code', {
    schema: {
      summary: 'Remove a label printer (admin of every owner); its past jobs are kept',
      tags: ['admin', 'printing'],
      security: [{ bearer: [] }],
      params,
      response: { 204: z.null().describe('Removed'), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    onRequest: [requireUser(db, ['admin']), requireSiteAdmin],
  }, async (request, reply) => {
    const { rows } = await db.query('delete from printers where code = $1 returning code', [request.params.code]);
    if (rows.length === 0) throw printerNotFound(request.params.code);
    return reply.code(204).send(null);
  });
}
