// Benchmark of a conformance run against the embedded reference server (npm run bench, which builds
// dist/ first: every row runs the built JavaScript the package ships).
//
//   (s) start-up: the 45 cases the suite had when the package issue was filed (bench/original-cases.txt,
//       selected with --case, so cases added since do not move the figure), median of BENCH_RUNS; and
//       `--version` and `--help`, median of BENCH_STARTUP_RUNS;
//   (a) the default run: the package bin, `node dist/bin/conformance.js --report-dir <tmp>`, median of
//       BENCH_RUNS; a deep run (the bin with --examples 20), median of BENCH_RUNS; and the default run
//       through `npm run conformance`;
//   (b) 1,000 and 10,000 cases: bench/child.ts calling the built runConformance with stressRepeats =
//       N - default count.
//
// Each run is its own process. Measured: wall time, cases per second, and peak RSS, both for the
// largest process of the run (GNU `/usr/bin/time -v` when present, else the highest VmHWM seen
// while polling /proc) and for the whole process tree (sum of VmRSS, sampled every 100 ms).
// Targets are reported, never asserted. Results: a table on stdout and bench/out/bench.json.
//
//   (c) --concurrency 1, 4 and 16: the bin with --cases BENCH_PAR_CASES (default 300) against the
//       embedded server, plain and with its slow-answers harmless switch (50 ms per answer); each
//       BENCH_PAR_REPEATS times (default 3), interleaved, reporting medians and the ratios to 1.
//
// Env: BENCH_SIZES=1000,10000,20000 (case counts for (b)); BENCH_TIMEOUT_S=900 (per run); BENCH_RUNS=5;
// BENCH_STARTUP_RUNS=11; BENCH_ONLY=startup runs (s) alone, BENCH_ONLY=concurrency (c) alone.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildResult } from './child.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'bench', 'out');
const TIME = '/usr/bin/time';
const hasGnuTime = existsSync(TIME);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,20000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const RUN_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 900) * 1000;
// The default and deep runs are short and the machine noisy: each is run this often and its median kept.
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5) || 1);
const STARTUP_RUNS = Math.max(1, Number(process.env.BENCH_STARTUP_RUNS ?? 11) || 1);
const DEEP_EXAMPLES = 20;
const SEED = 1;
const BIN = join('dist', 'bin', 'conformance.js');
const ORIGINAL_CASES = join(root, 'bench', 'original-cases.txt');

const TARGETS = { defaultRunMs: 5_000, tenThousandMs: 60_000, originalCasesMs: 1_200, startupMs: 300 };

// --- process-tree memory sampling ------------------------------------------------------------------

