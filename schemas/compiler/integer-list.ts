// A regular expression for "integers lo-hi, as single values and/or ranges, comma separated"
// (the grammar of http_code), built from the bounds the page states.

/** A regex fragment matching exactly the decimal integers in [lo, hi] (no sign, no leading zeros). */
export function integerRangeRegex(lo: number, hi: number): string {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo)
    throw new Error(`bad integer range ${lo}-${hi}`);
  const parts: string[] = [];
  // Split into runs of equal digit count, then build each digit by digit.
  for (let digits = String(lo).length; digits <= String(hi).length; digits++) {
    const a = Math.max(lo, digits === 1 ? 0 : 10 ** (digits - 1));
    const b = Math.min(hi, 10 ** digits - 1);
    if (a <= b) parts.push(...sameLength(String(a), String(b)));
  }
  return parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`;
}

function sameLength(a: string, b: string): string[] {
  if (a.length === 1) return [a === b ? a : `[${a}-${b}]`];
  if (a[0] === b[0]) return sameLength(a.slice(1), b.slice(1)).map((rest) => a[0] + rest);
  const n = a.length - 1;
  const out: string[] = [];
  const allNine = '9'.repeat(n);
  const allZero = '0'.repeat(n);
  const low = a.slice(1) === allZero ? [`${a[0]}\\d{${n}}`] : sameLength(a.slice(1), allNine).map((r) => a[0] + r);
  const high = b.slice(1) === allNine ? [`${b[0]}\\d{${n}}`] : sameLength(allZero, b.slice(1)).map((r) => b[0] + r);
  out.push(...low);
  const midLo = Number(a[0]) + 1;
  const midHi = Number(b[0]) - 1;
  if (midLo <= midHi) out.push(`${midLo === midHi ? midLo : `[${midLo}-${midHi}]`}\\d{${n}}`);
  out.push(...high);
  // Merge "1\d{2}" + "[2-4]\d{2}" + "5\d{2}" into one class when every part is a full decade.
  const full = out.every((p) => /^(\d|\[\d-\d\])\\d\{\d+\}$/.test(p));
  if (full) return [`[${a[0]}-${b[0]}]\\d{${n}}`];
  return out;
}

/** "201,202,210-299": items separated by commas; each item a value, or lo-hi when ranges are allowed. */
export function integerListPattern(lo: number, hi: number, lists: boolean, ranges: boolean): string {
  const value = integerRangeRegex(lo, hi);
  const item = ranges ? `${value}(?:-${value})?` : value;
  return lists ? `^${item}(?:,${item})*$` : `^${item}$`;
}
