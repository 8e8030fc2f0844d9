// Refusals across owners through the real server: a user limited to owner B pushes every mutation
// type with owner A's ids, and the stored results it pulls back say only "not found", exactly as
// for made-up ids, naming none of A's goods or documents — on PGlite and, when set, PostgreSQL.
import { describe, expect, it } from 'vitest';
import type { MutationType } from '../../src/domain';
import { MUTATION_TYPES } from '../../src/domain';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pullAll, push } from './client';
import { fixtureWarehouse } from './fixture';
import { DOCUMENT_FIELD } from '../factories/document-fields';

const ORDER_A = '5234567890123456789';
const ORDER_B = '5234567890123456791';

/** A mutation of each type on owner B's own rows. */
const OWNER_B_ARGS: Record<MutationType, Record<string, unknown>> = {
  receive: { receiptId: 'rcp-b', productId: 'prd-b1', qty: 1 },
  move: { productId: 'prd-b1', fromLocationId: 'loc-b01', toLocationId: 'loc-a01', qty: 1 },
  pick: { pickLineId: 'pln-4', locationId: 'loc-b01', productId: 'prd-b1', qty: 1 },
  unpick: { pickLineId: 'pln-4', qty: 1 },
  'short-pick': { pickLineId: 'pln-4', qty: 1, reason: 'damaged' },
  pack: { orderId: ORDER_B, productId: 'prd-b1', qty: 1 },
  ship: { orderId: ORDER_B, carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
  'close-carton': { orderId: ORDER_B, carton: '1', cartonTypeId: 'box-b', weightGrams: 900 },
  repack: { orderId: ORDER_B, fromCarton: '1', toCarton: '2', productId: 'prd-b1', qty: 1 },
  'return-receive': { returnId: 'ret-b', productId: 'prd-b1', qty: 1 },
  restock: { returnId: 'ret-b', productId: 'prd-b1', qty: 1, disposition: 'restock', toLocationId: 'loc-b01' },
  'close-receipt': { receiptId: 'rcp-b' },
  'claim-pick-list': { pickListId: 'pl-3' },
};

/** Owner A's row ids by the argument that carries them. */
const OWNER_A_IDS: Record<string, string[]> = {
  receiptId: ['rcp-a'],
  productId: ['prd-a1', 'prd-a2'],
  pickLineId: ['pln-1', 'pln-3'],
  pickListId: ['pl-1', 'pl-2'],
  orderId: [ORDER_A],
  returnId: ['ret-a'],
};

/** Owner A's names a user of owner B must never read. */
const OWNER_A_SECRETS = ['ACME', 'Acme', 'Espresso', 'Grinder', 'ASN-1001', 'Roastery', '#1001', '#1002', 'PL-000001', 'PL-000002', 'Ann Archer', 'Bo Baker', 'RMA-A'];

const MADE_UP = 'zz-no-such-row';

/** The fixture with an open return for each owner, so every type has a document of each. */
function withReturns() {
  const data = fixtureWarehouse();
  data.rows.returns = [
    { id: 'ret-a', ownerId: 'own-a', rma: 'RMA-A1', orderId: ORDER_A, status: 'open', returnsLocationId: 'loc-ret' },
    { id: 'ret-b', ownerId: 'own-b', rma: 'RMA-B1', orderId: ORDER_B, status: 'open', returnsLocationId: 'loc-ret' },
  ];
  const line = (id: string, returnId: string, ownerId: string, productId: string) =>
    ({ id, returnId, ownerId, productId, authorisedQty: 2, receivedQty: 1, restockedQty: 0, damagedQty: 0, quarantinedQty: 0 });
  data.rows.returnLines = [line('retl-a', 'ret-a', 'own-a', 'prd-a1'), line('retl-b', 'ret-b', 'own-b', 'prd-b1')];
  return data;
}

interface Case {
  type: MutationType;
  field: string;
  sent: string;
  /** The case with a made-up id in the same field. */
  twin: number;
}

describe.each(BACKENDS)('refusals across owners on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('answers every type sent with another owner’s ids exactly as made-up ids, and stores nothing of that owner', async () => {
    server = await startTestServer(backend, withReturns());
    const beta = await server.signIn('beta', '3333');

    const sent: { type: MutationType; args: Record<string, unknown> }[] = [];
    const cases: Case[] = [];
    for (const type of MUTATION_TYPES) {
      const base = OWNER_B_ARGS[type];
      for (const field of Object.keys(base).filter((name) => name in OWNER_A_IDS)) {
        const twin = sent.push({ type, args: { ...base, [field]: MADE_UP } }) - 1;
        for (const id of OWNER_A_IDS[field]!) {
          sent.push({ type, args: { ...base, [field]: id } });
          cases.push({ type, field, sent: id, twin });
        }
      }
    }
    expect(new Set(cases.map((c) => c.type))).toEqual(new Set(MUTATION_TYPES));

    const pushed = await push(server.app, beta, sent.map((m, index) => mutation(index + 1, m.type, m.args)));
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    const { results } = await pullAll(server.app, beta);
    const stored = (index: number) => {
      const result = results.find((r) => r.seq === index + 1);
      if (!result) throw new Error(`no stored result for seq ${index + 1}`);
      return { status: result.status, code: result.code, message: result.message, details: result.details };
    };

    for (const c of cases) {
      const index = sent.findIndex((m) => m.type === c.type && m.args[c.field] === c.sent);
      const answer = stored(index);
      const label = `${c.type} ${c.field}=${c.sent}`;
      expect(answer.status, label).toBe('rejected');
      expect(JSON.parse(JSON.stringify(answer).replaceAll(c.sent, MADE_UP)), label).toEqual(stored(c.twin));
      const told = JSON.stringify(answer).replaceAll(c.sent, '');
      for (const secret of OWNER_A_SECRETS) expect(told, label).not.toContain(secret);
      if (c.field === DOCUMENT_FIELD[c.type]) {
        expect(answer.code, label).toBe('NOT_FOUND');
        expect(answer.details, label).toEqual({ id: c.sent });
      }
    }
  });
});
