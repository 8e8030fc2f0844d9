// The API's wire shapes besides the sync protocol's (sync-protocol.ts): sign-in, LPN ranges, damage
// photos, the supervisor's overview and override codes, and every refusal's body. The server's
// routes declare them, and the device's API client (src/sync/api-client.ts) takes nothing else for
// an answer.
import { z } from 'zod';
import { DeviceHealth } from './device-health';
import { Role } from './entities';
import { text, Username } from './text';

/** Any refusal's body: a machine code, and what went wrong and what to do next, for people. */
export const ErrorBody = z.object({ error: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** POST /api/session 429: the refusal, and when to try again. */
export const RateLimited = ErrorBody.extend({ retryAfterSeconds: z.number().int() });
export type RateLimited = z.infer<typeof RateLimited>;

/** A user as the API shows them: never the PIN's hash. */
export const PublicUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  ownerIds: z.array(z.string()).nullable(),
});
export type PublicUser = z.infer<typeof PublicUser>;

/** POST /api/session: a username and PIN, from this device. */
export const SignInRequest = z.object({
  username: Username,
  pin: text().regex(/^\d{4,8}$/, 'A PIN is 4 to 8 digits'),
  deviceId: text().min(8).max(100),
  deviceSecret: text().min(1).max(200).optional().describe('The secret this device was issued at its first sign-in'),
  nextSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()
    .describe('The sequence number of the next mutation this device will push; a handover is refused while it is past the server’s'),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/** POST /api/session 200. */
export const SessionResponse = z.object({
  token: z.string().min(1),
  user: PublicUser,
  /** Issued at this device id's first sign-in only. */
  deviceSecret: z.string().min(1).optional(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

/** GET /api/session 200: the signed-in user, on this device. */
export const SessionInfo = z.object({ user: PublicUser, deviceId: z.string() });
export type SessionInfo = z.infer<typeof SessionInfo>;

/** POST /api/lpn-ranges 200: numbers reserved for this device (domain/workflows/receive-lpn formats them). */
export const LpnRange = z.object({
  prefix: z.string(),
  /** First number of the range, inclusive. */
  start: z.number().int().positive(),
  /** Last number of the range, inclusive. */
  end: z.number().int().positive(),
});
export type LpnRange = z.infer<typeof LpnRange>;

/** POST /api/photos 200 (already stored) or 201: the photo the server holds for the mutation. */
export const StoredPhoto = z.object({ mutationId: z.string(), bytes: z.number().int(), contentType: z.string() });
export type StoredPhoto = z.infer<typeof StoredPhoto>;

/** GET /api/supervisor/overview 200: pick progress, recent rejections, and devices with their sync health. */
export const SupervisorOverview = z.object({
  pickLists: z.array(z.object({ id: z.string(), number: z.string(), ownerId: z.string(), status: z.string(), lines: z.number(), linesDone: z.number(), units: z.number(), unitsPicked: z.number() })),
  rejections: z.array(z.object({ deviceId: z.string(), seq: z.number(), type: z.string(), code: z.string().nullable(), message: z.string().nullable(), userId: z.string(), createdAt: z.string() })),
  devices: z.array(DeviceHealth),
});
export type SupervisorOverview = z.infer<typeof SupervisorOverview>;

/** Most override codes one request issues. */
export const MAX_OVERRIDE_CODES = 10;

/** POST /api/supervisor/override-codes: how many one-time codes to issue for closing cartons short. */
export const OverrideCodesRequest = z.object({ count: z.number().int().min(1).max(MAX_OVERRIDE_CODES).default(5) });
export type OverrideCodesRequest = z.infer<typeof OverrideCodesRequest>;

/** POST /api/supervisor/override-codes 200: the codes as shown (`K7QM-4XPT`), only this once, and when they stop working. */
export const OverrideCodes = z.object({ codes: z.array(z.string()), expiresAt: z.string() });
export type OverrideCodes = z.infer<typeof OverrideCodes>;
