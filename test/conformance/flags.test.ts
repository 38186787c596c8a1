// Flag values the tool refuses in its own words (one line, exit 2): negative numbers for integer
// flags, ids given twice.

import { describe, expect, test } from 'vitest';
import { cli } from './cli-helpers.ts';

const INTEGER_FLAGS: [string, number][] = [
  ['seed', 0],
  ['timeout-ms', 1],
  ['examples', 0],
  ['repeat', 0],
  ['cases', 0],
  ['concurrency', 1],
];

describe('usage errors of flag values', () => {
  test("a negative number for any integer flag: the flag's own message, exit 2", async () => {
    const runs = await Promise.all(INTEGER_FLAGS.map(([flag]) => cli([`--${flag}`, '-1', '--list-cases'])));
    for (const [k, [flag, min]] of INTEGER_FLAGS.entries()) {
      expect(runs[k].code, runs[k].stderr).toBe(2);
      expect(runs[k].stderr.trim()).toBe(`conformance: --${flag} must be a whole number >= ${min}, got "-1"`);
      expect(runs[k].stdout).toBe('');
    }
  });

  test('an id given twice in --instance-ids or --vpc-channel-id (flag or env twin) is refused, not folded', async () => {
    const [a, b, c] = await Promise.all([
      cli(['--instance-ids', 'a,a,b', '--list-cases']),
      cli(['--vpc-channel-id', 'x, y,x', '--list-cases']),
      cli(['--list-cases'], { CONFORMANCE_INSTANCE_IDS: 'p,q,q' }),
    ]);
    expect([a.code, b.code, c.code]).toEqual([2, 2, 2]);
    expect(a.stderr.trim()).toBe('conformance: --instance-ids names "a" twice: give each id once');
    expect(b.stderr.trim()).toBe('conformance: --vpc-channel-id names "x" twice: give each id once');
    expect(c.stderr.trim()).toBe('conformance: --instance-ids names "q" twice: give each id once');
    const distinct = await cli(['--instance-ids', 'a, b', '--list-cases']);
    expect(distinct.code, distinct.stderr).toBe(0);
  });

  test('an empty entry in an id list (a,,b; a trailing comma) is refused, not skipped', async () => {
    const [a, b] = await Promise.all([
      cli(['--instance-ids', 'a,,b', '--list-cases']),
      cli(['--list-cases'], { CONFORMANCE_VPC_CHANNEL_ID: 'x,' }),
    ]);
    expect([a.code, b.code]).toEqual([2, 2]);
    expect(a.stderr.trim()).toBe('conformance: --instance-ids has an empty entry (number 2) in "a,,b": give ids only');
    expect(b.stderr.trim()).toBe('conformance: --vpc-channel-id has an empty entry (number 2) in "x,": give ids only');
    expect(a.stdout + b.stdout).toBe('');
  });
});

describe('--help', () => {
  test('--examples names exactly the families it adds variants to', async () => {
    const { VARIANT_FAMILIES } = await import('../../generators/families.ts');
    const help = (await cli(['--help'])).stdout;
    const paragraph = help.slice(help.indexOf('--examples N'), help.indexOf('--repeat N'));
    const named = paragraph.match(/\b(positive|negative|robustness|auth)\.[a-z-]+/g) ?? [];
    expect([...named].sort()).toEqual([...VARIANT_FAMILIES].sort());
  });
});
