// The launcher: boots the embedded reference server when no target is given, checks the token
// with one authorised request, runs the suites with vitest's programmatic API, and turns the case
// records into reports and an exit code.

import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseSequencer, createVitest } from 'vitest/node';
import type { TestCase, TestSpecification } from 'vitest/node';
import { documentedStatuses, schemasSha256 } from '../schemas/index.ts';
import { startReferenceServer, type ReferenceServer } from '../server/index.ts';
import { assembleStream, type Waiver } from '../reports/assemble.ts';
import { openJsonLines } from '../reports/jsonl.ts';
import { prepareReportDir, writeReports } from '../reports/index.ts';
import type { CaseRecord, ReportHead } from '../reports/model.ts';
import { cite } from './checks/index.ts';
import { RUN_ENV, type RunConfig } from './engine/config.ts';
import { send, type Target } from './engine/http.ts';
import { selectCases, type Case } from '../generators/cases.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const TOOL = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

export interface ConformanceOptions {
  baseUrl?: string; // absent: the embedded reference server
  token?: string;
  forbiddenToken?: string;
  projectId?: string;
  vpcChannelIds?: string[];
  instanceIds?: string[];
  seed: number;
  reportDir: string;
  timeoutMs: number;
  waivers: Waiver[];
  caseIds?: string[];
  stressRepeats?: number;
  fault?: string; // embedded server only: start it with this fault
  harmless?: string[]; // embedded server only: harmless switches (variations the page allows)
  progress: 'tty' | 'plain' | 'silent';
  log: (line: string) => void;
  maxBodyBytes?: number;
  retry?: { attempts: number; maxWaitMs: number };
}

export interface ConformanceResult {
  exitCode: 0 | 1 | 2;
  report?: ReportHead; // the report without its case records (they are in the report files)
  files: string[];
  message?: string; // why the run could not judge (exit 2 before any case)
}

const secretsOf = (o: ConformanceOptions) => [o.token, o.forbiddenToken].filter((s): s is string => !!s);

/** A skeleton record per case: what a case that never ran reports. */
function skeleton(c: Case): CaseRecord {
  return {
    id: c.id,
    suite: c.suite,
    kind: c.kind,
    description: c.description,
    rule: cite(c.ruleId),
    seed: c.seed,
    outcome: 'not_run',
    reason: 'the run ended before this case',
    checks: [],
    failures: [],
  };
}

/** One authorised request with a body the page forbids: tells a rejected token (401) from a usable one without syncing anything. */
async function preflight(target: Target): Promise<string | undefined> {
  const probe: Case = {
    id: 'preflight',
    suite: 'auth',
    kind: 'auth',
    description: 'token check',
    ruleId: 'table2.X-Auth-Token.required',
    seed: 0,
    auth: 'valid',
    body: { json: { instance_ids: 'preflight' } },
    contentType: 'application/json',
    expect: { statuses: [400], why: '' },
    effect: 'none',
    checks: [],
    needs: [],
  };
  const sent = await send(probe, target);
  if (sent.error?.kind === 'refused' || sent.error?.kind === 'other')
    return `target unreachable at ${target.baseUrl}: ${sent.error.message}`;
  if (sent.throttled) return `the target kept throttling (${sent.response!.status} after ${sent.attempts} attempts)`;
  if (sent.response?.status === 401) return 'token rejected: the first authorised request was answered 401';
  return undefined;
}

// Cases per vitest run. Vitest holds a task per test until its run ends (about 14 KB of RSS each,
// measured), so a long run is cut into batches: memory stays that of one batch, at the price of a
// worker start (about 0.6 s, measured) per batch. A default run is one batch.
export const BATCH_SIZE = 2500;

/** Writes every case to `all` (for the report) and each batch to `batch(k)` (for the worker), one batch of text at a time. */
function writeCases(all: string, batch: (k: number) => string, cases: Case[]): { total: number; batches: number } {
  const batches = Math.max(1, Math.ceil(cases.length / BATCH_SIZE));
  writeFileSync(all, '');
  for (let k = 0; k < batches; k++) {
    const text = cases
      .slice(k * BATCH_SIZE, (k + 1) * BATCH_SIZE)
      .map((c) => `${JSON.stringify(c)}\n`)
      .join('');
    writeFileSync(batch(k), text);
    appendFileSync(all, text);
  }
  return { total: cases.length, batches };
}

