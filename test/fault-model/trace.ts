// What a fault-model run did: a numbered line per step (kept whole, printed in part on a
// failure) and the count of every fault injected, by kind.

export const FAULT_KINDS = [
  'requestDrops',
  'responseDrops',
  'duplicates',
  'reorders',
  /** Two requests handled by the servers at the same time. */
  'overlaps',
  'delays',
  'serverKills',
  'killsMidRequest',
  /** Kills inside a push after some of its mutations committed and before the rest. */
  'killsInsidePush',
  'deviceRestarts',
  'deviceRestartsMidRequest',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultCounts = Record<FaultKind, number>;

export function noFaults(): FaultCounts {
  return Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as FaultCounts;
}

export class Trace {
  readonly lines: string[] = [];
  readonly faults: FaultCounts = noFaults();
  steps = 0;
  /** Mutations the devices' screens confirmed (committed to an outbox), and refused locally. */
  confirmed = 0;
  refusedLocally = 0;

  log(line: string): void {
    this.lines.push(`${String(this.steps).padStart(4)} ${line}`);
  }

  fault(kind: FaultKind, line: string): void {
    this.faults[kind] += 1;
    this.log(`FAULT ${kind}: ${line}`);
  }

  /** The last `count` lines, for a failure report. */
  tail(count: number): string {
    return this.lines.slice(-count).join('\n');
  }
}
