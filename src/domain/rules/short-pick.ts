// Short pick: the worker reports units of a line that cannot be picked, with a reason. No stock
// moves; the line (and then the list) completes once picked plus short covers its quantity.
import type { ArgsOf } from '../mutations';
import { reject } from './access';
import { advanceLine, isLineOpen, listAfter, loadPickLine, remainingOnLine } from './pick';
import type { Effect, Outcome, RuleContext } from './types';

export async function applyShortPick(args: ArgsOf<'short-pick'>, ctx: RuleContext): Promise<Outcome> {
  const loaded = await loadPickLine(args, ctx);
  if (!loaded.ok) return loaded.outcome;
  const { line, list } = loaded;
  if (!isLineOpen(line)) return reject('LINE_CLOSED', 'This line is already complete. Go to the next line.', { pickLineId: line.id });

  const remaining = remainingOnLine(line);
  if (args.qty > remaining) {
    return reject('OVERPICK', `Only ${remaining} left on this line: report at most ${remaining} short.`, {
      remaining,
      requested: args.qty,
    });
  }

  // The latest reason wins: a line shorted twice for different reasons keeps the last one.
  const shorted = { ...advanceLine(line, 0, args.qty), shortReason: args.reason };
  const effects: Effect[] = [{ kind: 'put', table: 'pickLines', row: shorted }];
  const nextList = await listAfter(ctx.reader, list, shorted);
  if (nextList) effects.push({ kind: 'put', table: 'pickLists', row: nextList });
  return { ok: true, effects };
}
