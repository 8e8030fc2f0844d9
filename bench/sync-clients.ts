// The simulated scanners of the sync benchmark, run in a worker thread so their HTTP client work
// does not share the server's event loop: each device pushes one `move` per request, back to back.
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

export interface ClientDevice {
  token: string;
  productId: string;
  /** The two bins holding the device's product; it moves one unit A→B, then B→A, and so on. */
  binA: string;
  binB: string;
}

export interface ClientPlan {
  baseUrl: string;
  devices: ClientDevice[];
  warmupMs: number;
  durationMs: number;
}

export interface ClientReport {
  /** Latency (ms) of every push that completed inside the measured window. */
  latencies: Float64Array;
  /** Pushes over the whole cell, warm-up included. */
  pushes: number;
  applied: number;
  rejected: number;
  /** Answers other than 200 and network errors; a device stops at its first. */
  failures: number;
  firstProblem: string | null;
}

export type ClientMessage = { kind: 'measuring' } | { kind: 'done'; report: ClientReport };

interface PushAnswer {
  results?: { status: string; code: string | null; message: string | null }[];
  error?: string;
  message?: string;
}

async function simulate(plan: ClientPlan, post: (message: ClientMessage) => void): Promise<void> {
  const t0 = performance.now();
  const measureStart = t0 + plan.warmupMs;
  const measureEnd = measureStart + plan.durationMs;
  setTimeout(() => post({ kind: 'measuring' }), plan.warmupMs);

  const latencies: number[] = [];
  const report = { pushes: 0, applied: 0, rejected: 0, failures: 0, firstProblem: null as string | null };
  const problem = (text: string) => {
    report.firstProblem ??= text;
  };
  const url = `${plan.baseUrl}/api/sync/push`;

  await Promise.all(plan.devices.map(async (device) => {
    const headers = { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' };
    for (let seq = 1; performance.now() < measureEnd; seq++) {
      const forward = seq % 2 === 1;
      const body = JSON.stringify({
        mutations: [{
          id: randomUUID(),
          seq,
          type: 'move',
          version: 1,
          args: {
            productId: device.productId,
            fromLocationId: forward ? device.binA : device.binB,
            toLocationId: forward ? device.binB : device.binA,
            qty: 1,
          },
          clientTime: new Date().toISOString(),
        }],
      });
      const start = performance.now();
      let status: number;
      let answer: PushAnswer;
      try {
        const response = await fetch(url, { method: 'POST', headers, body });
        status = response.status;
        answer = (await response.json()) as PushAnswer;
      } catch (error) {
        report.failures++;
        problem(`network: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      const end = performance.now();
      report.pushes++;
      if (status !== 200 || !answer.results || answer.results.length !== 1) {
        // A device whose push failed no longer knows its next sequence: it stops, as the benchmark is void anyway.
        report.failures++;
        problem(`HTTP ${status}: ${answer.error ?? ''} ${answer.message ?? ''}`.trim());
        return;
      }
      const result = answer.results[0]!;
      if (result.status === 'applied') report.applied++;
      else {
        report.rejected++;
        problem(`rejected ${result.code ?? ''}: ${result.message ?? ''}`);
      }
      // Throughput and latency count pushes that finished inside the window, like the raw rate.
      if (end >= measureStart && end <= measureEnd) latencies.push(end - start);
    }
  }));
  post({ kind: 'done', report: { ...report, latencies: Float64Array.from(latencies) } });
}

if (parentPort) {
  const port = parentPort;
  await simulate(workerData as ClientPlan, (message) => port.postMessage(message));
}