/** ppid of every live process, from /proc/<pid>/stat (field 4, after the parenthesised comm). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(d), Number(rest[1]));
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

function treeOf(rootPid: number): number[] {
  const ppid = parents();
  const kids = new Map<number, number[]>();
  for (const [pid, pp] of ppid) kids.set(pp, [...(kids.get(pp) ?? []), pid]);
  const out: number[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  return out;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

interface Sampler {
  stop(): { maxHwmKb: number; maxTreeRssKb: number; samples: number };
}

function sample(rootPid: number, everyMs = 100): Sampler {
  let maxHwmKb = 0;
  let maxTreeRssKb = 0;
  let samples = 0;
  const tick = () => {
    if (!existsSync(`/proc/${rootPid}`)) return;
    let sum = 0;
    for (const pid of treeOf(rootPid)) {
      maxHwmKb = Math.max(maxHwmKb, statusKb(pid, 'VmHWM'));
      sum += statusKb(pid, 'VmRSS');
    }
    maxTreeRssKb = Math.max(maxTreeRssKb, sum);
    samples++;
  };
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { maxHwmKb, maxTreeRssKb, samples };
    },
  };
}

// --- one measured child process --------------------------------------------------------------------

interface Measured {
  command: string;
  exitCode: number | null;
  wallMs: number;
  peakRssMb: number; // largest single process of the run
  peakRssSource: 'gnu-time' | 'proc-VmHWM';
  peakTreeRssMb: number; // sum over the process tree (sampled)
  samples: number;
  stderrTail: string;
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/** `quiet`: no process-tree sampling (it reads /proc every 100 ms, which a sub-second run would feel). */
function measure(cmd: string, args: string[], quiet = false): Promise<Measured> {
  const argv = hasGnuTime ? [TIME, '-v', cmd, ...args] : [cmd, ...args];
  const started = performance.now();
  // detached: a process group of its own, so a run past the timeout can be ended as a group (ours only).
  const child = spawn(argv[0], argv.slice(1), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const sampler = quiet ? { stop: () => ({ maxHwmKb: 0, maxTreeRssKb: 0, samples: 0 }) } : sample(child.pid!);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-20_000);
  });
  child.stdout.resume();
  const killer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, RUN_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      const wallMs = performance.now() - started;
      const s = sampler.stop();
      const gnu = hasGnuTime ? stderr.match(/Maximum resident set size \(kbytes\): (\d+)/) : null;
      resolve({
        command: argv.join(' ').replace(/'\{.*\}'$/, "'<json>'"),
        exitCode: code,
        wallMs: Math.round(wallMs),
        peakRssMb: mb(gnu ? Number(gnu[1]) : s.maxHwmKb),
        peakRssSource: gnu ? 'gnu-time' : 'proc-VmHWM',
        peakTreeRssMb: mb(s.maxTreeRssKb),
        samples: s.samples,
        stderrTail: stderr
          .split('\n')
          .filter(
            (l) =>
              l &&
              !/^\s+(Command being timed|User time|System time|Percent|Elapsed|Average|Maximum|Major|Minor|Voluntary|Involuntary|Swaps|File system|Socket|Signals|Page size|Exit status)/.test(
                l,
              ),
          )
          .slice(-6)
          .join('\n'),
      });
    });
  });
}

// --- runs ------------------------------------------------------------------------------------------

interface Row {
  name: string;
  cases: number | undefined;
  requestedCases?: number;
  stressRepeats: number;
  exitCode: number | null;
  verdict?: string;
  wallMs: number;
  runMs?: number; // the run inside the process (report.durationMs): no process start-up, no module loading
  casesPerSecWall?: number;
  casesPerSecRun?: number;
  peakRssMb: number;
  peakRssSource: string;
  peakTreeRssMb: number;
  inProcessMaxRssMb?: number; // process.resourceUsage().maxRSS reported by the child itself
  runPhasePeakRssMb?: number; // the child's RSS peak while cases ran (before the report is built)
  runEndLiveHeapMb?: number; // the child's main-thread heap after a full GC once every case had run
  startRssMb?: number; // the child's RSS when the run began
  reportJsonMb?: number;
  reportTotalMb?: number;
  summary?: Record<string, number>;
  command: string;
  note?: string;
  wallMsRuns?: number[]; // every run's wall time, when the row is the median of several
}

const work = mkdtempSync(join(tmpdir(), 'conformance-bench-'));
const rate = (n: number | undefined, ms: number | undefined) =>
  n && ms ? Math.round((n / (ms / 1000)) * 10) / 10 : undefined;
const sizeMb = (bytes: Record<string, number>) =>
  Math.round((Object.values(bytes).reduce((a, b) => a + b, 0) / 2 ** 20) * 100) / 100;

/** Runs `once` n times; the row of the median wall time, with every run's wall time. */
async function medianOf(n: number, once: () => Promise<Row>): Promise<Row> {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) rows.push(await once());
  const sorted = [...rows].sort((a, b) => a.wallMs - b.wallMs);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], wallMsRuns: rows.map((r) => r.wallMs) };
}

