// Bounded request-body reading: keep at most `softLimit` bytes in memory; past it, keep counting but
// discard, so a too-large body is still read to the end and the client gets a 400 instead of a reset.
// Past `hardLimit` we stop reading altogether (the caller answers and then closes the socket).

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SOFT_LIMIT = 1024 * 1024; // 1 MiB: largest body we interpret
export const HARD_LIMIT = 16 * 1024 * 1024; // 16 MiB: largest body we drain before giving up on the socket

export interface BodyResult {
  bytes: Buffer; // empty when tooLarge
  size: number; // bytes received (up to the point we stopped)
  tooLarge: boolean; // size > softLimit
  overHardLimit: boolean; // we stopped reading: the socket must not be reused
  aborted: boolean; // the client went away before the body ended: nobody to answer
  sha256?: string; // hex SHA-256 of every byte received, when the body was read to its end (for AK/SK signatures)
}

const EMPTY = Buffer.alloc(0);

export function readBody(req: IncomingMessage, softLimit = SOFT_LIMIT, hardLimit = HARD_LIMIT): Promise<BodyResult> {
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const hash = createHash('sha256');

    const finish = (r: Omit<BodyResult, 'size'>) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      chunks = [];
      resolve({ ...r, size });
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      hash.update(chunk);
      if (size <= softLimit) chunks.push(chunk);
      else if (chunks.length > 0) chunks = []; // drop what we held: it will never be parsed
      if (size > hardLimit) {
        req.pause();
        finish({ bytes: EMPTY, tooLarge: true, overHardLimit: true, aborted: false });
      }
    };
    const onEnd = () => {
      const tooLarge = size > softLimit;
      const bytes = tooLarge ? EMPTY : Buffer.concat(chunks, size);
      finish({ bytes, tooLarge, overHardLimit: false, aborted: false, sha256: hash.digest('hex') });
    };
    const onAbort = () => finish({ bytes: EMPTY, tooLarge: false, overHardLimit: false, aborted: true });
    // 'close' before 'end' means the peer went away mid-body.
    const onClose = () => {
      if (!req.complete) onAbort();
    };

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}
