// The view's version: a token in `meta.viewVersion` that every transaction writing what a
// submission decides on (rows in either layer, shadows, nextSeq, the session, the warehouse's
// time zone) replaces, in that same transaction. A submission that remembers the token its own commit left can tell with one
// read that nothing has changed since, in any tab or worker (storage/outbox `submitKnown`).
import type { DBCore, DBCoreMutateRequest, DBCoreTable, Middleware } from 'dexie';

/** Tables whose every write changes the view's version (with the synced tables, see `viewVersion`). */
const VERSIONED = new Set(['base', 'shadow']);
/** The meta keys a submission decides on; other meta writes (the pull cursor, sync times) leave the version. */
const VERSIONED_META = new Set(['nextSeq', 'session', 'timeZone']);

/** The token each transaction that wrote the view stamped, by transaction. */
const stamps = new WeakMap<object, string>();

function metaKeys(request: DBCoreMutateRequest): unknown[] {
  switch (request.type) {
    case 'add':
    case 'put':
      return request.values.map((value) => (value as { key?: unknown }).key);
    case 'delete':
      return request.keys;
    case 'deleteRange':
      // A range may hold any key: count it as touching them all.
      return [...VERSIONED_META];
  }
}

function includesMeta(trans: object): boolean {
  const names = (trans as Partial<IDBTransaction>).objectStoreNames;
  return names !== undefined && Array.from(names).includes('meta');
}

/**
 * The middleware that stamps the version. `synced` names the per-row (overlay) tables. A write in
 * a transaction without `meta` cannot be stamped: `unstamped` is told instead, so this
 * connection forgets what it knew (the app's writers all include meta; tests poking a table
 * directly do not).
 */
export function viewVersion(synced: readonly string[], unstamped: () => void): Middleware<DBCore> {
  const watched = new Set([...VERSIONED, ...synced]);
  return {
    stack: 'dbcore',
    name: 'view-version',
    create(down) {
      const stamp = (trans: object) => {
        if (stamps.has(trans)) return;
        if (!includesMeta(trans)) {
          unstamped();
          return;
        }
        const token = crypto.randomUUID();
        stamps.set(trans, token);
        // Its result is the transaction's: a failure aborts the write that asked for it.
        void down
          .table('meta')
          .mutate({ type: 'put', trans: trans as never, values: [{ key: 'viewVersion', value: token }] })
          .catch(() => undefined);
      };
      return {
        ...down,
        table(name: string): DBCoreTable {
          const table = down.table(name);
          if (!watched.has(name) && name !== 'meta') return table;
          return {
            ...table,
            mutate(request) {
              if (name !== 'meta' || metaKeys(request).some((key) => VERSIONED_META.has(String(key)))) stamp(request.trans);
              return table.mutate(request);
            },
          };
        },
      };
    },
  };
}

/** The version `idbtrans` stamped, once it has written the view; undefined before. */
export function stampOf(idbtrans: object): string | undefined {
  return stamps.get(idbtrans);
}
