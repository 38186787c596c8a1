// Writes the three report files for one run.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunReport } from './model.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { redact, redactDeep } from './redact.ts';

export { renderJson, stripTimings } from './json.ts';
export { renderJunit } from './junit.ts';
export { renderMarkdown } from './markdown.ts';
export { redact, redactDeep, REDACTED } from './redact.ts';

export const REPORT_FILES = ['conformance.json', 'junit.xml', 'conformance.md'] as const;

/**
 * Render the report into `dir` (created if missing) and return the absolute file paths.
 * Secrets are removed twice: from the report before rendering (renderers escape text, which
 * could hide a secret from a plain text search), and from each rendered file as a final defence.
 */
export async function writeReports(report: RunReport, dir: string, secrets: string[]): Promise<{ files: string[] }> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  // Remove last run's files first, so a render error cannot leave a stale report looking current.
  await Promise.all(REPORT_FILES.map((f) => rm(join(out, f), { force: true })));
  const safe = redactDeep(report, secrets);
  const renderers = [renderJson, renderJunit, renderMarkdown];
  const files = REPORT_FILES.map((f) => join(out, f));
  // One file at a time, so only one rendered text (and its redacted copy) is alive at once.
  for (let i = 0; i < files.length; i++) await writeFile(files[i], redact(renderers[i](safe), secrets), 'utf8');
  return { files };
}