async function viaCli(name: string, viaNpm = false, extra: string[] = [], quiet = false): Promise<Row> {
  const reportDir = join(work, name.replace(/\W+/g, '-'));
  const args = ['--report-dir', reportDir, '--seed', String(SEED), ...extra];
  const m = viaNpm
    ? await measure('npm', ['run', '--silent', 'conformance', '--', ...args])
    : await measure(process.execPath, [BIN, ...args], quiet);
  const jsonFile = join(reportDir, 'conformance.json');
  const report = existsSync(jsonFile)
    ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as {
        summary: Record<string, number>;
        durationMs: number;
        verdict: string;
      })
    : undefined;
  const bytes = Object.fromEntries(
    ['conformance.json', 'junit.xml', 'conformance.md']
      .filter((f) => existsSync(join(reportDir, f)))
      .map((f) => [f, readFileSync(join(reportDir, f)).length]),
  );
  const cases = report?.summary.total;
  return {
    name,
    cases,
    stressRepeats: 0,
    exitCode: m.exitCode,
    verdict: report?.verdict,
    wallMs: m.wallMs,
    runMs: report?.durationMs,
    casesPerSecWall: rate(cases, m.wallMs),
    casesPerSecRun: rate(cases, report?.durationMs),
    peakRssMb: m.peakRssMb,
    peakRssSource: m.peakRssSource,
    peakTreeRssMb: m.peakTreeRssMb,
    reportJsonMb:
      bytes['conformance.json'] !== undefined
        ? Math.round((bytes['conformance.json'] / 2 ** 20) * 100) / 100
        : undefined,
    reportTotalMb: sizeMb(bytes),
    summary: report?.summary,
    command: m.command,
    ...(report ? {} : { note: `no report: ${m.stderrTail}` }),
  };
}

/** Start-up cost alone: node and the CLI's own modules (a run's dependencies are not loaded for --version or --help). */
async function startupOnly(flag: '--version' | '--help'): Promise<Row> {
  const m = await measure(process.execPath, [BIN, flag], hasGnuTime);
  return {
    name: `startup (${flag})`,
    cases: 0,
    stressRepeats: 0,
    exitCode: m.exitCode,
    wallMs: m.wallMs,
    peakRssMb: m.peakRssMb,
    peakRssSource: m.peakRssSource,
    peakTreeRssMb: m.peakTreeRssMb,
    command: m.command,
  };
}

/** The original cases' run; refuses to report a figure for another set of cases (an id renamed or gone). */
async function originalCasesRun(): Promise<Row> {
  const ids = readFileSync(ORIGINAL_CASES, 'utf8').split('\n').filter(Boolean);
  const name = `original ${ids.length} cases`;
  // Peak RSS from GNU time alone when it is there: sampling the process tree would load a short run.
  const row = await viaCli(
    name,
    false,
    ids.flatMap((id) => ['--case', id]),
    hasGnuTime,
  );
  const file = join(work, name.replace(/\W+/g, '-'), 'conformance.json');
  const ran = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { cases: { id: string }[] }).cases : [];
  const missing = ids.filter((id) => !ran.some((c) => c.id === id));
  if (missing.length || ran.length !== ids.length)
    throw new Error(
      `bench/original-cases.txt: ran ${ran.length} of ${ids.length} cases (missing: ${missing.join(', ')})`,
    );
  return row;
}

/** (s): the original cases' run; --version and --help. */
async function startupRows(): Promise<Row[]> {
  console.error(
    `bench: (s) the original cases (median of ${RUNS}), --version and --help (median of ${STARTUP_RUNS}) ...`,
  );
  const original: Row[] = [];
  for (let i = 0; i < RUNS; i++) original.push(await originalCasesRun());
  const mid = (rows: Row[]) => ({
    ...[...rows].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((rows.length - 1) / 2)],
    wallMsRuns: rows.map((r) => r.wallMs),
  });
  return [
    mid(original),
    await medianOf(STARTUP_RUNS, () => startupOnly('--version')),
    await medianOf(STARTUP_RUNS, () => startupOnly('--help')),
  ];
}

