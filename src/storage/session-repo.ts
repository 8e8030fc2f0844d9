// The device id and the signed-in session, kept in the `meta` table so they survive reloads,
// offline restarts and app updates.
import { liveQuery } from 'dexie';
import type { Observable } from 'dexie';
import { SYNCED_TABLES, viewScope, type DockhandDb, type StoredSession } from './db';
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

export async function readSession(db: DockhandDb): Promise<StoredSession | null> {
  return (await getMeta(db, 'session')) ?? null;
}

export async function saveSession(db: DockhandDb, session: StoredSession): Promise<void> {
  await db.meta.put({ key: 'session', value: session });
}

export async function clearSession(db: DockhandDb): Promise<void> {
  await db.meta.delete('session');
}

/** The session as it changes, in this tab or any other tab of the app. */
export function observeSession(db: DockhandDb): Observable<StoredSession | null> {
  return liveQuery(() => readSession(db));
}

export type SignOutData = { ok: true; token: string | null } | { ok: false; pending: number };

/**
 * Signs the device out and wipes the user's slice of the warehouse — synced tables, shadows,
 * answered outbox entries, cursor, resultsAfter, initialLoadDone — in one transaction, refused
 * while any mutation is unsent. The device id and nextSeq stay: this device's sequence goes on.
 * Answers the ended session's token, for telling the server.
 */
export function signOutAndClear(db: DockhandDb): Promise<SignOutData> {
  return db.transaction('rw', viewScope(db), async (): Promise<SignOutData> => {
    const pending = await db.outbox.where('status').equals('pending').count();
    if (pending > 0) return { ok: false, pending };
    const token = (await getMeta(db, 'session'))?.token ?? null;
    for (const name of SYNCED_TABLES) await db.table(name).clear();
    await db.shadow.clear();
    await db.outbox.clear();
    await db.meta.bulkDelete(['cursor', 'resultsAfter', 'initialLoadDone', 'lastSyncAt', 'session']);
    return { ok: true, token };
  });
}
