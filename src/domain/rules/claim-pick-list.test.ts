// Claiming a pick list: the opener holds it; another picker is told who holds it and since when,
// and takes it over only on purpose; done and cancelled lists are nobody's.
import { describe, expect, it } from 'vitest';
import { ACTORS, warehouse } from '../../../test/factories/warehouse';
import { putOf, rejectionOf } from '../../../test/factories/outcome';
import { applyClaimPickList } from './claim-pick-list';

describe('claim-pick-list', () => {
  it('gives the list to the picker who opens it, by id and name', async () => {
    const { ctx } = warehouse();
    const claimed = putOf(await applyClaimPickList({ pickListId: 'pl-1', takeOver: false }, { ...ctx(), actor: { ...ACTORS.operator, displayName: 'Olivia' } }), 'pickLists');
    expect(claimed).toMatchObject({ id: 'pl-1', claimedBy: ACTORS.operator.userId, claimedByName: 'Olivia', claimedAt: '2026-01-15T10:00:00.000Z' });
  });

  it("tells another picker who holds it and since when, and hands it over only on purpose", async () => {
    const { reader, ctx } = warehouse();
    reader.put('pickLists', { ...reader.row('pickLists', 'pl-1'), claimedBy: 'u-hugo', claimedByName: 'Hugo', claimedAt: '2026-01-15T09:41:00.000Z' });
    const refused = rejectionOf(await applyClaimPickList({ pickListId: 'pl-1', takeOver: false }, ctx()), 'CLAIMED');
    expect(refused.message).toBe('Pick list PL-1 is held by Hugo since 09:41. Take it over only if they have stopped.');
    expect(putOf(await applyClaimPickList({ pickListId: 'pl-1', takeOver: true }, ctx()), 'pickLists')).toMatchObject({ claimedBy: ACTORS.operator.userId });
  });

  it('changes nothing for its own holder, and refuses a done list', async () => {
    const { reader, ctx } = warehouse();
    reader.put('pickLists', { ...reader.row('pickLists', 'pl-1'), claimedBy: ACTORS.operator.userId, claimedByName: 'Olivia', claimedAt: '2026-01-15T09:41:00.000Z' });
    const again = await applyClaimPickList({ pickListId: 'pl-1', takeOver: false }, ctx());
    expect(again).toEqual({ ok: true, effects: [] });
    reader.put('pickLists', { ...reader.row('pickLists', 'pl-1'), status: 'done' });
    rejectionOf(await applyClaimPickList({ pickListId: 'pl-1', takeOver: true }, ctx()), 'DOCUMENT_CLOSED');
  });
});