function startupTargets(rows: Row[]) {
  const original = rows.find((r) => r.name.startsWith('original'));
  const flag = (f: string) => rows.find((r) => r.name === `startup (${f})`);
  const within = (r: Row | undefined, ms: number) =>
    r ? { wallMs: r.wallMs, met: r.wallMs <= ms } : { note: 'not run' };
  return {
    originalCases: {
      target: `<= ${TARGETS.originalCasesMs} ms wall, median`,
      ...within(original, TARGETS.originalCasesMs),
    },
    version: { target: `< ${TARGETS.startupMs} ms wall, median`, ...within(flag('--version'), TARGETS.startupMs - 1) },
    help: { target: `< ${TARGETS.startupMs} ms wall, median`, ...within(flag('--help'), TARGETS.startupMs - 1) },
  };
}

function printStartup(rows: Row[]): void {
  const t = startupTargets(rows);
  const line = (what: string, x: { wallMs?: number; met?: boolean; target: string }) =>
    `${what}: ${x.wallMs === undefined ? 'not run' : `${x.wallMs} ms wall`} (target ${x.target}: ${x.met ? 'met' : 'NOT met'})`;
  const original = rows.find((r) => r.name.startsWith('original'));
  console.log(line(original?.name ?? 'original cases', t.originalCases));
  console.log(line('--version', t.version));
  console.log(line('--help', t.help));
}

async function viaChild(name: string, stressRepeats: number, requestedCases?: number): Promise<Row> {
  const out = join(work, `${name}.result.json`);
  const input = { out, reportDir: join(work, name), seed: SEED, stressRepeats };
  // --expose-gc only lets the child measure its live heap once every case has run.
  // tsx runs the child's own TypeScript; the run itself is the built package (dist/), natively.
  const m = await measure(process.execPath, [
    '--expose-gc',
    '--import',
    'tsx',
    'bench/child.ts',
    JSON.stringify(input),
  ]);
  const r = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as ChildResult) : undefined;
  return {
    name,
    cases: r?.total,
    ...(requestedCases ? { requestedCases } : {}),
    stressRepeats,
    exitCode: m.exitCode,
    verdict: r?.verdict,
    wallMs: m.wallMs,
    runMs: r?.reportDurationMs,
    casesPerSecWall: rate(r?.total, m.wallMs),
    casesPerSecRun: rate(r?.total, r?.reportDurationMs),
    peakRssMb: m.peakRssMb,
    peakRssSource: m.peakRssSource,
    peakTreeRssMb: m.peakTreeRssMb,
    inProcessMaxRssMb: r ? mb(r.maxRssKb) : undefined,
    runPhasePeakRssMb: r?.runPhasePeakRssMb,
    runEndLiveHeapMb: r?.runEndLiveHeapMb,
    startRssMb: r?.startRssMb,
    reportJsonMb:
      r?.reportBytes['conformance.json'] !== undefined
        ? Math.round((r.reportBytes['conformance.json'] / 2 ** 20) * 100) / 100
        : undefined,
    reportTotalMb: r ? sizeMb(r.reportBytes) : undefined,
    summary: r?.summary,
    command: m.command,
    ...(r ? (r.message ? { note: r.message } : {}) : { note: `no result: ${m.stderrTail}` }),
  };
}

