// A device database signed in against the in-process server, for tests of a feature's commands:
// each test's databases are deleted after it.
import { randomUUID } from 'node:crypto';
import { afterEach, expect } from 'vitest';
import type { TestServer } from '../server/harness';
import { signIn } from '../../src/features/sign-in/commands';
import { DockhandDb } from '../../src/storage/db';
import { serverFetch } from './server-fetch';

/** Signs `username` in on a fresh device database against `server()`. */
export function signedInDevices(server: () => TestServer, prefix: string): (username: string, pin: string) => Promise<DockhandDb> {
  const dbs: DockhandDb[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) {
      db.close();
      await db.delete();
    }
  });
  return async (username, pin) => {
    const db = new DockhandDb(`${prefix}-${randomUUID()}`);
    dbs.push(db);
    expect((await signIn(username, pin, { db, fetch: serverFetch(server().app), isOnline: () => true })).ok).toBe(true);
    return db;
  };
}
