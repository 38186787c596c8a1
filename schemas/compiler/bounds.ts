// A bound stated twice (a "Maximum:" line and words) with two values. The errata may decide it;
// otherwise it is settled without stopping the build: the looser value is the schema's (responses are
// validated with it, negative cases go beyond it) and the stricter one is kept for valid generation.

export interface Side {
  value: number;
  text: string;
  line: number;
}

export interface Settled {
  value: number;
  stricter?: number; // undecided only: the value valid values are generated within
  source: string;
  reason: string;
}

const isUpper = (keyword: string) => /^max/.test(keyword);

export function settleBound(keyword: string, sides: Side[], decision: { value: unknown; reason: string } | undefined) {
  const values = sides.map((s) => s.value);
  if (decision) return { value: decision.value as number, source: 'errata', reason: decision.reason } as Settled;
  const looser = isUpper(keyword) ? Math.max(...values) : Math.min(...values);
  const stricter = isUpper(keyword) ? Math.min(...values) : Math.max(...values);
  return {
    value: looser,
    stricter,
    source: 'page',
    reason: `undecided (no errata entry): responses are validated with the looser ${looser} and negative cases go beyond it; valid requests are generated within the stricter ${stricter}`,
  } as Settled;
}

/** The message of a conflict that stops the build (under --strict). */
export function conflictMessage(where: string, keyword: string, sides: Side[], id: string): string {
  return `${where}: ${keyword} is stated as ${sides.map((s) => `${s.value} ("${s.text}", line ${s.line})`).join(' and ')}; decide it in the errata "conflicts" with id ${id}`;
}
