// The tool's own reproduce line: the run's flags that are not secrets (credentials as placeholders,
// made once per run, see suites/run/reproduce.ts) and one case id. Records, failure texts and the
// HTML report all print this one line, so a variant or a fault run replays as it ran.

/** A word quoted for a POSIX shell. */
export const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export const TOOL_COMMAND = 'npx roma-vpc-sync-conformance';

/** The environment variable a secret header's value stands as, in curl and reproduce lines. */
export const secretHeaderVar = (header: string) => `$SECRET_HEADER_${header.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

export function toolLine(runFlags: string, caseId: string): string {
  return [TOOL_COMMAND, runFlags, `--case ${shq(caseId)}`].filter(Boolean).join(' ');
}
