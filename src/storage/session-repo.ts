// The device id and the signed-in session, kept in the `meta` table so they survive reloads,
// offline restarts and app updates.
import { liveQuery } from 'dexie';
import type { Observable } from 'dexie';
import type { DockhandDb, MetaKey, MetaValues, StoredSession } from './db';

async function getMeta<K extends MetaKey>(db: DockhandDb, key: K): Promise<MetaValues[K] | undefined> {
  const row = await db.meta.get(key);
  return row?.value as MetaValues[K] | undefined;
}

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
