// One benchmark run in its own process: runConformance against the embedded reference server,
// then a small JSON result (timings, summary, this process's peak RSS) written to a file, so the
// parent (bench/run.ts) measures a clean process per run.
//
//   tsx bench/child.ts '{"out":"/tmp/r.json","reportDir":"/tmp/rep","stressRepeats":955}'   (after npm run build)

import { writeFileSync, statSync } from 'node:fs';

// The built package, as the bin runs it (npm run bench builds it first).
const dist = new URL('../dist/index.js', import.meta.url).href;
const { runConformance } = (await import(dist)) as typeof import('../index.ts');

export interface ChildInput {
  out: string; // where the result JSON goes
  reportDir: string;
  seed?: number;
  stressRepeats?: number;
  timeoutMs?: number;
}

export interface ChildResult {
  exitCode: number;
  message?: string;
  total?: number;
  summary?: Record<string, number>;
  verdict?: string;
  inProcessMs: number; // runConformance call, measured here
  reportDurationMs?: number; // report.durationMs (set by runConformance)
  maxRssKb: number; // process.resourceUsage().maxRSS of this process (ru_maxrss, kB)
  /** Highest RSS sampled (every 100 ms, in this process, where the suites run) until every case had run, i.e. before the report is built. */
  runPhasePeakRssMb: number;
  /** The main thread's live heap when every case had run (after a full GC; run with --expose-gc): what the launcher holds per case. */
  runEndLiveHeapMb?: number;
  /** RSS when the run began (modules loaded, reference server up). */
  startRssMb: number;
  heapUsedMb: number; // after the run
  reportBytes: Record<string, number>;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
if (!input.out || !input.reportDir) {
  console.error('usage: tsx bench/child.ts \'{"out": FILE, "reportDir": DIR, "stressRepeats"?: N, "seed"?: N}\'');
  process.exit(2);
}

const rssMb = () => Math.round((process.memoryUsage.rss() / 2 ** 20) * 10) / 10;
const startRssMb = rssMb();
let runPhasePeakRssMb = startRssMb;
let inRunPhase = true;
let runEndLiveHeapMb: number | undefined;
const gc = (globalThis as { gc?: () => void }).gc;
const sampler = setInterval(() => {
  if (inRunPhase) runPhasePeakRssMb = Math.max(runPhasePeakRssMb, rssMb());
}, 100);

const started = performance.now();
const r = await runConformance({
  seed: input.seed ?? 1,
  reportDir: input.reportDir,
  timeoutMs: input.timeoutMs ?? 10_000,
  waivers: [],
  stressRepeats: input.stressRepeats ?? 0,
  progress: 'plain', // its one line, "N of M cases recorded", marks the end of the run phase
  log: (line) => {
    if (/^\d+ of \d+ cases recorded/.test(line)) {
      runPhasePeakRssMb = Math.max(runPhasePeakRssMb, rssMb());
      inRunPhase = false;
      if (gc) {
        gc();
        runEndLiveHeapMb = Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
      }
    }
  },
});
clearInterval(sampler);
const inProcessMs = performance.now() - started;

const result: ChildResult = {
  exitCode: r.exitCode,
  ...(r.message ? { message: r.message } : {}),
  total: r.report?.summary.total,
  summary: r.report ? { ...r.report.summary } : undefined,
  verdict: r.report?.verdict,
  inProcessMs: Math.round(inProcessMs),
  reportDurationMs: r.report?.durationMs,
  maxRssKb: process.resourceUsage().maxRSS,
  runPhasePeakRssMb,
  ...(runEndLiveHeapMb !== undefined ? { runEndLiveHeapMb } : {}),
  startRssMb,
  heapUsedMb: Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10,
  reportBytes: Object.fromEntries(r.files.map((f) => [f.split('/').pop()!, statSync(f).size])),
};
writeFileSync(input.out, JSON.stringify(result));
