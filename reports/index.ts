// Writes the three report files for one run.

import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ReportStream, RunReport } from './model.ts';
import { jsonChunks } from './json.ts';
import { junitChunks } from './junit.ts';
import { markdownOf } from './markdown.ts';
import { htmlChunks } from './html.ts';
import { redactDeep } from './redact.ts';
import { streamOf } from './stream.ts';
import { REPORT_FILES, removeReports } from './report-dir.ts';

export { renderJson, jsonChunks, stripTimings } from './json.ts';
export { renderJunit, junitChunks } from './junit.ts';
export { markdownOf, renderMarkdown } from './markdown.ts';
export { htmlChunks, renderHtml } from './html.ts';
export { redact, redactDeep, REDACTED } from './redact.ts';
export { streamOf } from './stream.ts';
export { prepareReportDir, REPORT_FILES, removeReports } from './report-dir.ts';

/** The same stream with every string of the head and of each case redacted, one case at a time. */
function redacted(stream: ReportStream, secrets: string[]): ReportStream {
  return {
    head: redactDeep(stream.head, secrets, 'headers'),
    briefs: stream.briefs,
    *cases(pick) {
      for (const c of stream.cases(pick)) yield redactDeep(c, secrets, 'headers');
    },
  };
}

/** Writes the chunks to `file` through a partial file, so a failed render leaves no file behind. */
async function writeChunks(file: string, chunks: Iterable<string>): Promise<void> {
  const partial = `${file}.partial`;
  const fh = await open(partial, 'w');
  try {
    let pending = '';
    for (const chunk of chunks) {
      pending += chunk;
      if (pending.length >= 1 << 16) {
        await fh.write(pending);
        pending = '';
      }
    }
    await fh.write(pending);
    await fh.close();
    await rename(partial, file);
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(partial, { force: true });
    throw e;
  }
}

/**
 * Render the report into `dir` (created if missing) and return the absolute file paths.
 * A ReportStream is rendered one case at a time, so memory does not grow with the number of cases.
 * Secrets are removed from the report's values before rendering, never from the rendered text: a
 * short secret (a quote, a letter) replaced in rendered JSON or XML would break the file.
 */
export async function writeReports(
  report: RunReport | ReportStream,
  dir: string,
  secrets: string[],
): Promise<{ files: string[] }> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  // Remove last run's files first, so a render error cannot leave a stale report looking current.
  await removeReports(out);
  const stream = redacted('briefs' in report ? report : streamOf(report), secrets);
  const render: Record<(typeof REPORT_FILES)[number], () => Iterable<string>> = {
    'conformance.json': () => jsonChunks(stream),
    'junit.xml': () => junitChunks(stream),
    'conformance.md': () => [markdownOf(stream)],
    'conformance.html': () => htmlChunks(stream),
  };
  const files = REPORT_FILES.map((f) => join(out, f));
  for (const f of REPORT_FILES) await writeChunks(join(out, f), render[f]());
  return { files };
}
