// The randomized fault model in CI: a fixed list of seeds, each a run of devices, servers and a
// faulty network (simulation.ts) checked for exactly-once, the ledger and converged views; and
// the checks themselves shown to fail on a lost result, a double apply and a diverged device.
// A failure names its seed; `npm run soak -- --seed N` replays it with the whole trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckContext } from './invariants';
import { FAILURE_TAIL, FaultModel, type RunReport } from './simulation';
import { FAULT_KINDS } from './trace';

/**
 * Seeds CI runs: fixed, so a failure in CI replays anywhere. About 0.35 s of CPU each on
 * PGlite (the soak prints the figure): the suite stays near 80 s.
 */
const CI_SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

/** A seed whose run has applied and rejected mutations, for breaking its outcome on purpose. */
const TAMPER_SEED = 12;

let model: FaultModel;

beforeAll(async () => {
  model = await FaultModel.create({ databaseUrl: process.env.TEST_DATABASE_URL });
}, 60_000);

afterAll(async () => {
  await model?.close();
});

function failureText(report: RunReport): string {
  return [
    `seed ${report.seed} broke the fault model (replay: npm run soak -- --seed ${report.seed}):`,
    ...report.violations.map((violation) => `  - ${violation}`),
    `last ${FAILURE_TAIL} steps:`,
    report.trace.tail(FAILURE_TAIL),
  ].join('\n');
}

/** The id of a confirmed mutation the server stored as `status`. */
async function mutationWith(world: CheckContext, status: 'applied' | 'rejected', type?: string): Promise<string> {
  const { rows } = await world.db.query<{ id: string }>(
    `select mutation_id::text as id from mutation_results where status = $1 and ($2::text is null or type = $2) order by device_id, seq limit 1`,
    [status, type ?? null],
  );
  expect(rows[0], `seed ${TAMPER_SEED} has no ${status} ${type ?? ''} mutation`).toBeDefined();
  return rows[0]!.id;
}

/** Runs the tamper seed, breaking its outcome with `tamper` before the checks; answers what they found. */
async function violationsAfter(tamper: (world: CheckContext) => Promise<void>): Promise<string[]> {
  const report = await model.run(TAMPER_SEED, { beforeCheck: tamper });
  return report.violations;
}

describe('fault model: exactly-once under drops, duplicates, reorders, delays and kills', () => {
  it(`holds for ${CI_SEEDS.length} seeds`, async () => {
    const reports: RunReport[] = [];
    for (const seed of CI_SEEDS) {
      const report = await model.run(seed);
      reports.push(report);
      if (report.violations.length > 0) expect.fail(failureText(report));
    }
    // The runs exercised what they claim to: every fault, and both outcomes of a conflict.
    const total = (pick: (r: RunReport) => number) => reports.reduce((sum, r) => sum + pick(r), 0);
    for (const kind of FAULT_KINDS) expect(total((r) => r.faults[kind]), kind).toBeGreaterThan(0);
    expect(total((r) => r.applied)).toBeGreaterThan(0);
    expect(total((r) => r.rejected)).toBeGreaterThan(0);
  }, 900_000);

  it('replays a seed exactly: the same steps, faults and outcome', async () => {
    const first = await model.run(7);
    const again = await model.run(7);
    expect(first.violations).toEqual([]);
    expect(again.trace.lines).toEqual(first.trace.lines);
    expect(again.faults).toEqual(first.faults);
  }, 60_000);
});

describe('fault model checks: each fails on the outcome it guards against', () => {
  it('the untampered run passes', async () => {
    expect(await violationsAfter(async () => undefined)).toEqual([]);
  }, 60_000);

  it('a confirmed mutation whose result is gone is reported lost', async () => {
    const violations = await violationsAfter(async (world) => {
      await world.db.query('delete from mutation_results where mutation_id = $1', [await mutationWith(world, 'applied')]);
    });
    expect(violations.join('\n')).toMatch(/has no result on the server \(lost\)/);
  }, 60_000);

  it('a mutation applied twice is reported by its ledger rows and the balances', async () => {
    const violations = await violationsAfter(async (world) => {
      await world.db.query(
        `insert into stock_movements (stock_id, owner_id, location_id, product_id, lot, lpn, delta, mutation_id, user_id, device_id, reason)
         select stock_id, owner_id, location_id, product_id, lot, lpn, delta, mutation_id, user_id, device_id, reason
         from stock_movements where mutation_id = $1`,
        [await mutationWith(world, 'applied')],
      );
    });
    expect(violations.join('\n')).toMatch(/applied, ledger has \d+ rows/);
    expect(violations.join('\n')).toMatch(/balance \d+, ledger sums to/);
  }, 60_000);

  it('a rejected mutation that moved stock is reported', async () => {
    const violations = await violationsAfter(async (world) => {
      const rejected = await mutationWith(world, 'rejected');
      await world.db.query(
        `insert into stock_movements (stock_id, owner_id, location_id, product_id, lot, lpn, delta, mutation_id, reason)
         select id, owner_id, location_id, product_id, lot, lpn, 1, $1, 'pick' from stock order by id limit 1`,
        [rejected],
      );
    });
    expect(violations.join('\n')).toMatch(/rejected, yet 1 ledger rows carry its id/);
  }, 60_000);

  it('a device whose view differs from the server’s rows is reported', async () => {
    const violations = await violationsAfter(async (world) => {
      await world.db.query(
        `update sync_rows set row = jsonb_set(row::jsonb, '{qty}', to_jsonb((row->>'qty')::int + 1))::json
         where tbl = 'stock' and id = (select id from sync_rows where tbl = 'stock' and not deleted order by id limit 1)`,
      );
    });
    expect(violations.join('\n')).toMatch(/stock\/\S+ is .* on the device, .* on the server/);
  }, 60_000);

  it('a mutation left in an outbox, and a rejection not shown to its user, are reported', async () => {
    const violations = await violationsAfter(async (world) => {
      const rejected = await mutationWith(world, 'rejected');
      for (const device of world.devices) await device.db.problems.delete(rejected);
      const device = world.devices[0]!;
      await device.db.outbox.add({
        id: '00000000-0000-4000-8000-0000000000ff', seq: 10_000, type: 'pick', version: 1, args: {}, clientTime: new Date(0).toISOString(),
        status: 'pending', touched: [], actor: { userId: 'nobody', deviceId: 'nowhere', role: 'operator', ownerIds: null },
      });
    });
    expect(violations.join('\n')).toMatch(/seq 10000 \(pick\) still in the outbox as pending/);
    expect(violations.join('\n')).toMatch(/was rejected \(\w+\) but the device shows no problem/);
  }, 60_000);
});
