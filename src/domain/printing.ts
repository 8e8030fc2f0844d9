// The wire shapes of printing from the pack station: the site's label printers (network printers
// the server sends ZPL to) and a print job for one carton's label. The server's routes declare
// them, and the device's API client takes nothing else for an answer.
import { z } from 'zod';
import { Id, text, Uuid } from './text';

/** Most copies of one label a job may ask for: a carton takes one, a pallet's four sides four. */
export const MAX_PRINT_COPIES = 10;

/** The port a Zebra (and most label printers) takes raw ZPL on. */
export const RAW_PRINT_PORT = 9100;

/** A printer's code as people write it on the printer ("PACK-1"), upper case once it enters. */
export const PrinterCode = text()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9._-]{0,31}$/, 'letters, digits, dot, dash and underscore, at most 32');

/** A printer as the floor sees it: what to choose it by, never where it is on the network. */
export const PrinterSummary = z.object({ code: z.string(), name: z.string() });
export type PrinterSummary = z.infer<typeof PrinterSummary>;

/** GET /api/printers 200: every printer of the site, by code. */
export const PrinterList = z.object({ printers: z.array(PrinterSummary) });
export type PrinterList = z.infer<typeof PrinterList>;

/** PUT /api/admin/printers/:code: where the printer takes ZPL. */
export const PrinterSettings = z.object({
  name: text().trim().min(1).max(60),
  // A host name, IPv4 or IPv6 address as node:net connects to it; no scheme, path or port.
  host: text().trim().min(1).max(253).regex(/^[A-Za-z0-9.:-]+$/, 'a host name or IP address, without scheme or port'),
  port: z.number().int().min(1).max(65535).default(RAW_PRINT_PORT),
});
export type PrinterSettings = z.input<typeof PrinterSettings>;

/** A printer as an admin sees it: with its address. */
export const AdminPrinter = PrinterSummary.extend({ host: z.string(), port: z.number().int(), updatedAt: z.string() });
export type AdminPrinter = z.infer<typeof AdminPrinter>;

/** POST /api/print-jobs: print one carton's label. `id` is made by the device once, so a retry is the same job. */
export const PrintJobRequest = z.object({
  id: Uuid,
  printer: PrinterCode,
  orderId: Id,
  carton: text().min(1).max(40),
  copies: z.number().int().min(1).max(MAX_PRINT_COPIES).default(1),
});
export type PrintJobRequest = z.input<typeof PrintJobRequest>;

/** POST /api/print-jobs 200: the label went to the printer (now, or when the job was first sent). */
export const PrintJobOutcome = z.object({
  id: z.string(),
  printer: z.string(),
  orderId: z.string(),
  carton: z.string(),
  copies: z.number().int(),
  status: z.literal('printed'),
  printedAt: z.string(),
});
export type PrintJobOutcome = z.infer<typeof PrintJobOutcome>;
