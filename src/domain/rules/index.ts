// One entry point for every mutation rule: the server and the device both call `applyMutation`.
import type { ParsedMutation, MutationType, ArgsOf } from '../mutations';
import { applyPick } from './pick';
import type { Outcome, RuleContext } from './types';

type RuleTable = { [T in MutationType]: (args: ArgsOf<T>, ctx: RuleContext) => Promise<Outcome> };

const RULES: RuleTable = {
  pick: applyPick,
  // The rules below are filled in by their own modules.
  receive: notYet,
  move: notYet,
  unpick: notYet,
  'short-pick': notYet,
  pack: notYet,
  ship: notYet,
  'return-receive': notYet,
  restock: notYet,
};

async function notYet(): Promise<Outcome> {
  throw new Error('rule not implemented');
}

export function applyMutation(mutation: ParsedMutation, ctx: RuleContext): Promise<Outcome> {
  const rule = RULES[mutation.type] as (args: unknown, ctx: RuleContext) => Promise<Outcome>;
  return rule(mutation.args, ctx);
}

export type { Actor, Effect, Outcome, PutEffect, Reader, RuleContext, StockEffect, StockQuery } from './types';
