// The device id, its secret and the signed-in session, kept in the `meta` table so they survive
// reloads, offline restarts and app updates.
import { liveQuery } from 'dexie';
import type { Observable } from 'dexie';
import { SYNCED_TABLES, viewScope, type DockhandDb, type StoredSession } from './db';
import { clearRows } from './rows';
import { getMeta } from './meta';

/**
 * This device's id, created on first use. The read and the write share one read-write
 * transaction, so two tabs starting together still agree on one id.
 */
export function getOrCreateDeviceId(db: DockhandDb, newId: () => string = () => crypto.randomUUID()): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const existing = await getMeta(db, 'deviceId');
    if (existing) return existing;
    const id = newId();
    await db.meta.add({ key: 'deviceId', value: id });
    return id;
  });
}

/** What a sign-in tells the server about this device (docs/protocol.md, "Devices"). */
export interface DeviceCredential {
  deviceId: string;
  /** Absent until the server has issued one. */
  deviceSecret?: string;
  /** The sequence number the next mutation gets: past the server's, unsent mutations wait here. */
  nextSeq: number;
}

export async function readDeviceCredential(db: DockhandDb): Promise<DeviceCredential> {
  const deviceId = await getOrCreateDeviceId(db);
  return db.transaction('r', db.meta, async () => {
    const [deviceSecret, nextSeq] = await Promise.all([getMeta(db, 'deviceSecret'), getMeta(db, 'nextSeq')]);
    return { deviceId, ...(deviceSecret === undefined ? {} : { deviceSecret }), nextSeq: nextSeq ?? 1 };
  });
}

/**
 * Gives up a device id the server refused (DEVICE_TAKEN) for a new one, with no secret, its
 * sequence back at 1 and no results taken in. Only while the outbox is empty: every entry in it
 * is numbered in the old id's sequence. Answers whether the id was replaced.
 */
export function startAfreshAsNewDevice(db: DockhandDb, newId: () => string = () => crypto.randomUUID()): Promise<boolean> {
  return db.transaction('rw', db.outbox, db.meta, async () => {
    if ((await db.outbox.count()) > 0) return false;
    await db.meta.put({ key: 'deviceId', value: newId() });
    await db.meta.bulkDelete(['deviceSecret', 'nextSeq', 'resultsAfter']);
    return true;
  });
}

export async function readSession(db: DockhandDb): Promise<StoredSession | null> {
  return (await getMeta(db, 'session')) ?? null;
}

export async function saveSession(db: DockhandDb, session: StoredSession): Promise<void> {
  await db.meta.put({ key: 'session', value: session });
}

/** Keeps the secret the server issued for `deviceId`, unless the id was replaced meanwhile. */
export function saveDeviceSecret(db: DockhandDb, deviceId: string, deviceSecret: string): Promise<void> {
  return db.transaction('rw', db.meta, async () => {
    if ((await getMeta(db, 'deviceId')) === deviceId) await db.meta.put({ key: 'deviceSecret', value: deviceSecret });
  });
}

export async function clearSession(db: DockhandDb): Promise<void> {
  await db.meta.delete('session');
}

/** The session as it changes, in this tab or any other tab of the app. */
export function observeSession(db: DockhandDb): Observable<StoredSession | null> {
  return liveQuery(() => readSession(db));
}

export type SignOutData =
  | { ok: true; token: string | null }
  | { ok: false; reason: 'unsent'; pending: number }
  | { ok: false; reason: 'problems'; open: number };

/**
 * Signs the device out and wipes the user's slice of the warehouse — synced tables, shadows,
 * answered outbox entries, cursor, resultsAfter, initialLoadDone — in one transaction, refused
 * while any mutation is unsent. The device id and nextSeq stay: this device's sequence goes on.
 * Answers the ended session's token, for telling the server.
 */
export function signOutAndClear(db: DockhandDb): Promise<SignOutData> {
  return db.transaction('rw', [...viewScope(db), db.problems, db.pickOrder], async (): Promise<SignOutData> => {
    const pending = await db.outbox.where('status').equals('pending').count();
    if (pending > 0) return { ok: false, reason: 'unsent', pending };
    // A rejected scan is shown until its user has dealt with it; the next user must not inherit it.
    const open = await db.problems.where('status').equals('open').count();
    if (open > 0) return { ok: false, reason: 'problems', open };
    await db.problems.clear();
    await db.pickOrder.clear();
    const token = (await getMeta(db, 'session'))?.token ?? null;
    await clearRows(db, SYNCED_TABLES);
    await db.shadow.clear();
    await db.outbox.clear();
    await db.meta.bulkDelete(['cursor', 'resultsAfter', 'initialLoadDone', 'lastSyncAt', 'session']);
    return { ok: true, token };
  });
}

/**
 * The user whose scans still wait in the outbox, when it is not `userId`: only they may sign in
 * on this device until those scans are sent, or the server would book them to someone else.
 */
export async function unsentScansOfAnotherUser(db: DockhandDb, userId: string): Promise<{ userId: string; count: number } | null> {
  const waiting = await db.outbox.where('status').equals('pending').toArray();
  const other = waiting.filter((entry) => entry.actor.userId !== userId);
  return other[0] ? { userId: other[0].actor.userId, count: other.length } : null;
}
