// The admin console's wire shapes (issue 15): owners, users, devices, carton types, integrations
// and their fulfillment callbacks, and the answers of CSV imports. The server's admin routes
// declare them and the console's API client (src/sync/endpoints.ts) takes nothing else.
import { z } from 'zod';
import { PublicUser } from './api';
import { DeviceHealth } from './device-health';
import { Role } from './entities';
import { Id, text, Username } from './text';

// ---- Owners -------------------------------------------------------------------------------------

/** The settings an admin edits on an owner; its code is fixed once created. */
export const OwnerSettings = z.object({
  name: text().trim().min(1).max(100),
  overReceiptTolerancePct: z.number().min(0).max(1000).describe('Units a receipt line may exceed its expected quantity by, in percent'),
  allowUnexpectedItems: z.boolean(),
  packQuantityTyped: z.boolean().describe('Packers may type how many units a scan puts in the carton'),
});
export type OwnerSettings = z.infer<typeof OwnerSettings>;

/** What scans and CSV files name an owner by: upper case where it enters, so `acme` is `ACME`. */
export const OwnerCode = text().trim().toUpperCase().min(1).max(20)
  .regex(/^[A-Z0-9][A-Z0-9_-]*$/, 'letters, digits, dash and underscore only');

/** POST /api/admin/owners. */
export const NewOwnerRequest = OwnerSettings.extend({ code: OwnerCode });
export type NewOwnerRequest = z.infer<typeof NewOwnerRequest>;

// ---- Users --------------------------------------------------------------------------------------

/** A PIN as a user types it on the floor. */
export const Pin = z.string().regex(/^\d{4,8}$/, 'A PIN is 4 to 8 digits');

