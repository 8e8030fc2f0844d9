// What a rule read, carried past a commit: `afterChanges` must answer exactly what the Reader
// answers once the effects are stored, for every kind of read, or the next scan would be refused
// (at best) by a check that can never pass.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureDb } from '../../test/support/fixture-db';
import type { Effect, Reader } from '../domain/rules/types';
import type { DockhandDb } from './db';
import { dexieReader } from './dexie-reader';
import { ReplayMiss, afterChanges, recordingReader, replayReader, type ReadLog } from './read-replay';
import { perform } from './reader-calls';
import { getRow, writeServerRows } from './rows';
import { writeEffectChanges } from './view';

let db: DockhandDb;

/** Whether every call of `log`, made again through `reader`, answers what the log says (rows compared as JSON). */
function stillAnswers(reader: Reader, log: ReadLog): Promise<boolean> {
  return Promise.all([...log.values()].map(({ call, answer }) => perform(reader, call).then((now) => JSON.stringify(now) === JSON.stringify(answer)))).then((same) =>
    same.every(Boolean),
  );
}

beforeEach(async () => {
  db = await fixtureDb('replay');
});

afterEach(async () => {
  db.close();
  await db.delete();
});

/** One read of every kind, as a rule would make them. */
async function readEverything(reader: Reader): Promise<void> {
  await Promise.all([
    reader.get('pickLines', 'pln-1'),
    reader.get('stock', 'loc-pack|prd-a1||'),
    reader.get('locations', 'loc-b01'),
    reader.children('pickLines', 'pl-1'),
    reader.stock({ productId: 'prd-a1', locationId: 'loc-a01' }),
    reader.stock({ productId: 'prd-a1', locationId: 'loc-a01', lot: null, lpn: null }),
    reader.stockAt('loc-a01'),
    reader.stockAt('loc-pack'),
    reader.pickLinesOfOrder('5234567890123456789'),
    reader.locationsOfType('storage'),
    reader.locationsOfType('pick_face'),
  ]);
}

const move = (qty: number, from: string, to: string): Effect[] => [
  { kind: 'stock', ownerId: 'own-a', locationId: from, productId: 'prd-a1', lot: null, expiry: null, lpn: null, delta: -qty },
  { kind: 'stock', ownerId: 'own-a', locationId: to, productId: 'prd-a1', lot: null, expiry: null, lpn: null, delta: qty },
];

describe('afterChanges', () => {
  it('answers what the Reader answers once the changes are stored', async () => {
    const log: ReadLog = new Map();
    await readEverything(recordingReader(dexieReader(db), log));
    const line = (await getRow(db, 'pickLines', 'pln-1'))!;
    const bin = (await getRow(db, 'locations', 'loc-b01'))!;
    const effects: Effect[] = [
      // Units out of the pick face into staging (a row created), then the face emptied (a row deleted).
      ...move(2, 'loc-a01', 'loc-pack'),
      ...move(3, 'loc-a01', 'loc-pack'),
      { kind: 'put', table: 'pickLines', row: { ...line, pickedQty: 2 } },
      // A bin that turns into a pick face leaves one query and joins another, in walk order.
      { kind: 'put', table: 'locations', row: { ...bin, type: 'pick_face', walkSeq: 5 } },
    ];
    const changes = await db.transaction('rw', db.tables, () => writeEffectChanges(db, effects));

    const carried = afterChanges(log, changes);
    expect(await stillAnswers(dexieReader(db), carried)).toBe(true);
    expect(await stillAnswers(dexieReader(db), log)).toBe(false);
    const replay = replayReader(carried);
    expect(await replay.stockAt('loc-a01')).toEqual([]);
    expect((await replay.locationsOfType('pick_face')).map((l) => l.id)).toEqual(['loc-b01', 'loc-a01', 'loc-a02']);
    expect(await replay.get('stock', 'loc-pack|prd-a1||')).toMatchObject({ qty: 5 });
  });

  it('notices a change it was not told about', async () => {
    const log: ReadLog = new Map();
    await readEverything(recordingReader(dexieReader(db), log));
    expect(await stillAnswers(dexieReader(db), log)).toBe(true);
    // A pull brings the server's new balance.
    const row = (await getRow(db, 'stock', 'loc-a01|prd-a1||'))!;
    await db.transaction('rw', db.tables, () => writeServerRows(db, 'stock', new Map([[row.id, { ...row, qty: 4 }]])));
    expect(await stillAnswers(dexieReader(db), log)).toBe(false);
  });
});

describe('replayReader', () => {
  it('refuses a read nobody made before, so the caller reads for itself', async () => {
    const log: ReadLog = new Map();
    await recordingReader(dexieReader(db), log).get('pickLines', 'pln-1');
    const replay = replayReader(log);
    expect(await replay.get('pickLines', 'pln-1')).toMatchObject({ id: 'pln-1' });
    await expect(replay.get('pickLines', 'pln-2')).rejects.toBeInstanceOf(ReplayMiss);
    await expect(replay.stock({ productId: 'prd-a1', locationId: 'loc-a01', lot: null })).rejects.toBeInstanceOf(ReplayMiss);
  });
});
