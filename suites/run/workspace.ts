// The run's working files (cases, records, the breaker's state) in a temporary directory that no
// run leaves behind: not when it ends, and not when SIGINT or SIGTERM interrupts it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Workspace {
  file(name: string): string;
  close(): void;
}

export function openWorkspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
  // SIGINT or SIGTERM ends the run at once (the suites' thread with it), with the signal's exit code:
  // leave no case or record files behind, and say so.
  const onExit = () => {
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write('\nconformance: the run was interrupted; no report was written\n');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    process.exitCode ??= 128 + (signal === 'SIGINT' ? 2 : 15);
    setImmediate(() => process.exit());
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    file: (name) => join(dir, name),
    close() {
      process.off('exit', onExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
