// Typed access to the `meta` singletons. Inside a transaction that includes `db.meta` these join
// it, which is how the cursor is written together with its page and nextSeq with its mutation.
import type { DockhandDb, MetaKey, MetaValues } from './db';

export async function getMeta<K extends MetaKey>(db: DockhandDb, key: K): Promise<MetaValues[K] | undefined> {
  const row = await db.meta.get(key);
  return row?.value as MetaValues[K] | undefined;
}

export async function setMeta<K extends MetaKey>(db: DockhandDb, key: K, value: MetaValues[K]): Promise<void> {
  await db.meta.put({ key, value } as Extract<Parameters<DockhandDb['meta']['put']>[0], { key: K }>);
}
