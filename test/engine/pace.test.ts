// The pacer on a simulated clock: never more than N starts in any window, whatever the demand.

import { describe, expect, test } from 'vitest';
import { Pacer, parseRate } from '../../suites/engine/pace.ts';

/** A clock that only moves when someone sleeps, so the test is exact and instant. */
function simulated() {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += Math.max(0, ms);
    },
  };
}

/** The largest number of starts inside any half-open window [t, t + width). */
function busiestWindow(starts: number[], width: number): number {
  let best = 0;
  for (const [i, t] of starts.entries()) best = Math.max(best, starts.slice(i).filter((s) => s < t + width).length);
  return best;
}

describe('parseRate', () => {
  test.each([
    ['10/s', { count: 10, perMs: 1000 }],
    ['600/m', { count: 600, perMs: 60_000 }],
    [' 3 / S ', { count: 3, perMs: 1000 }],
  ])('%s', (text, rate) => expect(parseRate(text)).toEqual(rate));
  test.each(['0/s', '10', '10/h', 'x/s', '-1/s', '1.5/s'])('%s is refused', (text) =>
    expect(parseRate(text)).toBeUndefined(),
  );
});

describe('Pacer', () => {
  test.each([
    [{ count: 1, perMs: 1000 }, 5],
    [{ count: 5, perMs: 1000 }, 23],
    [{ count: 3, perMs: 60_000 }, 10],
  ])('%o: %i requests at once never exceed the rate in any window', async (rate, n) => {
    const clock = simulated();
    const pacer = new Pacer(rate, [], clock.now, clock.sleep);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: n }, () => pacer.acquire().then(() => starts.push(clock.now()))));
    expect(starts).toHaveLength(n);
    expect(busiestWindow(starts, rate.perMs)).toBe(rate.count);
    // and no slower than it must be: the last start is as early as the rate allows
    expect(starts[n - 1] - starts[0]).toBe(Math.ceil(n / rate.count - 1) * rate.perMs);
  });

  test('the history handed on from another thread counts against the window', async () => {
    const clock = simulated();
    const t0 = clock.now();
    const pacer = new Pacer({ count: 2, perMs: 1000 }, [t0 - 10, t0 - 5], clock.now, clock.sleep);
    await pacer.acquire();
    expect(clock.now()).toBe(t0 - 10 + 1000);
    expect(pacer.history()).toEqual([t0 - 5, t0 + 990]);
  });
});
