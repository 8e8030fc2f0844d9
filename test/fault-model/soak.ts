// `npm run soak -- --runs 1000 [--from 1]` runs that many seeds of the fault model with a
// progress line and a summary table; `npm run soak -- --seed N` replays one seed and prints its
// whole trace. PostgreSQL instead of PGlite when TEST_DATABASE_URL is set.
import { parseArgs } from 'node:util';
import { FAILURE_TAIL, FaultModel, type RunReport } from './simulation';
import { FAULT_KINDS } from './trace';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    steps: { type: 'string' },
  },
});

const toInt = (value: string, name: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} takes a whole number, not ${value}`);
  return n;
};

function printSummary(reports: RunReport[], seconds: number): void {
  const sum = (pick: (r: RunReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  const median = (values: number[]) => Math.round(values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);
  const rows: [string, string | number][] = [
    ['runs', reports.length],
    ['failed runs', reports.filter((r) => r.violations.length > 0).length],
    ['steps', sum((r) => r.steps)],
    ['devices (sum over runs)', sum((r) => r.devices)],
    ['runs with two servers', reports.filter((r) => r.servers === 2).length],
    ['mutations confirmed on devices', sum((r) => r.confirmed)],
    ['  applied on the server', sum((r) => r.applied)],
    ['  rejected (stored reason)', sum((r) => r.rejected)],
    ['refused on the device (nothing queued)', sum((r) => r.refusedLocally)],
    ...FAULT_KINDS.map((kind): [string, number] => [`fault: ${kind}`, sum((r) => r.faults[kind])]),
    ['time per run, median ms', median(reports.map((r) => r.ms))],
    ['time per run, max ms', Math.round(Math.max(...reports.map((r) => r.ms)))],
    ['CPU per run, median ms', median(reports.map((r) => r.cpuMs))],
    ['wall time, s', seconds.toFixed(1)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${String(value).padStart(9)}`);
}

async function main(): Promise<number> {
  const model = await FaultModel.create({ databaseUrl: process.env.TEST_DATABASE_URL });
  const steps = values.steps === undefined ? undefined : toInt(values.steps, 'steps');
  try {
    if (values.seed !== undefined) {
      const report = await model.run(toInt(values.seed, 'seed'), { steps });
      console.log(report.trace.lines.join('\n'));
      console.log('');
      printSummary([report], report.ms / 1000);
      if (report.violations.length === 0) return 0;
      console.log(`\nseed ${report.seed} FAILED:\n${report.violations.map((v) => `  - ${v}`).join('\n')}`);
      return 1;
    }
    const from = toInt(values.from, 'from');
    const runs = toInt(values.runs, 'runs');
    const started = performance.now();
    const reports: RunReport[] = [];
    for (let seed = from; seed < from + runs; seed++) {
      const report = await model.run(seed, { steps });
      reports.push(report);
      if (report.violations.length > 0) {
        process.stdout.write('\n');
        console.log(`seed ${seed} FAILED (replay: npm run soak -- --seed ${seed}):\n${report.violations.slice(0, 20).map((v) => `  - ${v}`).join('\n')}`);
        console.log(`last ${FAILURE_TAIL} steps:\n${report.trace.tail(FAILURE_TAIL)}`);
      }
      const failed = reports.filter((r) => r.violations.length > 0).length;
      const elapsed = (performance.now() - started) / 1000;
      process.stdout.write(`\r${reports.length}/${runs} runs, ${failed} failed, ${elapsed.toFixed(0)} s`);
    }
    process.stdout.write('\n\n');
    printSummary(reports, (performance.now() - started) / 1000);
    const failedSeeds = reports.filter((r) => r.violations.length > 0).map((r) => r.seed);
    if (failedSeeds.length > 0) console.log(`\nfailed seeds: ${failedSeeds.join(' ')}`);
    return failedSeeds.length > 0 ? 1 : 0;
  } finally {
    await model.close();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(2);
});
