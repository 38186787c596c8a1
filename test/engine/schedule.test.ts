// The case scheduler: cases that may sync the same channel never overlap and keep plan order;
// results are committed in plan order whatever order the work finishes in.

import { describe, expect, test } from 'vitest';
import type { Case } from '../../generators/cases.ts';
import { CaseScheduler, syncKeys } from '../../suites/engine/schedule.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('syncKeys', () => {
  const c = (effect: Case['effect'], json: unknown) => ({ effect, body: { json } }) as Case;
  test('a refused case touches nothing; a named channel is its key; no channel means every channel', () => {
    expect(syncKeys(c('none', { vpc_channel_id: 'a' }))).toEqual([]);
    expect(syncKeys(c('sync', { vpc_channel_id: 'a' }))).toEqual(['a']);
    expect(syncKeys(c('maybe', { instance_ids: ['i'] }))).toEqual(['*']);
    expect(syncKeys({ effect: 'maybe', body: { raw: '{' } } as Case)).toEqual(['*']);
  });
});

describe('CaseScheduler', () => {
  // Each task: its keys and how long its work takes (later ones shorter, to tempt reordering).
  const tasks: [string[], number][] = [
    [['a'], 30],
    [[], 5],
    [['b'], 20],
    [['a'], 1],
    [['*'], 10],
    [['b'], 1],
    [[], 1],
    [['a'], 1],
  ];

  test('conflicting cases never overlap and run in plan order; commits come in plan order', async () => {
    const s = new CaseScheduler();
    const running = new Map<string, number>();
    const started: number[] = [];
    const commits: number[] = [];
    let overlap = false;
    let maxInFlight = 0;
    let inFlight = 0;
    const all = tasks.map(([keys, ms], i) =>
      s.run(
        keys,
        async () => {
          started.push(i);
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          const busy = [...running.entries()].filter(([, n]) => n > 0).map(([k]) => k);
          const clash = keys.includes('*') ? busy.length > 0 : keys.some((k) => busy.includes(k) || busy.includes('*'));
          overlap ||= clash;
          for (const k of keys) running.set(k, (running.get(k) ?? 0) + 1);
          await tick(ms);
          for (const k of keys) running.set(k, running.get(k)! - 1);
          inFlight--;
          return i;
        },
        (i) => {
          commits.push(i);
          return i;
        },
      ),
    );
    expect(await Promise.all(all)).toEqual(tasks.map((_, i) => i));
    expect(commits).toEqual(tasks.map((_, i) => i));
    expect(overlap).toBe(false);
    expect(maxInFlight).toBeGreaterThan(1); // the unkeyed and the b cases ran beside the first a
    const order = (key: string) => started.filter((i) => tasks[i][0].includes(key) || tasks[i][0].includes('*'));
    expect(order('a')).toEqual([0, 3, 4, 7]);
    expect(order('b')).toEqual([2, 4, 5]);
  });

  test('a failing work still lets the later cases commit', async () => {
    const s = new CaseScheduler();
    const first = s.run(
      ['a'],
      async () => Promise.reject(new Error('boom')),
      (x) => x,
    );
    const second = s.run(
      ['a'],
      async () => 2,
      (x) => x,
    );
    await expect(first).rejects.toThrow('boom');
    expect(await second).toBe(2);
  });
});
