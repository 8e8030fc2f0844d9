// Claiming a pick list: the picker who opens it holds it, so two pickers do not walk one list.
// Another picker's list is taken over only on purpose (`takeOver`, after the device said who holds
// it and since when); a done or cancelled list is nobody's to claim. Picks are never refused for a
// claim: two devices that picked one list offline meet in the pick rules, line by line.
import type { ArgsOf } from '../mutations';
import { notFound, reject } from './access';
import type { Outcome, RuleContext } from './types';

/** "09:41" from an ISO time, as the floor reads a clock. */
const clockTime = (iso: string): string => iso.slice(11, 16);

export async function applyClaimPickList(args: ArgsOf<'claim-pick-list'>, ctx: RuleContext): Promise<Outcome> {
  const list = await ctx.reader.get('pickLists', args.pickListId);
  if (!list) return notFound('Pick list', args.pickListId);
  if (list.status === 'done' || list.status === 'cancelled') {
    return reject('DOCUMENT_CLOSED', `Pick list ${list.number} is ${list.status === 'done' ? 'done' : 'cancelled'}: choose another list.`, { pickListId: list.id });
  }
  const { actor } = ctx;
  if (list.claimedBy && list.claimedBy !== actor.userId && !args.takeOver) {
    const since = list.claimedAt ? ` since ${clockTime(list.claimedAt)}` : '';
    return reject('CLAIMED', `Pick list ${list.number} is held by ${list.claimedByName ?? 'another picker'}${since}. Take it over only if they have stopped.`, {
      pickListId: list.id,
    });
  }
  if (list.claimedBy === actor.userId) return { ok: true, effects: [] };
  return {
    ok: true,
    effects: [{ kind: 'put', table: 'pickLists', row: { ...list, claimedBy: actor.userId, claimedByName: actor.displayName ?? actor.userId, claimedAt: ctx.now } }],
  };
}
