// Regenerates docs/report.png, the README's picture of conformance.html: a failing run against the
// reference server with one fault switch, opened in headless Chromium. `npm run docs:screenshot`.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from '../test/reports/browser.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'conformance-shot-'));
try {
  const run = spawnSync(
    process.execPath,
    [join(root, 'bin', 'conformance.js'), '--report-dir', dir, '--fault', 't5-port-out-of-range'],
    { cwd: root, encoding: 'utf8' },
  );
  if (run.status !== 1) throw new Error(`expected a failing run (exit 1), got ${run.status}: ${run.stderr}`);
  const { context, close } = await launch({ width: 1280, height: 1400 });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(dir, 'conformance.html')).href);
    await page.screenshot({ path: join(root, 'docs', 'report.png') });
  } finally {
    await close();
  }
  console.log('wrote docs/report.png');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
