// The randomized fault model in CI: a fixed list of seeds, each a run of devices, servers and a
// faulty network (simulation.ts) checked for exactly-once, the ledger and converged views.
// A failure names its seed; `npm run soak -- --seed N` replays it with the whole trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILURE_TAIL, FaultModel, type RunReport } from './simulation';
import { FAULT_KINDS } from './trace';

/** Seeds CI runs: fixed, so a failure in CI replays anywhere. */
const CI_SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

let model: FaultModel;
const reports: RunReport[] = [];

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

describe('fault model: exactly-once under drops, duplicates, reorders, delays and kills', () => {
  it(`holds for ${CI_SEEDS.length} seeds`, async () => {
    for (const seed of CI_SEEDS) {
      const report = await model.run(seed);
      reports.push(report);
      if (report.violations.length > 0) expect.fail(failureText(report));
    }
    // The runs must have exercised what they claim to: every fault and both outcomes of a conflict.
    const total = (pick: (r: RunReport) => number) => reports.reduce((sum, r) => sum + pick(r), 0);
    for (const kind of FAULT_KINDS) expect(total((r) => r.faults[kind]), kind).toBeGreaterThan(0);
    expect(total((r) => r.applied)).toBeGreaterThan(0);
    expect(total((r) => r.rejected)).toBeGreaterThan(0);
  }, 600_000);

  it('replays a seed exactly: the same steps, faults and outcome', async () => {
    const first = await model.run(7);
    const again = await model.run(7);
    expect(again.trace.lines).toEqual(first.trace.lines);
    expect(again.faults).toEqual(first.faults);
  }, 60_000);
});
