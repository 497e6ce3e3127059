/**
 * At most `limit` holders at once; the others wait in arrival order (FIFO). In-process backpressure:
 * a waiting caller holds no database connection, no file handle and no render slot.
 */
export class AdmissionGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`Admission limit must be a positive integer: ${limit}`);
  }

  /** Runs `work` once admitted; the slot is released when it settles, whatever the outcome. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  private enter(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((admit) => this.waiting.push(admit));
  }

  /** The slot passes straight to the next waiter, so `active` never dips and no newcomer overtakes. */
  private leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
