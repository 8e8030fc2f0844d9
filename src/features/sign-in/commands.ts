// Sign-in and sign-out: the use-cases the sign-in screen and the header call. They talk to the
// server and IndexedDB; the session store follows IndexedDB on its own (see app/session-store).
import { z } from 'zod';
import { Role } from '../../domain/entities';
import { db as appDb } from '../../storage/db';
import type { DockhandDb, SessionUser } from '../../storage/db';
import {
  clearSession,
  readDeviceCredential,
  readSession,
  saveDeviceSecret,
  saveSession,
  signOutAndClear,
  startAfreshAsNewDevice,
  unsentScansOfAnotherUser,
  type DeviceCredential,
} from '../../storage/session-repo';

/** Longest wait for the server before sign-in gives up; a dead aisle access point never answers. */
export const SIGN_IN_TIMEOUT_MS = 15_000;

export const OFFLINE_MESSAGE = 'You are offline: sign-in needs the network once.';

// POST /api/session 200. TODO(lead): move to src/domain once the server defines its schemas, so
// both sides share one schema.
const SessionResponse = z.object({
  token: z.string().min(1),
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: Role,
    ownerIds: z.array(z.string()).nullable(),
  }),
  /** Issued at this device id's first sign-in only. */
  deviceSecret: z.string().min(1).optional(),
});

const ErrorBody = z.object({ error: z.string().optional(), message: z.string() });

export type SignInFailure = 'missing-fields' | 'offline' | 'invalid-credentials' | 'locked' | 'rate-limited' | 'server' | 'unsent-scans' | 'device-taken';

export type SignInResult = { ok: true; user: SessionUser } | { ok: false; reason: SignInFailure; message: string };

export interface SignInDeps {
  db?: DockhandDb;
  fetch?: typeof fetch;
  isOnline?: () => boolean;
  now?: () => number;
}

async function errorBody(response: Response): Promise<{ error?: string | undefined; message: string } | null> {
  try {
    const parsed = ErrorBody.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The refusal when the server does not recognise this device and scans wait to be sent under its id. */
export const DEVICE_TAKEN_MESSAGE = 'The server does not recognise this device, and scans on it are not sent yet. Do not reset the app: tell a supervisor.';

/**
 * Exchanges a username and PIN for a session token, then stores the session on this device.
 * Never throws: every outcome is a result the screen can show.
 */
export async function signIn(username: string, pin: string, deps: SignInDeps = {}): Promise<SignInResult> {
  const db = deps.db ?? appDb;
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const isOnline = deps.isOnline ?? (() => navigator.onLine);
  const now = deps.now ?? Date.now;

  const name = username.trim();
  if (name === '' || pin === '') {
    return { ok: false, reason: 'missing-fields', message: 'Enter your username and PIN.' };
  }
  if (!isOnline()) return { ok: false, reason: 'offline', message: OFFLINE_MESSAGE };

  const post = async (device: DeviceCredential): Promise<Response | SignInResult> => {
    try {
      return await doFetch('/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: name, pin, ...device }),
        signal: AbortSignal.timeout(SIGN_IN_TIMEOUT_MS),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        return { ok: false, reason: 'offline', message: 'The server did not answer. Check the Wi-Fi and try again.' };
      }
      return { ok: false, reason: 'offline', message: OFFLINE_MESSAGE };
    }
  };

  let device = await readDeviceCredential(db);
  let response = await post(device);
  if (!(response instanceof Response)) return response;
  if (response.status === 403) {
    const refusal = await errorBody(response);
    if (refusal?.error !== 'DEVICE_TAKEN') return { ok: false, reason: 'server', message: refusal?.message ?? 'The server refused this sign-in (HTTP 403).' };
    // Another credential holds this id (or it predates device secrets). With nothing waiting
    // under it, the device starts afresh under a new id; otherwise its scans must not be lost.
    if (!(await startAfreshAsNewDevice(db))) return { ok: false, reason: 'device-taken', message: DEVICE_TAKEN_MESSAGE };
    device = await readDeviceCredential(db);
    response = await post(device);
    if (!(response instanceof Response)) return response;
  }

  if (response.status === 401) {
    const message = (await errorBody(response))?.message ?? 'Wrong username or PIN.';
    return { ok: false, reason: 'invalid-credentials', message };
  }
  if (response.status === 423) {
    const message = (await errorBody(response))?.message ?? 'This account is locked. Ask a supervisor to unlock it.';
    return { ok: false, reason: 'locked', message };
  }
  if (response.status === 429) {
    const message = (await errorBody(response))?.message ?? 'Too many attempts. Wait a minute, then try again.';
    return { ok: false, reason: 'rate-limited', message };
  }
  if (response.status === 409) {
    const message = (await errorBody(response))?.message ?? 'Scans on this device are not sent yet. The user who made them must sign in first to send them.';
    return { ok: false, reason: 'unsent-scans', message };
  }
  if (!response.ok) {
    const message = (await errorBody(response))?.message ?? `The server could not sign you in (HTTP ${response.status}). Try again.`;
    return { ok: false, reason: 'server', message };
  }

  // A captive portal or proxy can answer 200 with a web page: only a well-formed session counts.
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const parsed = SessionResponse.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'server',
      message: 'Unexpected answer from the server. Are you on the warehouse network?',
    };
  }

  // Kept whatever follows: the server issues it once, and this id is the device's from now on.
  if (parsed.data.deviceSecret !== undefined) await saveDeviceSecret(db, device.deviceId, parsed.data.deviceSecret);

  const blocked = await unsentScansOfAnotherUser(db, parsed.data.user.id);
  if (blocked) {
    // End the session just opened: these scans must go out under the user who made them.
    await doFetch('/api/session', { method: 'DELETE', headers: { authorization: `Bearer ${parsed.data.token}` } }).catch(() => undefined);
    const previous = await readSession(db);
    const who = previous?.user.id === blocked.userId ? previous.user.displayName : 'another user';
    const scans = blocked.count === 1 ? '1 scan' : `${blocked.count} scans`;
    return {
      ok: false,
      reason: 'unsent-scans',
      message: `${scans} by ${who} ${blocked.count === 1 ? 'is' : 'are'} not sent yet. ${who === 'another user' ? 'That user' : who} must sign in on this device first to send them.`,
    };
  }
  await saveSession(db, { token: parsed.data.token, user: parsed.data.user, signedInAt: now() });
  return { ok: true, user: parsed.data.user };
}

