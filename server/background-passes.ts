// Work a server does beside its requests (allocating waiting orders, sending fulfillment notices):
// a pass runs soon after it is asked for, requests arriving meanwhile coalesce into one more pass,
// and a sweep timer asks again so what a stopped server left is picked up by another.

export interface BackgroundOptions {
  /** How often a pass is asked for by the timer; 0 for never. */
  sweepMs: number;
  /**
   * False: nothing runs by itself; what was requested runs when `settle()` is awaited. For
   * simulations that replay a seed exactly (test/fault-model), where work in the background
   * would race the requests they order. True by default.
   */
  background?: boolean;
}

export class BackgroundPasses {
  private wanted = false;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  /** `pass` does the work and handles its own failures (its work waits for the next pass). */
  constructor(
    private readonly pass: () => Promise<void>,
    private readonly options: BackgroundOptions,
  ) {}

  /** Starts the sweep timer, and a first pass for what waited while no server ran. */
  start(): void {
    if (this.options.background === false) return;
    this.request();
    if (this.options.sweepMs > 0 && !this.timer) {
      this.timer = setInterval(() => this.request(), this.options.sweepMs);
      this.timer.unref();
    }
  }

  /** Asks for a pass; requests made while one runs coalesce into one more. */
  request(): void {
    this.wanted = true;
    if (this.options.background !== false) this.run();
  }

  /** Runs what was requested, and resolves once nothing is wanted and nothing runs. */
  async settle(): Promise<void> {
    if (this.wanted) this.run();
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.wanted = false;
    await this.settle();
  }

  private run(): void {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    // Let a burst of requests (a webhook storm, a push of many scans) coalesce into one pass.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.wanted) {
      this.wanted = false;
      await this.pass();
    }
  }
}
