// Reading rule outcomes in tests: the rejection a test expects, or the effects of a success,
// failing loudly (with the other side's content) when the outcome is the wrong kind.
import type { Rejection, RejectionCode } from '../../src/domain/errors';
import type { Effect, Outcome, PutEffect, StockEffect } from '../../src/domain/rules/types';
import type { RowOf, TableName } from '../../src/domain/entities';

export function rejectionOf(outcome: Outcome, code?: RejectionCode): Rejection {
  if (outcome.ok) throw new Error(`Expected a rejection${code ? ` ${code}` : ''}, got effects ${JSON.stringify(outcome.effects)}`);
  if (code && outcome.rejection.code !== code) {
    throw new Error(`Expected ${code}, got ${outcome.rejection.code}: ${outcome.rejection.message}`);
  }
  return outcome.rejection;
}

export function effectsOf(outcome: Outcome): Effect[] {
  if (!outcome.ok) throw new Error(`Expected success, got ${outcome.rejection.code}: ${outcome.rejection.message}`);
  return outcome.effects;
}

export function stockEffects(outcome: Outcome): StockEffect[] {
  return effectsOf(outcome).filter((effect): effect is StockEffect => effect.kind === 'stock');
}

/** The rows an outcome puts into `table`. */
export function putsOf<T extends TableName>(outcome: Outcome, table: T): RowOf<T>[] {
  return effectsOf(outcome)
    .filter((effect): effect is PutEffect<T> => effect.kind === 'put' && effect.table === table)
    .map((effect) => effect.row);
}

/** The single row an outcome puts into `table`; throws when there is not exactly one. */
export function putOf<T extends TableName>(outcome: Outcome, table: T): RowOf<T> {
  const rows = putsOf(outcome, table);
  if (rows.length !== 1) throw new Error(`Expected one ${table} row, got ${rows.length}`);
  return rows[0] as RowOf<T>;
}