/** POST /api/admin/users. */
export const NewUserRequest = z.object({
  username: Username.min(2).regex(/^[a-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  displayName: text().trim().min(1).max(100),
  pin: Pin,
  role: Role,
  ownerIds: z.array(Id).min(1).max(1000).nullable().default(null),
});
export type NewUserRequest = z.input<typeof NewUserRequest>;

/** PUT /api/admin/users/:id/owners: null for every owner. */
export const UserOwnersRequest = z.object({ ownerIds: z.array(Id).min(1).max(1000).nullable() });

/** PUT /api/admin/users/:id/pin. */
export const PinResetRequest = z.object({ pin: Pin });

/** PUT /api/admin/users/:id/active: false ends every session of the user at once. */
export const UserActiveRequest = z.object({ active: z.boolean() });

/** A user in the admin's list. */
export const AdminUser = PublicUser.extend({ active: z.boolean(), createdAt: z.string() });
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminUserList = z.object({ users: z.array(AdminUser) });

// ---- Devices ------------------------------------------------------------------------------------

/**
 * A device in the admin's list: its sync health as the device last reported it, and whether an
 * admin revoked it. A revoked device's unsent work (`pendingCount` from `oldestPendingAt`) never
 * reaches the server: a supervisor redoes it.
 */
export const AdminDevice = DeviceHealth.extend({
  revokedAt: z.string().nullable(),
  /** The display name of the admin who revoked it. */
  revokedBy: z.string().nullable(),
});
export type AdminDevice = z.infer<typeof AdminDevice>;

export const AdminDeviceList = z.object({ devices: z.array(AdminDevice) });

// ---- Carton types -------------------------------------------------------------------------------

/** A box side or weight an admin types: whole, positive, and below anything a pack station handles. */
const Millimetres = z.number().int().min(1).max(10_000);

/** PUT /api/admin/carton-types/:id: the box, for one owner (which never changes once set). */
export const CartonTypeRequest = z.object({
  ownerId: Id,
  code: text().trim().toUpperCase().min(1).max(40),
  name: text().trim().min(1).max(100),
  lengthMm: Millimetres,
  widthMm: Millimetres,
  heightMm: Millimetres,
  maxWeightGrams: z.number().int().min(1).max(1_000_000).nullable(),
});
export type CartonTypeRequest = z.infer<typeof CartonTypeRequest>;

// ---- Integrations -------------------------------------------------------------------------------

export const IntegrationType = z.enum(['shopify', 'api']);
export type IntegrationType = z.infer<typeof IntegrationType>;

/** A host name, lower-case, its last label a name (so no IP address): `acme.myshopify.com`, `shop.example.com`. */
const HOST_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** A shop's domain as Shopify names it in webhooks: trimmed and lower-cased where it enters. */
export const ShopDomain = text().trim().toLowerCase().max(253)
  .regex(HOST_NAME, 'a shop domain is a host name such as acme.myshopify.com, without https:// or a path');

/** The webhook signing secret the shop's admin shows; it signs every webhook the shop sends. */
export const WebhookSecret = text().trim().min(8).max(512);

export const IntegrationName = text().trim().min(1).max(100);

/** Rotation window bounds: how long the secret before a rotation still counts. */
export const DEFAULT_GRACE_HOURS = 24;
export const MAX_GRACE_HOURS = 168;

export const NewIntegrationRequest = z.object({
  owner: Id.describe('The owner’s id (own-…) or code (ACME)'),
  name: IntegrationName,
  type: IntegrationType,
  shopDomain: ShopDomain.optional().describe('shopify: the shop, e.g. acme.myshopify.com'),
  webhookSecret: WebhookSecret.optional().describe('shopify: the webhook signing secret from the shop’s admin'),
}).superRefine((value, context) => {
  if (value.type === 'shopify') {
    if (value.shopDomain === undefined) context.addIssue({ code: 'custom', path: ['shopDomain'], message: 'a shopify integration needs its shop domain' });
    if (value.webhookSecret === undefined) context.addIssue({ code: 'custom', path: ['webhookSecret'], message: 'a shopify integration needs the webhook signing secret from the shop’s admin' });
    return;
  }
  for (const field of ['shopDomain', 'webhookSecret'] as const) {
    if (value[field] !== undefined) context.addIssue({ code: 'custom', path: [field], message: 'only a shopify integration takes this; an api integration is issued a key' });
  }
});
export type NewIntegrationRequest = z.infer<typeof NewIntegrationRequest>;

export const RotateRequest = z.object({
  graceHours: z.number().int().min(0).max(MAX_GRACE_HOURS).default(DEFAULT_GRACE_HOURS)
    .describe('How long the secret being replaced keeps working, 0 to 168 hours (24 by default)'),
  webhookSecret: WebhookSecret.optional().describe('shopify: the new webhook signing secret'),
});

export const Integration = z.object({
  id: z.string(),
  ownerId: z.string(),
  name: z.string(),
  type: IntegrationType,
  shopDomain: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  /** The secrets that count now: ids and times only, never the secret or its hash. */
  credentials: z.array(z.object({ id: z.string(), createdAt: z.string(), expiresAt: z.string().nullable() })),
});
export type Integration = z.infer<typeof Integration>;

/** An integration as created or rotated, with an api integration's new key: the only time it is shown. */
export const IssuedIntegration = z.object({
  integration: Integration,
  apiKey: z.string().optional().describe('api: the key, shown this once. Send it as "Authorization: Bearer <key>" or "X-Api-Key: <key>"'),
});
export type IssuedIntegration = z.infer<typeof IssuedIntegration>;

/** Longest callback URL accepted. */
const MAX_URL_LENGTH = 2048;

/** Hosts a plain-http callback may name: a receiver on this machine, for development and tests. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `value` as a canonical callback URL, or the reason it cannot be one. */
function callbackUrl(value: string): { url: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: 'is not a URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return { problem: 'must be https (plain http only to localhost or 127.0.0.1)' };
  }
  if (url.username !== '' || url.password !== '') return { problem: 'must not carry a user name or password' };
  if (url.hash !== '') return { problem: 'must not have a #fragment' };
  return { url: url.href };
}

/** A callback URL as an admin gives it, canonical (`new URL(…).href`) once it passes. */
export const CallbackUrl = text().trim().min(1).max(MAX_URL_LENGTH).transform((value, context) => {
  const checked = callbackUrl(value);
  if ('problem' in checked) {
    context.addIssue({ code: 'custom', message: `the callback URL ${checked.problem}` });
    return z.NEVER;
  }
  return checked.url;
});

/** PUT /api/admin/integrations/:id/fulfillment-callback. */
export const CallbackRequest = z.object({
  url: CallbackUrl.nullable().describe('https URL that receives a signed notice for every shipment; null stops them (undelivered ones are cancelled)'),
  newSigningSecret: z.boolean().default(false).describe('api: replace the signing secret (the new one is shown once); notices waiting are signed with it'),
});

export const CallbackAnswer = z.object({
  integrationId: z.string(),
  url: z.string().nullable(),
  signedWith: z.enum(['shopify-webhook-secret', 'signing-secret']).nullable(),
  signingSecret: z.string().optional()
    .describe('api: the secret notices are signed with (HMAC-SHA256, base64, header X-Dockhand-Hmac-Sha256), shown this once'),
});
export type CallbackAnswer = z.infer<typeof CallbackAnswer>;

// ---- CSV imports --------------------------------------------------------------------------------

/** What a master-data import did, row by row. */
export const ImportCounts = z.object({
  rows: z.number().int().describe('Data rows in the file'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int().describe('Rows equal to what was stored already: nothing written, nothing sent to devices'),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

/** POST /api/orders/import 200: data rows, and the orders they made. */
export const OrderImportAnswer = z.object({
  rows: z.number().int(),
  orders: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
});
export type OrderImportAnswer = z.infer<typeof OrderImportAnswer>;

/** One refused row of a CSV file: its line (the header is line 1), the column when one is at fault, and why. */
export const CsvRowProblem = z.object({ line: z.number().int(), column: z.string().nullable(), message: z.string() });
export type CsvRowProblem = z.infer<typeof CsvRowProblem>;

/** The 422 answer of a refused import: nothing was imported. */
export const InvalidCsvAnswer = z.object({
  error: z.literal('INVALID_CSV'),
  message: z.string(),
  errors: z.array(CsvRowProblem),
  errorCount: z.number().int(),
});
export type InvalidCsvAnswer = z.infer<typeof InvalidCsvAnswer>;
