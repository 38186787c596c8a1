// Client-side pacing (--rate-limit N/s or N/m): never more than N requests to the target started in
// any window of that length. A sliding log of the last N start times, so the bound holds for every
// window, not only for aligned ones; waiters are served in arrival order. Retries, preflights and
// probes acquire it like cases do; the 429/Retry-After wait comes on top.

export interface Rate {
  count: number;
  perMs: number;
}

/** "10/s", "600/m" -> a Rate; undefined for anything else. */
export function parseRate(text: string): Rate | undefined {
  const m = /^\s*(\d+)\s*\/\s*(s|m)\s*$/i.exec(text);
  if (!m || Number(m[1]) < 1) return undefined;
  return { count: Number(m[1]), perMs: m[2].toLowerCase() === 's' ? 1000 : 60_000 };
}

export const showRate = (r: Rate) => `${r.count}/${r.perMs === 1000 ? 's' : 'm'}`;

export class Pacer {
  private starts: number[];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly rate: Rate,
    history: number[] = [],
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.starts = history.slice(-rate.count);
  }

  /** Resolves when one more request may start (and counts it as started). */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn;
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.starts = this.starts.filter((t) => t > now - this.rate.perMs);
      if (this.starts.length < this.rate.count) {
        this.starts.push(now);
        return;
      }
      await this.sleep(this.starts[0] + this.rate.perMs - now);
    }
  }

  /** The recent start times (epoch ms), to carry the window into another process or batch. */
  history(): number[] {
    return [...this.starts];
  }
}

// One pacer per thread: the launcher's preflight and the worker's cases hand the window on (history).
let current: Pacer | undefined;

export function pacerFor(rate: Rate | undefined, history?: number[]): Pacer | undefined {
  if (!rate) return undefined;
  if (!current || current.rate.count !== rate.count || current.rate.perMs !== rate.perMs || history)
    current = new Pacer(rate, history ?? current?.history() ?? []);
  return current;
}
