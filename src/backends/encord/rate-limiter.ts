/**
 * A client-side token bucket (`--rate` requests per second). Encord publishes no rate limits
 * (encord-api.md §2f), so the default is unlimited and 429s are handled by retries; the bucket
 * is there for users who share a quota with other tools.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  /** Callers queue here so concurrent requests take tokens in arrival order. */
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param rate tokens per second; `Infinity` (or ≤ 0) disables limiting.
   * @param capacity the burst size; defaults to one second's worth (at least 1).
   */
  constructor(
    private readonly rate: number,
    private readonly clock: Clock = systemClock,
    private readonly capacity = Math.max(1, Math.floor(rate)),
  ) {
    this.tokens = this.capacity;
    this.updatedAt = clock.now();
  }

  get limited(): boolean {
    return Number.isFinite(this.rate) && this.rate > 0;
  }

  /** Waits until a token is available, then takes it. */
  take(signal?: AbortSignal): Promise<void> {
    if (!this.limited) return Promise.resolve();
    const turn = this.queue.then(() => this.takeNow(signal));
    // A rejected wait (abort) must not block the callers queued behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async takeNow(signal?: AbortSignal): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000), signal);
      this.refill();
    }
    this.tokens = Math.max(0, this.tokens - 1);
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
  }
}
