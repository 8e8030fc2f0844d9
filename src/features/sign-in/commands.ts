// Sign-in and sign-out: the use-cases the sign-in screen and the header call. They talk to the
// server and IndexedDB; the session store follows IndexedDB on its own (see app/session-store).
import type { SessionResponse } from '../../domain/api';
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
import { ApiError, createApiClient, type ApiClient } from '../../sync/api-client';
import { signInEndpoint, signOutEndpoint, SIGN_IN_TIMEOUT_MS, SIGN_OUT_TIMEOUT_MS } from '../../sync/endpoints';

export { SIGN_IN_TIMEOUT_MS, SIGN_OUT_TIMEOUT_MS };

export const OFFLINE_MESSAGE = 'You are offline: sign-in needs the network once.';

export type SignInFailure = 'missing-fields' | 'offline' | 'invalid-credentials' | 'locked' | 'rate-limited' | 'server' | 'unsent-scans' | 'device-taken';

export type SignInResult = { ok: true; user: SessionUser } | { ok: false; reason: SignInFailure; message: string };

export interface SignInDeps {
  db?: DockhandDb;
  fetch?: typeof fetch;
  isOnline?: () => boolean;
  now?: () => number;
}

/** A failed sign-in as the screen shows it; the server's own message where it sent one. */
function signInFailure(error: ApiError): { ok: false; reason: SignInFailure; message: string } {
  const said = error.body?.message;
  switch (error.kind) {
    case 'timeout':
      return { ok: false, reason: 'offline', message: 'The server did not answer. Check the Wi-Fi and try again.' };
    case 'unreachable':
    case 'aborted':
      return { ok: false, reason: 'offline', message: OFFLINE_MESSAGE };
    case 'unauthorized':
      return { ok: false, reason: 'invalid-credentials', message: said ?? 'Wrong username or PIN.' };
    case 'forbidden':
      return { ok: false, reason: 'server', message: said ?? 'The server refused this sign-in (HTTP 403).' };
    case 'conflict':
      return { ok: false, reason: 'unsent-scans', message: said ?? 'Scans on this device are not sent yet. The user who made them must sign in first to send them.' };
    case 'protocol':
      // A captive portal or proxy can answer 200 with a web page: only a well-formed session counts.
      return { ok: false, reason: 'server', message: 'Unexpected answer from the server. Are you on the warehouse network?' };
    case 'refused':
    case 'server':
      if (error.status === 423) return { ok: false, reason: 'locked', message: said ?? 'This account is locked. Ask a supervisor to unlock it.' };
      if (error.status === 429) return { ok: false, reason: 'rate-limited', message: said ?? 'Too many attempts. Wait a minute, then try again.' };
      return { ok: false, reason: 'server', message: said ?? `The server could not sign you in (HTTP ${error.status}). Try again.` };
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
  const api = createApiClient({ fetch: deps.fetch });
  const isOnline = deps.isOnline ?? (() => navigator.onLine);
  const now = deps.now ?? Date.now;

  const name = username.trim();
  if (name === '' || pin === '') {
    return { ok: false, reason: 'missing-fields', message: 'Enter your username and PIN.' };
  }
  if (!isOnline()) return { ok: false, reason: 'offline', message: OFFLINE_MESSAGE };

  const post = (device: DeviceCredential): Promise<SessionResponse> =>
    api.request(signInEndpoint, { body: { username: name, pin, ...device } });

  let session: SessionResponse;
  let device = await readDeviceCredential(db);
  try {
    session = await post(device);
  } catch (caught) {
    if (!(caught instanceof ApiError)) throw caught;
    if (caught.kind !== 'forbidden' || caught.body?.error !== 'DEVICE_TAKEN') return signInFailure(caught);
    // Another credential holds this id (or it predates device secrets). With nothing waiting
    // under it, the device starts afresh under a new id; otherwise its scans must not be lost.
    if (!(await startAfreshAsNewDevice(db))) return { ok: false, reason: 'device-taken', message: DEVICE_TAKEN_MESSAGE };
    device = await readDeviceCredential(db);
    try {
      session = await post(device);
    } catch (again) {
      if (!(again instanceof ApiError)) throw again;
      return signInFailure(again);
    }
  }

  // Kept whatever follows: the server issues it once, and this id is the device's from now on.
  if (session.deviceSecret !== undefined) await saveDeviceSecret(db, device.deviceId, session.deviceSecret);

  const blocked = await unsentScansOfAnotherUser(db, session.user.id);
  if (blocked) {
    // End the session just opened: these scans must go out under the user who made them.
    await endSession(api, session.token);
    const previous = await readSession(db);
    const who = previous?.user.id === blocked.userId ? previous.user.displayName : 'another user';
    const scans = blocked.count === 1 ? '1 scan' : `${blocked.count} scans`;
    return {
      ok: false,
      reason: 'unsent-scans',
      message: `${scans} by ${who} ${blocked.count === 1 ? 'is' : 'are'} not sent yet. ${who === 'another user' ? 'That user' : who} must sign in on this device first to send them.`,
    };
  }
  await saveSession(db, { token: session.token, user: session.user, signedInAt: now() });
  return { ok: true, user: session.user };
}

export type SignOutResult = { ok: true } | { ok: false; message: string };

export interface SignOutDeps {
  db?: DockhandDb;
  fetch?: typeof fetch;
  isOnline?: () => boolean;
}

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
    await endSession(createApiClient({ fetch: deps.fetch }), cleared.token);
  }
  return { ok: true };
}

/** Asks the server to end a session, best effort: when offline after all, it expires on its own. */
async function endSession(api: ApiClient, token: string): Promise<void> {
  await api.request(signOutEndpoint, { token }).catch(() => undefined);
}

/**
 * After the server ended the session (401): forgets only the token, keeping the outbox and the
 * view, so the user signs in again and the unsent scans go out.
 */
export async function signInAgain(deps: { db?: DockhandDb } = {}): Promise<void> {
  await clearSession(deps.db ?? appDb);
}