// The suites run in this order on every run. Vitest's own order follows its results cache (failed
// and slow files first), so a run would depend on the one before it; and the cache would be written
// into the tool's node_modules.
const SUITE_ORDER = ['positive', 'negative', 'auth', 'robustness'];
class SuiteOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => SUITE_ORDER.findIndex((s) => f.moduleId.endsWith(`/${s}.suite.ts`));
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

/** Progress over every batch; `end()` once they have all run. */
function progressReporter(total: number, mode: ConformanceOptions['progress'], log: (l: string) => void) {
  let done = 0;
  return {
    onTestCaseResult(tc: TestCase) {
      done++;
      if (mode === 'tty') process.stderr.write(`\r\x1b[2K[${done}/${total}] ${tc.name.slice(0, 100)}`);
    },
    end() {
      if (mode === 'tty') process.stderr.write('\r\x1b[2K');
      else if (mode === 'plain') log(`ran ${done} of ${total} cases`);
    },
  };
}

const embeddedSwitches = (o: ConformanceOptions): string =>
  [o.fault ? `, fault ${o.fault}` : '', ...(o.harmless ?? []).map((h) => `, harmless ${h}`)].join('');

export async function runConformance(o: ConformanceOptions): Promise<ConformanceResult> {
  const started = performance.now();
  // Checked before anything runs; and the report dir shows this run or nothing: an interrupted or
  // unjudgeable run leaves no older report behind.
  const unwritable = await prepareReportDir(o.reportDir);
  if (unwritable) return { exitCode: 2, files: [], message: unwritable };
  let server: ReferenceServer | undefined;
  const recordsDir = mkdtempSync(join(tmpdir(), 'conformance-'));
  // SIGINT or SIGTERM ends the run at once, with the signal's exit code (vitest, while it runs, does
  // the same): leave no case or record files behind, and say so.
  const onExit = () => {
    rmSync(recordsDir, { recursive: true, force: true });
    process.stderr.write('\nconformance: the run was interrupted; no report was written\n');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    process.exitCode ??= 128 + (signal === 'SIGINT' ? 2 : 15);
    setImmediate(() => process.exit());
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let target: Target;
    let vpcChannelIds = o.vpcChannelIds ?? [];
    let instanceIds = o.instanceIds ?? [];
    const timing = {
      timeoutMs: o.timeoutMs,
      maxBodyBytes: o.maxBodyBytes ?? 1024 * 1024,
      retry: o.retry ?? { attempts: 4, maxWaitMs: 30_000 },
    };
    if (!o.baseUrl) {
      server = await startReferenceServer({
        port: 0,
        fault: (o.fault ?? null) as never,
        harmless: (o.harmless ?? []) as never,
        log: () => {},
      });
      const fx = server.fixtures;
      target = {
        baseUrl: server.url,
        projectId: fx.projectId,
        token: fx.token,
        forbiddenToken: fx.forbiddenToken,
        ...timing,
      };
      vpcChannelIds = o.vpcChannelIds ?? fx.vpcChannelIds;
      instanceIds = o.instanceIds ?? fx.instanceIds;
    } else {
      target = {
        baseUrl: o.baseUrl,
        projectId: o.projectId!,
        token: o.token!,
        forbiddenToken: o.forbiddenToken,
        ...timing,
      };
    }
    o.log(
      `seed ${o.seed}; target ${server ? `${target.baseUrl} (embedded reference server${embeddedSwitches(o)})` : target.baseUrl}`,
    );

    const problem = await preflight(target);
    if (problem) return { exitCode: 2, files: [], message: problem };

    const recordsFile = join(recordsDir, 'records.jsonl');
    const casesFile = join(recordsDir, 'cases.jsonl');
    const batchFile = (k: number) => join(recordsDir, `batch-${k}.jsonl`);
    const config: RunConfig = {
      target,
      seed: o.seed,
      casesFile: join(recordsDir, 'batch.jsonl'),
      recordsFile,
      stateFile: join(recordsDir, 'state.json'),
      maxConsecutiveTimeouts: 3,
      available: {
        vpcChannelId: vpcChannelIds.length > 0,
        instanceIds: instanceIds.length > 0,
        forbiddenToken: !!target.forbiddenToken,
      },
    };
    // The worker runs exactly the cases of these files; the launcher holds none of them while they run.
    const { total, batches } = writeCases(
      casesFile,
      batchFile,
      selectCases(
        {
          seed: o.seed,
          vpcChannelIds,
          instanceIds,
          hasForbiddenToken: !!target.forbiddenToken,
          stressRepeats: o.stressRepeats ?? 0,
        },
        o.caseIds,
      ),
    );
    if (o.caseIds?.length && total === 0)
      return { exitCode: 2, files: [], message: `no case with id ${o.caseIds.join(', ')} (see --list-cases)` };
    process.env[RUN_ENV] = JSON.stringify(config);
    const progress = progressReporter(total, o.progress, o.log);
    const exitCodeBefore = process.exitCode; // vitest sets it when a test fails; the verdict is ours to give
    let internalError: string | undefined;
    try {
      const vitest = await createVitest(
        'test',
        {
          root,
          config: false,
          include: ['suites/*.suite.ts'],
          watch: false,
          reporters: [progress],
          pool: 'threads',
          maxWorkers: 1,
          isolate: false,
          fileParallelism: false,
          // The longest a case can take: every attempt times out and every throttled wait is the longest allowed.
          testTimeout:
            o.timeoutMs * timing.retry.attempts + timing.retry.maxWaitMs * (timing.retry.attempts - 1) + 10_000,
          passWithNoTests: true,
          sequence: { shuffle: false, sequencer: SuiteOrder },
          cache: false,
        } as never,
        { logLevel: 'silent' } as never,
      );
      try {
        for (let k = 0; k < batches && !internalError; k++) {
          renameSync(batchFile(k), config.casesFile);
          if (k === 0) await vitest.start();
          else await vitest.runTestSpecifications(await vitest.globTestSpecifications(), true);
          const errors = vitest.state.getUnhandledErrors();
          if (errors.length)
            internalError = `internal error in the test runner: ${String((errors[0] as Error)?.message ?? errors[0])}`;
          const broken = vitest.state
            .getFiles()
            .filter((f) => f.result?.state === 'fail' && (f.result?.errors?.length ?? 0) > 0);
          if (broken.length)
            internalError = `a suite failed to load: ${broken[0].name}: ${broken[0].result!.errors![0].message}`;
        }
      } finally {
        await vitest.close();
      }
    } catch (e) {
      internalError = `internal error: ${(e as Error).message}`;
    } finally {
      delete process.env[RUN_ENV];
      process.exitCode = exitCodeBefore;
      progress.end();
    }

    const records = openJsonLines<CaseRecord>(recordsFile);
    const cases = openJsonLines<Case>(casesFile);
    try {
      const stream = assembleStream({
        records: records.records,
        load: records.load,
        expected: (function* () {
          for (const [c] of cases.records) yield skeleton(c);
        })(),
        waivers: o.waivers,
        documentedStatuses: [...documentedStatuses],
        now: new Date(),
        internalError,
        meta: {
          tool: { name: TOOL.name, version: TOOL.version },
          node: process.version,
          pageSha256: createHash('sha256')
            .update(readFileSync(join(root, 'spec', 'page.txt')))
            .digest('hex'),
          schemasSha256,
          target: { url: target.baseUrl, embedded: !!server },
          seed: o.seed,
          durationMs: Math.round(performance.now() - started),
        },
      });
      const { files } = await writeReports(stream, resolve(o.reportDir), secretsOf(o));
      return { exitCode: stream.head.exitCode, report: stream.head, files };
    } finally {
      records.close();
      cases.close();
    }
  } finally {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(recordsDir, { recursive: true, force: true });
    await server?.close();
  }
}
