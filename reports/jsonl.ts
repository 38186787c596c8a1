// A JSONL file (one JSON value per line: the cases the launcher writes, the records the worker
// appends) read without holding it: scanned once, 1 MiB at a time, each value then re-read from
// its byte range on demand. Nothing here holds more than one value and one buffer.

import { closeSync, existsSync, openSync, readSync } from 'node:fs';

export interface Slice {
  offset: number;
  length: number;
}

export interface JsonLines<T> {
  /** Every complete line, parsed, with its byte range. */
  records: Iterable<[T, Slice]>;
  /** The value of one line, read again. */
  load(slice: Slice): T;
  close(): void;
}

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;

/** A missing file reads as empty. A last line without its newline (its writer was killed mid-line) is not read. */
export function openJsonLines<T>(path: string): JsonLines<T> {
  const fd = existsSync(path) ? openSync(path, 'r') : null;
  const parse = (text: string, offset: number): T => {
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new Error(`${path}: the line at byte ${offset} is not JSON (${(e as Error).message})`);
    }
  };
  function* scan(): Generator<[T, Slice]> {
    if (fd === null) return;
    const chunk = Buffer.alloc(CHUNK);
    let carry = Buffer.alloc(0); // the start of a line the last chunk cut
    let pos = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, pos);
      if (n === 0) break;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      const base = pos - carry.length;
      pos += n;
      let start = 0;
      for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
        if (nl > start)
          yield [parse(buf.toString('utf8', start, nl), base + start), { offset: base + start, length: nl - start }];
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
    }
  }
  return {
    records: { [Symbol.iterator]: scan },
    load({ offset, length }) {
      if (fd === null) throw new Error(`${path}: no such file`);
      const buf = Buffer.alloc(length);
      readSync(fd, buf, 0, length, offset);
      return parse(buf.toString('utf8'), offset);
    },
    close() {
      if (fd !== null) closeSync(fd);
    },
  };
}
