import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkerReply, WorkerRequest } from './decode/protocol';
import { createDecodeBridge } from './decode-bridge';
import type { WorkerLike } from './decode-bridge';

class FakeWorker implements WorkerLike {
  sent: WorkerRequest[] = [];
  terminated = false;
  private listeners: Record<string, ((event: never) => void)[]> = {};
  postMessage(message: WorkerRequest): void {
    this.sent.push(message);
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    (this.listeners[type] ??= []).push(listener);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: WorkerReply): void {
    for (const listener of this.listeners.message ?? []) listener({ data: message } as never);
  }
}

function bitmap() {
  return { width: 640, height: 480, close: vi.fn() } as unknown as ImageBitmap & { close: ReturnType<typeof vi.fn> };
}

function setup(idleMs = 1000) {
  const workers: FakeWorker[] = [];
  const bridge = createDecodeBridge({
    idleMs,
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
  });
  return { bridge, workers };
}

const done = (id: number): WorkerReply => ({ type: 'frame', id, results: [], engine: 'zxing-wasm', hard: false, decodeMs: 3 });

afterEach(() => vi.useRealTimers());

describe('createDecodeBridge', () => {
  it('creates the worker only when the first frame comes', () => {
    const { bridge, workers } = setup();
    expect(workers).toHaveLength(0);
    void bridge.decode(bitmap());
    expect(workers).toHaveLength(1);
  });

  it('drops (and closes) frames offered while one is in flight', async () => {
    const { bridge, workers } = setup();
    const first = bridge.decode(bitmap());
    expect(bridge.busy).toBe(true);
    const extra = bitmap();
    await expect(bridge.decode(extra)).resolves.toEqual({ status: 'dropped' });
    expect(extra.close).toHaveBeenCalled();
    expect(workers[0]!.sent).toHaveLength(1);
    workers[0]!.reply(done(1));
    await expect(first).resolves.toMatchObject({ status: 'decoded', decodeMs: 3 });
    expect(bridge.busy).toBe(false);
    void bridge.decode(bitmap(), { roi: { x: 0, y: 100, width: 640, height: 200 }, formats: ['qr'] });
    expect(workers[0]!.sent[1]).toMatchObject({ type: 'frame', id: 2, roi: { y: 100 }, formats: ['qr'] });
  });

  it('ends the worker when a decode is aborted, and starts another for the next frame', async () => {
    const { bridge, workers } = setup();
    const controller = new AbortController();
    const pending = bridge.decode(bitmap(), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0]!.terminated).toBe(true);
    expect(bridge.busy).toBe(false);
    void bridge.decode(bitmap());
    expect(workers).toHaveLength(2);
  });

  it('ends an idle worker', async () => {
    vi.useFakeTimers();
    const { bridge, workers } = setup(1000);
    const pending = bridge.decode(bitmap());
    workers[0]!.reply(done(1));
    await pending;
    vi.advanceTimersByTime(999);
    expect(workers[0]!.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('rejects with the worker error', async () => {
    const { bridge, workers } = setup();
    const pending = bridge.decode(bitmap());
    workers[0]!.reply({ type: 'error', id: 1, message: 'boom' });
    await expect(pending).rejects.toThrow('boom');
  });
});
