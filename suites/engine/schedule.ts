// Parallel cases (--concurrency N) that give the verdicts of a sequential run. A case is the unit
// (its requests stay in order, inside it). Cases that may sync the same channel never overlap, and
// run in plan order, so the server's state sees them as a sequential run would. Results are
// committed in plan order: the breaker folds them in that order, and a case that a sequential run
// would not have sent (the breaker had tripped before it) is recorded as not run, as it would be.

import type { Case } from '../../generators/cases.ts';

const EVERY_CHANNEL = '*';

/** The channels a case may sync: none for a case a conformant server must refuse, every one when it names none. */
export function syncKeys(c: Case): string[] {
  if (c.effect === 'none') return [];
  const body = 'json' in c.body ? (c.body.json as Record<string, unknown> | null) : null;
  const channel = body && typeof body === 'object' ? body.vpc_channel_id : undefined;
  return [typeof channel === 'string' ? channel : EVERY_CHANNEL];
}

export class CaseScheduler {
  private readonly lastByKey = new Map<string, Promise<unknown>>();
  private lastEvery: Promise<unknown> = Promise.resolve();
  private commitTail: Promise<unknown> = Promise.resolve();

  /**
   * Call in plan order (synchronously, as cases start): waits for the earlier cases it conflicts
   * with, runs `work`, then waits for every earlier case's commit before its own.
   */
  run<T, R>(keys: string[], work: () => Promise<T>, commit: (result: T) => R): Promise<R> {
    const before = this.conflictsOf(keys);
    const done = Promise.all(before).then(work);
    const settled = done.catch(() => undefined);
    for (const k of keys) {
      if (k === EVERY_CHANNEL) {
        this.lastEvery = settled;
        this.lastByKey.clear(); // later cases wait for this one, which waited for them all
      } else this.lastByKey.set(k, settled);
    }
    const turn = this.commitTail;
    const committed = done.then(async (result) => {
      await turn;
      return commit(result);
    });
    this.commitTail = committed.catch(() => undefined);
    return committed;
  }

  private conflictsOf(keys: string[]): Promise<unknown>[] {
    if (keys.length === 0) return [];
    if (keys.includes(EVERY_CHANNEL)) return [this.lastEvery, ...this.lastByKey.values()];
    return [this.lastEvery, ...keys.flatMap((k) => this.lastByKey.get(k) ?? [])];
  }
}
