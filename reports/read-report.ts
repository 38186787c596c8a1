// Reads a conformance.json back without holding it: its head, then one case record at a time. The
// JSON reporter writes each case on lines of its own ("    {" to "    }"), which a string can
// never span (JSON strings hold no raw newline); a file in any other layout is parsed whole.

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { CaseRecord, ReportHead } from './model.ts';

const CHUNK = 1 << 20;

function* lines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry = Buffer.alloc(0);
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      pos += n;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        yield data.toString('utf8', start, nl);
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length) yield carry.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export interface ReportFile {
  head: ReportHead;
  cases(): Iterable<CaseRecord>;
}

/** The head at once; the cases on demand, one at a time, in file order. */
export function readReportFile(path: string): ReportFile {
  const headLines: string[] = [];
  let layout = false;
  for (const line of lines(path)) {
    if (line === '  "cases": [' || line === '  "cases": []') {
      layout = true;
      break;
    }
    headLines.push(line);
  }
  if (!layout) {
    const { cases, ...head } = JSON.parse(readFileSync(path, 'utf8')) as ReportHead & { cases: CaseRecord[] };
    return { head, cases: () => cases };
  }
  const head = JSON.parse(`${headLines.join('\n')}\n  "cases": []\n}`) as ReportHead & { cases?: unknown };
  delete head.cases;
  return {
    head,
    *cases() {
      let inCases = false;
      let current: string[] | null = null;
      for (const line of lines(path)) {
        if (!inCases) {
          inCases = line === '  "cases": [';
          continue;
        }
        if (current === null) {
          if (line === '    {') current = [line];
          continue;
        }
        if (line === '    }' || line === '    },') {
          current.push('    }');
          yield JSON.parse(current.join('\n')) as CaseRecord;
          current = null;
        } else current.push(line);
      }
    },
  };
}
