// The device's one IndexedDB database. Every table the client keeps lives in this class; a schema
// change is a new `this.version(n)` block below the last one, never an edit to an existing block.
import { Dexie } from 'dexie';
import type { Table } from 'dexie';
import type { Role } from '../domain/entities';

/** The signed-in user as the server described them at sign-in. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** Owners (clients) this user may work for; null for every owner. */
  ownerIds: string[] | null;
}

/** What survives reloads and offline restarts until the user signs out. */
export interface StoredSession {
  token: string;
  user: SessionUser;
  /** Epoch ms of the sign-in, for display and diagnostics only. */
  signedInAt: number;
}

/** The device's small singletons, one row per key. Add a key here to store a new one. */
export interface MetaValues {
  /** This device's stable id: created once, never changed, not even by sign-out. */
  deviceId: string;
  session: StoredSession;
}

export type MetaKey = keyof MetaValues;

export type MetaRow = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];

export class DockhandDb extends Dexie {
  meta!: Table<MetaRow, MetaKey>;

  constructor(name = 'dockhand') {
    // Strict durability: a write is flushed to disk before its transaction reports complete, so
    // what the screen confirmed survives a crash or a dead battery.
    super(name, { chromeTransactionDurability: 'strict' });

    this.version(1).stores({
      meta: 'key',
    });
  }
}

/** The app's database. Tests use their own `new DockhandDb(name)` or clear this one. */
export const db = new DockhandDb();
