// One entry point for every mutation rule: the server and the device both call `applyMutation`.
import type { ParsedMutation, MutationType, ArgsOf } from '../mutations';
import { applyClaimPickList } from './claim-pick-list';
import { applyCloseCarton } from './close-carton';
import { applyCloseReceipt } from './close-receipt';
import { applyMove } from './move';
import { applyPack } from './pack';
import { applyPick } from './pick';
import { applyReceive } from './receive';
import { applyRepack } from './repack';
import { applyRestock } from './restock';
import { applyReturnReceive } from './return-receive';
import { applyShip } from './ship';
import { applyShortPick } from './short-pick';
import { applyUnpick } from './unpick';
import { ownerScopedReader } from './owner-scope';
import type { Outcome, RuleContext } from './types';

type RuleTable = { [T in MutationType]: (args: ArgsOf<T>, ctx: RuleContext) => Promise<Outcome> };

const RULES: RuleTable = {
  receive: applyReceive,
  move: applyMove,
  pick: applyPick,
  unpick: applyUnpick,
  'short-pick': applyShortPick,
  pack: applyPack,
  ship: applyShip,
  'close-carton': applyCloseCarton,
  repack: applyRepack,
  'return-receive': applyReturnReceive,
  restock: applyRestock,
  'close-receipt': applyCloseReceipt,
  'claim-pick-list': applyClaimPickList,
};

/** Applies a mutation's rule; the rule reads only the actor's owners' rows (owner-scope.ts). */
export function applyMutation(mutation: ParsedMutation, ctx: RuleContext): Promise<Outcome> {
  const rule = RULES[mutation.type] as (args: unknown, ctx: RuleContext) => Promise<Outcome>;
  return rule(mutation.args, { ...ctx, reader: ownerScopedReader(ctx.reader, ctx.actor) });
}

export { canSeeOwner } from './access';
export { ownerScopedReader } from './owner-scope';
export { parseExpiry } from './dates';
export { allowedReceiptQty, unexpectedLineId } from './receive';
export { shipmentId } from './ship';
export { closedShort } from './close-carton';
export { compareFefo, sortFefo } from './stock';
export type { Actor, Effect, Outcome, PutEffect, Reader, RuleContext, StockEffect, StockQuery } from './types';