export type SignOutResult = { ok: true } | { ok: false; message: string };

export interface SignOutDeps {
  db?: DockhandDb;
  fetch?: typeof fetch;
  isOnline?: () => boolean;
}

/** How long sign-out waits for the server to end the session; the device is signed out regardless. */
export const SIGN_OUT_TIMEOUT_MS = 5_000;

/** The refusal while scans wait in the outbox. */
export function unsentMessage(pending: number): string {
  const scans = pending === 1 ? '1 scan is' : `${pending} scans are`;
  return `${scans} not sent yet. Connect to the network and wait for All synced; if the server keeps refusing them, tell a supervisor.`;
}

/**
 * Signs the user out of this device, refused while any scan is unsent. Clears the user's data
 * (storage/session-repo `signOutAndClear`); the device id and its sequence stay. Then, when
 * online, tells the server to end the session (best effort: the token is gone from the device).
 */
export async function signOut(deps: SignOutDeps = {}): Promise<SignOutResult> {
  const db = deps.db ?? appDb;
  const cleared = await signOutAndClear(db);
  if (!cleared.ok) {
    return {
      ok: false,
      message: cleared.reason === 'unsent'
        ? unsentMessage(cleared.pending)
        : `${cleared.open === 1 ? '1 scan needs' : `${cleared.open} scans need`} attention. Open Needs attention and deal with ${cleared.open === 1 ? 'it' : 'them'} first.`,
    };
  }
  const isOnline = deps.isOnline ?? (() => (globalThis.navigator as Navigator | undefined)?.onLine === true);
  if (cleared.token && isOnline()) {
    const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
    try {
      await doFetch('/api/session', {
        method: 'DELETE',
        headers: { authorization: `Bearer ${cleared.token}` },
        signal: AbortSignal.timeout(SIGN_OUT_TIMEOUT_MS),
      });
    } catch {
      // Offline after all: the server expires the session on its own.
    }
  }
  return { ok: true };
}

/**
 * After the server ended the session (401): forgets only the token, keeping the outbox and the
 * view, so the user signs in again and the unsent scans go out.
 */
export async function signInAgain(deps: { db?: DockhandDb } = {}): Promise<void> {
  await clearSession(deps.db ?? appDb);
}
