// Refusals across owners: for every mutation type, an actor limited to globex who sends the ids of
// acme's rows gets exactly the answer a made-up id gets, naming none of acme's goods or documents.
import { describe, expect, it } from 'vitest';
import { ACTORS, returnLine, warehouse } from '../../../test/factories/warehouse';
import { MUTATION_TYPES, parseMutation, type MutationType, type ParsedMutation } from '../mutations';
import type { Outcome } from './types';
import { applyMutation } from './index';
import { DOCUMENT_FIELD } from '../../../test/factories/document-fields';

/** A mutation of each type that globex's own rows answer (applied or refused on their merits). */
const GLOBEX_ARGS: Record<MutationType, Record<string, unknown>> = {
  receive: { receiptId: 'r-g', productId: 'p-gadget', qty: 1 },
  move: { productId: 'p-gadget', fromLocationId: 'loc-a0102', toLocationId: 'loc-a0101', qty: 1 },
  pick: { pickLineId: 'pk-gadget', locationId: 'loc-a0102', productId: 'p-gadget', qty: 1 },
  unpick: { pickLineId: 'pk-gadget', qty: 1 },
  'short-pick': { pickLineId: 'pk-gadget', qty: 1, reason: 'damaged' },
  pack: { orderId: 'o-g', productId: 'p-gadget', qty: 1 },
  ship: { orderId: 'o-g', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
  'close-carton': { orderId: 'o-g', carton: '1', cartonTypeId: 'box-g', weightGrams: 900 },
  repack: { orderId: 'o-g', fromCarton: '1', toCarton: '2', productId: 'p-gadget', qty: 1 },
  'return-receive': { returnId: 'ret-g', productId: 'p-gadget', qty: 1 },
  restock: { returnId: 'ret-g', productId: 'p-gadget', qty: 1, disposition: 'restock', toLocationId: 'loc-a0101' },
  'close-receipt': { receiptId: 'r-g' },
  'claim-pick-list': { pickListId: 'pl-g' },
};

/** acme's row ids by the argument that carries them (locations are the warehouse's, not an owner's). */
const ACME_IDS: Record<string, string[]> = {
  receiptId: ['r-1', 'r-closed'],
  productId: ['p-widget', 'p-serum', 'p-gizmo'],
  pickLineId: ['pk-widget', 'pk-serum'],
  pickListId: ['pl-1'],
  orderId: ['o-1'],
  returnId: ['ret-1', 'ret-closed'],
};

/** What globex's user must never read: acme's SKUs, product names, document numbers, lots, customer. */
const ACME_SECRETS = ['WID-1', 'Widget', 'SER-1', 'Serum', 'GIZ-1', 'Gizmo', 'R-1', 'R-CLOSED', '#o-1', 'PL-1', 'RMA-ret', 'L1', 'L2', 'acme', 'ACME'];

const MADE_UP = 'zz-no-such-row';

function parsed(type: MutationType, args: Record<string, unknown>): ParsedMutation {
  const result = parseMutation(type, 1, args);
  if (!result.ok) throw new Error(result.message);
  return result.mutation;
}

/** globex's warehouse plus an open return of its own, so every type has a globex document. */
function floor() {
  const built = warehouse();
  built.reader.put('returns', { id: 'ret-g', ownerId: 'globex', rma: 'RMA-G', orderId: null, status: 'open', returnsLocationId: 'loc-ret' });
  built.reader.put('returnLines', returnLine({ id: 'retl-gadget', returnId: 'ret-g', ownerId: 'globex', productId: 'p-gadget', authorisedQty: 2 }));
  return built;
}

async function asGlobex(type: MutationType, args: Record<string, unknown>): Promise<Outcome> {
  return applyMutation(parsed(type, args), floor().ctx(ACTORS.globexOnly));
}

/** The outcome as JSON with every occurrence of `id` replaced, to compare answers to two ids. */
function withId(outcome: Outcome, id: string, replacement: string): unknown {
  return JSON.parse(JSON.stringify(outcome).replaceAll(id, replacement));
}

describe('refusals across owners', () => {
  it('covers every mutation type', () => {
    expect(Object.keys(GLOBEX_ARGS).sort()).toEqual([...MUTATION_TYPES].sort());
  });

  for (const type of MUTATION_TYPES) {
    it(`${type}: another owner's id is answered exactly as a made-up one`, async () => {
      const base = GLOBEX_ARGS[type];
      const fields = Object.keys(base).filter((field) => field in ACME_IDS);
      expect(fields).toContain(DOCUMENT_FIELD[type]);
      for (const field of fields) {
        const madeUp = await asGlobex(type, { ...base, [field]: MADE_UP });
        for (const acmeId of ACME_IDS[field]!) {
          const outcome = await asGlobex(type, { ...base, [field]: acmeId });
          expect(outcome.ok, `${type} ${field}=${acmeId}`).toBe(false);
          expect(withId(outcome, acmeId, MADE_UP), `${type} ${field}=${acmeId}`).toEqual(madeUp);
          const told = JSON.stringify(outcome).replaceAll(acmeId, '');
          for (const secret of ACME_SECRETS) expect(told, `${type} ${field}=${acmeId}`).not.toContain(secret);
          if (field === DOCUMENT_FIELD[type] && !outcome.ok) {
            expect(outcome.rejection.code).toBe('NOT_FOUND');
            expect(outcome.rejection.details).toEqual({ id: acmeId });
          }
        }
      }
    });
  }

  it("counts another owner's units in a bin's capacity without naming them", async () => {
    // B-01-01 holds 10 at most and already 3 of acme's gizmos: 8 of globex's gadgets do not fit.
    const outcome = await asGlobex('move', { productId: 'p-gadget', fromLocationId: 'loc-a0102', toLocationId: 'loc-b0101', qty: 8 });
    expect(outcome.ok ? 'ok' : outcome.rejection.code).toBe('INVALID_QUANTITY');
    const told = JSON.stringify(outcome);
    for (const secret of ACME_SECRETS) expect(told).not.toContain(secret);
    expect(told).not.toContain('p-gizmo');
  });

  it('lets an actor of every owner work on any owner', async () => {
    const { ctx } = floor();
    const outcome = await applyMutation(parsed('close-receipt', { receiptId: 'r-1' }), ctx(ACTORS.operator));
    expect(outcome.ok).toBe(true);
  });
});
