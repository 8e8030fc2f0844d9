// Replaying a rule's reads. A picker scans the same line again and again, and each scan's rule
// reads the same rows; the device keeps what the last submission read, as its own commit left it,
// so the next rule decides without waiting on IndexedDB. The transaction that then writes checks,
// beside its writes, that nothing wrote the view since (storage/view-version) and aborts if
// anything did: a stale answer costs a second try (the ordinary path), never a wrong write.
import type { RowChange } from '../domain/apply-effects';
import type { PickLine, RowOf, StockRow, TableName } from '../domain/entities';
import { sortFefo } from '../domain/rules/stock';
import type { Reader } from '../domain/rules/types';
import { PARENT_KEY, byWalkOrder } from './dexie-reader';
import { byId } from './rows';
import { callKey, perform, readerOf, tableOf, type Answer, type ReadCall } from './reader-calls';

interface Recorded {
  call: ReadCall;
  answer: Answer;
}

/** The reads of past submissions by call, each answer as the device's last commit left it. */
export type ReadLog = Map<string, Recorded>;

/** A read the log does not hold: the replay gives up and the ordinary path reads. */
export class ReplayMiss extends Error {
  override name = 'ReplayMiss';
}

/** `reader`, adding every call and its answer to `log` once it has one. */
export function recordingReader(reader: Reader, log: ReadLog): Reader {
  return readerOf((call) =>
    perform(reader, call).then((answer) => {
      log.set(callKey(call), { call, answer });
      return answer;
    }),
  );
}

/** A Reader answering only from `log`; any other read rejects with `ReplayMiss`. */
export function replayReader(log: ReadLog): Reader {
  return readerOf((call) => {
    const found = log.get(callKey(call));
    return found ? Promise.resolve(found.answer) : Promise.reject(new ReplayMiss(`Not read before: ${callKey(call)}`));
  });
}

/** Whether `row` of a query call's table belongs in its answer, and the order the answer is in. */
function queryOf(call: Exclude<ReadCall, { kind: 'get' }>): { includes(row: RowOf<TableName>): boolean; order(rows: RowOf<TableName>[]): RowOf<TableName>[] } {
  switch (call.kind) {
    case 'children': {
      const parentKey = PARENT_KEY[call.table];
      return {
        includes: (row) => (row as Record<string, unknown>)[parentKey] === call.parentId,
        order: (rows) => rows.sort(byId),
      };
    }
    case 'stock': {
      const { productId, locationId, lot, lpn } = call.query;
      return {
        includes: (row) => {
          const stock = row as StockRow;
          return stock.productId === productId && stock.locationId === locationId && (lot === undefined || stock.lot === lot) && (lpn === undefined || stock.lpn === lpn);
        },
        order: (rows) => sortFefo(rows as StockRow[]),
      };
    }
    case 'stockAt':
      return {
        includes: (row) => (row as StockRow).locationId === call.locationId && (row as StockRow).qty > 0,
        order: (rows) => rows.sort(byId),
      };
    case 'pickLinesOfOrder':
      return { includes: (row) => (row as PickLine).orderId === call.orderId, order: (rows) => rows.sort(byId) };
    case 'openPickLinesAt':
      return {
        includes: (row) => (row as PickLine).locationId === call.locationId && (row as PickLine).productId === call.productId && (row as PickLine).status === 'open',
        order: (rows) => rows.sort(byId),
      };
    case 'locationsOfType':
      return {
        includes: (row) => (row as RowOf<'locations'>).type === call.type,
        order: (rows) => (rows as RowOf<'locations'>[]).sort(byWalkOrder),
      };
  }
}

/** `log` as it reads once `changes` are committed: each answer the Reader would now give. */
export function afterChanges(log: ReadLog, changes: readonly RowChange[]): ReadLog {
  const next: ReadLog = new Map();
  for (const [key, { call, answer }] of log) {
    const touching = changes.filter((change) => change.table === tableOf(call));
    if (touching.length === 0) {
      next.set(key, { call, answer });
    } else if (call.kind === 'get') {
      const last = touching.filter((change) => change.id === call.id).at(-1);
      next.set(key, { call, answer: last ? (last.row ?? undefined) : answer });
    } else {
      const query = queryOf(call);
      const rows = new Map((answer as RowOf<TableName>[]).map((row) => [row.id, row]));
      for (const change of touching) {
        rows.delete(change.id);
        if (change.row && query.includes(change.row)) rows.set(change.id, change.row);
      }
      next.set(key, { call, answer: query.order([...rows.values()]) });
    }
  }
  return next;
}