function table(rows: Row[]): string {
  const head = [
    'run',
    'cases',
    'exit',
    'wall s',
    'run s',
    'cases/s (wall)',
    'cases/s (run)',
    'peak RSS MB',
    'tree RSS MB',
    'report MB',
  ];
  const fmt = (n: number | undefined, d = 1) => (n === undefined ? '-' : n.toFixed(d));
  const body = rows.map((r) => [
    r.name,
    String(r.cases || '-'),
    String(r.exitCode),
    fmt(r.wallMs / 1000, 2),
    fmt(r.runMs === undefined ? undefined : r.runMs / 1000, 2),
    fmt(r.casesPerSecWall),
    fmt(r.casesPerSecRun),
    fmt(r.peakRssMb),
    fmt(r.peakTreeRssMb),
    fmt(r.reportTotalMb, 2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const PAR = [1, 4, 16];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** (c): cases/s inside the run (cases / the report's duration) at each concurrency, medians of interleaved repeats. */
async function concurrencyRows(): Promise<Record<string, unknown>[]> {
  const cases = Number(process.env.BENCH_PAR_CASES ?? 300);
  const repeats = Number(process.env.BENCH_PAR_REPEATS ?? 3);
  const out: Record<string, unknown>[] = [];
  for (const server of [[], ['--harmless', 'slow-answers']]) {
    const rates = new Map<number, number[]>(PAR.map((n) => [n, []]));
    for (let k = 0; k < repeats; k++)
      for (const n of PAR) {
        const reportDir = join(work, `par-${n}-${k}`);
        const args = [BIN, '--seed', String(SEED), '--repeat', String(cases), '--concurrency', String(n)];
        const m = await measure(process.execPath, [...args, ...server, '--report-dir', reportDir]);
        const file = join(reportDir, 'conformance.json');
        if (m.exitCode !== 0 || !existsSync(file)) throw new Error(`--concurrency ${n} run failed: ${m.stderrTail}`);
        const r = JSON.parse(readFileSync(file, 'utf8')) as { summary: { total: number }; durationMs: number };
        rates.get(n)!.push(rate(r.summary.total, r.durationMs)!);
        rmSync(reportDir, { recursive: true, force: true });
      }
    const base = median(rates.get(1)!);
    for (const n of PAR)
      out.push({
        server: server.length ? 'embedded, slow-answers (50 ms per answer)' : 'embedded',
        concurrency: n,
        casesPerSecMedian: median(rates.get(n)!),
        ratioToConcurrency1: Math.round((median(rates.get(n)!) / base) * 100) / 100,
        samples: rates.get(n),
      });
  }
  return out;
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  if (process.env.BENCH_ONLY === 'concurrency') {
    try {
      const par = await concurrencyRows();
      writeFileSync(join(outDir, 'bench-concurrency.json'), `${JSON.stringify(par, null, 2)}\n`);
      for (const r of par)
        console.log(
          `${r.server}: --concurrency ${r.concurrency}: ${r.casesPerSecMedian} cases/s (x${r.ratioToConcurrency1})`,
        );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return;
  }
  if (!existsSync(join(root, BIN))) throw new Error(`no ${BIN}: run npm run build (npm run bench does)`);
  if (process.env.BENCH_ONLY === 'startup') {
    try {
      const rows = await startupRows();
      writeFileSync(
        join(outDir, 'bench-startup.json'),
        `${JSON.stringify({ rows, targets: startupTargets(rows) }, null, 2)}\n`,
      );
      console.log(table(rows));
      printStartup(rows);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return;
  }
  console.error(
    `bench: runs through ${BIN}; sizes ${SIZES.join(', ')}; peak RSS via ${hasGnuTime ? '/usr/bin/time -v' : '/proc VmHWM polling'}`,
  );
  const rows: Row[] = [];
  let parallel: Record<string, unknown>[] = [];
  try {
    console.error(`bench: (a) default run (median of ${RUNS}) ...`);
    const def = await medianOf(RUNS, () => viaCli('default'));
    rows.push(def);
    console.error(`bench: deep run, --examples ${DEEP_EXAMPLES} (median of ${RUNS}) ...`);
    rows.push(
      await medianOf(RUNS, () =>
        viaCli(`deep (--examples ${DEEP_EXAMPLES})`, false, ['--examples', String(DEEP_EXAMPLES)]),
      ),
    );
    console.error('bench: default run through npm run conformance ...');
    rows.push(await viaCli('default (npm run)', true));
    rows.push(...(await startupRows()));
    const defaultCount = def.cases;
    if (defaultCount === undefined)
      throw new Error(`the default run produced no report (exit ${def.exitCode}): ${def.note ?? ''}`);
    for (const n of SIZES) {
      const repeats = Math.max(0, n - defaultCount);
      console.error(`bench: (b) ${n} cases (stressRepeats ${repeats}) ...`);
      rows.push(await viaChild(`cases-${n}`, repeats, n));
    }
    console.error('bench: (c) --concurrency 1, 4, 16 ...');
    parallel = await concurrencyRows();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const byCount = rows.filter((r) => r.name.startsWith('cases-') && r.cases).sort((a, b) => a.cases! - b.cases!);
  // Memory growth between the two largest sizes: a run is cut into runner passes of BATCH_SIZE cases,
  // so sizes below one batch are not yet in the steady state.
  const small = byCount[byCount.length - 2] ?? byCount[0];
  const large = byCount[byCount.length - 1];
  const ten = rows.find((r) => r.requestedCases === 10_000);
  const r1 = (n: number) => Math.round(n * 10) / 10;
  const memory =
    small && large && small !== large
      ? (() => {
          const extra = large.cases! - small.cases!;
          const reportGrowthMb = Math.round(((large.reportTotalMb ?? 0) - (small.reportTotalMb ?? 0)) * 100) / 100;
          const runGrowth =
            large.runPhasePeakRssMb !== undefined && small.runPhasePeakRssMb !== undefined
              ? large.runPhasePeakRssMb - small.runPhasePeakRssMb
              : undefined;
          const reportPhase = (r: Row) =>
            r.inProcessMaxRssMb !== undefined && r.runPhasePeakRssMb !== undefined
              ? r1(r.inProcessMaxRssMb - r.runPhasePeakRssMb)
              : undefined;
          return {
            from: small.name,
            to: large.name,
            extraCases: extra,
            peakRssGrowthMb: r1(large.peakRssMb - small.peakRssMb),
            peakRssGrowthPer1kCasesMb: r1((large.peakRssMb - small.peakRssMb) / (extra / 1000)),
            reportGrowthMb,
            reportBytesPerCase: Math.round((reportGrowthMb * 2 ** 20) / extra),
            // while the cases run (the suites and the embedded server, one thread): should be flat
            runPhaseGrowthMb: runGrowth === undefined ? undefined : r1(runGrowth),
            runPhaseBytesPerCase: runGrowth === undefined ? undefined : Math.round((runGrowth * 2 ** 20) / extra),
            // what is live (not GC slack) in the launcher's thread: the runner's task per case and the reference server
            liveHeapBytesPerCase:
              large.runEndLiveHeapMb !== undefined && small.runEndLiveHeapMb !== undefined
                ? Math.round(((large.runEndLiveHeapMb - small.runEndLiveHeapMb) * 2 ** 20) / extra)
                : undefined,
            // building and writing the report: proportional to the report by nature
            reportPhaseExtraMb: { [small.name]: reportPhase(small), [large.name]: reportPhase(large) },
            reportPhaseExtraOverReportFiles: large.reportTotalMb
              ? r1((reportPhase(large) ?? 0) / large.reportTotalMb)
              : undefined,
          };
        })()
      : undefined;
  const targets = {
    defaultRunUnder5s: {
      target: '< 5 s wall (default run)',
      wallMs: rows[0]?.wallMs,
      met: rows[0] ? rows[0].wallMs < TARGETS.defaultRunMs : undefined,
      runMs: rows[0]?.runMs,
      startupMs: rows.find((r) => r.name.startsWith('startup'))?.wallMs,
    },
    tenThousandUnder60s: ten
      ? { target: '< 60 s wall (10,000 cases)', wallMs: ten.wallMs, met: ten.wallMs < TARGETS.tenThousandMs }
      : { target: '< 60 s wall (10,000 cases)', note: 'not measured (BENCH_SIZES)' },
    ...startupTargets(rows),
    memory: {
      target: 'memory does not grow with the case count beyond the report',
      ...(memory ?? { note: 'needs two sizes' }),
      // Heuristic (reported, not asserted): the run phase counts as flat below 1 KiB of RSS per extra case.
      ...(memory?.runPhaseBytesPerCase !== undefined ? { runPhaseFlat: memory.runPhaseBytesPerCase < 1024 } : {}),
    },
  };
  const result = {
    timestamp: new Date().toISOString(),
    machine: {
      node: process.version,
      os: `${osType()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      totalMemMb: Math.round(totalmem() / 2 ** 20),
    },
    seed: SEED,
    peakRssSource: hasGnuTime
      ? 'GNU /usr/bin/time -v (largest process of the run)'
      : 'highest /proc/<pid>/status VmHWM seen in the run’s process tree',
    rows,
    concurrency: parallel,
    targets,
  };
  writeFileSync(join(outDir, 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);

  console.log(table(rows));
  console.log('');
  const startup = rows.find((r) => r.name.startsWith('startup'));
  const signed = (n: number | undefined) => (n === undefined ? '?' : n >= 0 ? `+${n}` : String(n));
  const yes = (b: boolean | undefined) => (b === undefined ? 'n/a' : b ? 'met' : 'NOT met');
  console.log(
    `target default run < 5 s: ${yes(targets.defaultRunUnder5s.met)} (${((rows[0]?.wallMs ?? 0) / 1000).toFixed(2)} s wall, median of ${RUNS}, ${((rows[0]?.runMs ?? 0) / 1000).toFixed(2)} s inside the run${startup ? `; start-up alone ${(startup.wallMs / 1000).toFixed(2)} s` : ''})`,
  );
  const deep = rows.find((r) => r.name.startsWith('deep'));
  if (deep)
    console.log(
      `deep run (--examples ${DEEP_EXAMPLES}): ${deep.cases} cases, ${(deep.wallMs / 1000).toFixed(2)} s wall (median of ${RUNS})`,
    );
  printStartup(rows);
  if (ten)
    console.log(
      `target 10,000 cases < 60 s: ${yes(ten.wallMs < TARGETS.tenThousandMs)} (${(ten.wallMs / 1000).toFixed(1)} s wall)`,
    );
  if (memory) {
    console.log(
      `memory ${memory.from} -> ${memory.to} (+${memory.extraCases} cases): peak RSS ${signed(memory.peakRssGrowthMb)} MB (${memory.peakRssGrowthPer1kCasesMb} MB per 1,000 cases); report files ${signed(memory.reportGrowthMb)} MB (${memory.reportBytesPerCase} B/case)`,
    );
    if (memory.runPhaseGrowthMb !== undefined)
      console.log(
        `  while cases run: ${signed(memory.runPhaseGrowthMb)} MB RSS (${memory.runPhaseBytesPerCase} B/case): ${targets.memory.runPhaseFlat ? 'flat' : 'GROWS with the case count'}${memory.liveHeapBytesPerCase !== undefined ? `; live heap of the launcher's thread ${memory.liveHeapBytesPerCase} B/case` : ''}`,
      );
    console.log(
      `  building/writing the report: ${signed(memory.reportPhaseExtraMb[memory.from])} MB / ${signed(memory.reportPhaseExtraMb[memory.to])} MB over the run-phase peak (${memory.reportPhaseExtraOverReportFiles}x the report files at ${memory.to})`,
    );
  }
  for (const r of parallel)
    console.log(
      `${r.server}: --concurrency ${r.concurrency}: ${r.casesPerSecMedian} cases/s (x${r.ratioToConcurrency1})`,
    );
  console.log(`written: ${join('bench', 'out', 'bench.json')}`);
}

await main();
