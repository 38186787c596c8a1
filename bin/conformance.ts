#!/usr/bin/env node
// The command line: flags (each with a CONFORMANCE_* twin; a flag wins), validation with one clear
// line and exit 2, then one run. Exit 0 conformant, 1 not conformant, 2 could not judge.

import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED } from '../generators/default-seed.ts';
import { TOOL } from '../schemas/files.ts';
import { FAULT_NAMES } from '../server/faults.ts';
import { isHarmlessName } from '../server/harmless.ts';
import { redact, redactDeep } from '../reports/redact.ts';
import { failingRuleLines, runSummary, stepSummary, type RunSummary } from '../reports/summary.ts';
import type { ReportHead } from '../reports/model.ts';
import type { Waiver } from '../reports/assemble.ts';
import type { ConformanceOptions } from '../suites/run.ts';
import { DEFAULT_TIMEOUT_MS } from '../suites/run/options.ts';
import { CREDENTIAL_HELP, CREDENTIAL_OPTIONS, credentialOptions } from './credentials.ts';
import { LINE_LISTS, NETWORK_HELP, NETWORK_OPTIONS, networkOptions } from './network.ts';
import { UsageError } from './usage.ts';

const HELP = `Usage: roma-vpc-sync-conformance [flags]        (npm run conformance -- [flags] in its repo)
       roma-vpc-sync-conformance merge DIR... --report-dir OUT [--format json]

Conformance run for ROMA Connect "Synchronizing VPC Channels in a Project"
(POST /v2/{project_id}/apic/vpc-channels/syncs). Without --base-url it boots the
embedded reference server on an ephemeral port and runs every suite against it
(the same server as a process of its own: roma-vpc-sync-reference-server --help).
merge turns the report dirs of the shards of one run (--shard 1/n ... n/n) into the
report that run would have written unsharded (merge --help).

Target
  --base-url URL          endpoint to test (a path prefix in it is kept)      CONFORMANCE_BASE_URL
  --token TOKEN           X-Auth-Token with permission (with --base-url, or AK/SK or IAM)  CONFORMANCE_TOKEN
  --token-file FILE       read the token from FILE instead                    CONFORMANCE_TOKEN_FILE
  --forbidden-token TOKEN a valid token WITHOUT permission (403 checks)       CONFORMANCE_FORBIDDEN_TOKEN
  --project-id ID         project id in the path (required with --base-url)   CONFORMANCE_PROJECT_ID
  --vpc-channel-id a,b    real VPC channel ids (else those cases are skipped) CONFORMANCE_VPC_CHANNEL_ID
  --instance-ids a,b,c    real instance ids (else those cases are skipped)    CONFORMANCE_INSTANCE_IDS
Consent (what a run may synchronize; every case has an effect: sync, maybe or none)
  --no-sync               send only cases a conformant server must refuse     CONFORMANCE_NO_SYNC=1
  --allow-sync-all        with --base-url: also send cases that would sync    CONFORMANCE_ALLOW_SYNC_ALL=1
                          channels or instances you did not name
Run
  --seed N                case seed (default ${DEFAULT_SEED}; same seed, same cases)  CONFORMANCE_SEED
  --report-dir DIR        where reports go (default reports/out; overwritten) CONFORMANCE_REPORT_DIR
  --timeout-ms N          per-request timeout (default 10000)                 CONFORMANCE_TIMEOUT_MS
  --waive RULE            waive a rule id (repeatable)                        CONFORMANCE_WAIVE (comma list)
  --waivers FILE          JSON [{ruleId, reason, expires?}]                   CONFORMANCE_WAIVERS
  --case ID               run only this case; * matches any text (repeatable) CONFORMANCE_CASE (comma list)
  --list-cases            print the plan and exit, sending nothing: each case, its family,
                          rule, effect, and whether it is sent or why not (tab-separated;
                          one JSON object per line with --format json); a run's preflights
                          may skip more (a --forbidden-token answered 401 skips the 403 case)
  --fail-on-skip          any skipped case makes the run exit 2               CONFORMANCE_FAIL_ON_SKIP=1
  --examples N            deep runs: add N seeded variants to each of the families  CONFORMANCE_EXAMPLES
                          positive.equivalent, positive.variety, positive.forced-twice,
                          negative.coercible, negative.not-found, robustness.duplicates,
                          robustness.unicode (the others have none)
  --repeat N              add N seeded valid repetitions (stress/benchmarks)  CONFORMANCE_REPEAT
  --cases N               old name of --repeat (this release only)            CONFORMANCE_CASES
  --shard i/n             run only the i-th of n slices of the cases (a case's slice
                          follows from its id); merge the shards' reports after  CONFORMANCE_SHARD
  --concurrency N         cases in flight at once (default 1); same verdicts  CONFORMANCE_CONCURRENCY
  --fault NAME            embedded reference server only: a fault switch      CONFORMANCE_FAULT
  --harmless NAME         embedded reference server only: a harmless switch
                          (repeatable)                                        CONFORMANCE_HARMLESS (comma list)
Output
  --format text|json      json: the run's summary as one JSON object on stdout (also when
                          it could not judge); human lines stay on stderr     CONFORMANCE_FORMAT
  --version, --help
${CREDENTIAL_HELP}
${NETWORK_HELP}

Exit codes: 0 conformant; 1 not conformant (a failure or a timeout); 2 could not judge
(usage or configuration error, target unreachable, token rejected or without permission,
persistent throttling, a credential that expired during the run, nothing tested, a skip
under --fail-on-skip, or an internal error). A failure found wins over could-not-judge.
Skipped, waived and warning outcomes never gate on their own.
Reports: conformance.json, junit.xml, conformance.md, conformance.html in the report dir. The policies
reports cite ("policy N") are in docs/POLICY.md.
A failing run lists its failing rules before the report paths; with GITHUB_STEP_SUMMARY set,
a Markdown summary is appended to that file.`;

const MERGE_HELP = `Usage: conformance merge DIR... --report-dir OUT [--format json]
       (npm run conformance -- merge DIR... --report-dir OUT)

Merges the report dirs of the shards of one run (each written with --shard i/n, i = 1..n)
into the report that run would have written unsharded: conformance.json, junit.xml,
conformance.md and conformance.html in OUT, with the same case records, outcomes, rule
coverage and exit code. Refused (exit 2) unless the dirs hold exactly the shards 1..n of one
run: the same seed, tool version, page and schemas, target (URL, fault and harmless switches),
waivers and case set; OUT may not be one of the DIRs or inside one.

  --report-dir OUT        where the merged reports go (default reports/out; overwritten)  CONFORMANCE_REPORT_DIR
  --format text|json      json: the merged summary as one JSON object on stdout            CONFORMANCE_FORMAT
  --help

Exit codes as for a run: 0 conformant; 1 not conformant; 2 could not judge (among others:
no shard sent a case, "nothing was tested").`;

const OPTIONS = {
  'base-url': { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  'forbidden-token': { type: 'string' },
  'project-id': { type: 'string' },
  'vpc-channel-id': { type: 'string' },
  'instance-ids': { type: 'string' },
  seed: { type: 'string' },
  'report-dir': { type: 'string' },
  'timeout-ms': { type: 'string' },
  waive: { type: 'string', multiple: true },
  waivers: { type: 'string' },
  case: { type: 'string', multiple: true },
  'list-cases': { type: 'boolean' },
  'no-sync': { type: 'boolean' },
  'allow-sync-all': { type: 'boolean' },
  'fail-on-skip': { type: 'boolean' },
  'allow-short-secrets': { type: 'boolean' },
  examples: { type: 'string' },
  repeat: { type: 'string' },
  cases: { type: 'string' },
  fault: { type: 'string' },
  harmless: { type: 'string', multiple: true },
  format: { type: 'string' },
  shard: { type: 'string' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  concurrency: { type: 'string' },
  ...NETWORK_OPTIONS,
  ...CREDENTIAL_OPTIONS,
} as const;

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof OPTIONS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

function envBoolean(name: string, raw: string): boolean {
  if (['1', 'true'].includes(raw.trim().toLowerCase())) return true;
  if (['0', 'false'].includes(raw.trim().toLowerCase())) return false;
  throw new UsageError(
    `CONFORMANCE_${name.replace(/-/g, '_').toUpperCase()} must be 1, true, 0 or false, got ${JSON.stringify(raw)}`,
  );
}

/** A flag wins over its CONFORMANCE_* twin. */
function withEnv(values: Values, env: NodeJS.ProcessEnv): Values {
  const out: Values = { ...values };
  for (const name of Object.keys(OPTIONS) as (keyof typeof OPTIONS)[]) {
    if (out[name] !== undefined) continue;
    const raw = env[`CONFORMANCE_${name.replace(/-/g, '_').toUpperCase()}`];
    if (raw === undefined || raw === '') continue;
    const def = OPTIONS[name] as { type: string; multiple?: boolean };
    (out as Record<string, unknown>)[name] = def.multiple
      ? raw
          .split(LINE_LISTS.has(name) ? /\r?\n/ : ',')
          .map((s) => s.trim())
          .filter(Boolean)
      : def.type === 'boolean'
        ? envBoolean(name, raw)
        : raw;
  }
  return out;
}

const integer = (name: string, raw: string | undefined, fallback: number, min: number): number => {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min)
    throw new UsageError(`--${name} must be a whole number >= ${min}, got ${JSON.stringify(raw)}`);
  return Number(raw);
};

function readWaivers(file: string | undefined, rules: string[] | undefined): Waiver[] {
  const out: Waiver[] = (rules ?? []).map((ruleId) => ({ ruleId, reason: 'waived on the command line' }));
  if (!file) return out;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--waivers ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(data))
    throw new UsageError(`--waivers ${file}: expected a JSON array of {ruleId, reason, expires?}`);
  data.forEach((w, i) => {
    if (
      !w ||
      typeof w.ruleId !== 'string' ||
      typeof w.reason !== 'string' ||
      (w.expires !== undefined && Number.isNaN(Date.parse(w.expires)))
    ) {
      throw new UsageError(
        `--waivers ${file}: entry ${i} needs a string ruleId, a string reason and an optional ISO date expires`,
      );
    }
    out.push({ ruleId: w.ruleId, reason: w.reason, ...(w.expires ? { expires: w.expires } : {}) });
  });
  return out;
}

/** --shard i/n: the i-th (1-based) of n slices. */
function shardOf(raw: string | undefined): ConformanceOptions['shard'] {
  if (raw === undefined) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard must be i/n with 1 <= i <= n (e.g. 2/4), got ${JSON.stringify(raw)}`);
  return { index, count };
}

export type Format = 'text' | 'json';
const FORMATS: readonly Format[] = ['text', 'json'];

/** The output format as far as it can be read, for a usage error that stops parsing before it. */
function formatHint(argv: string[], env: NodeJS.ProcessEnv): Format {
  const at = argv.findIndex((a) => a === '--format' || a.startsWith('--format='));
  const raw = at < 0 ? env.CONFORMANCE_FORMAT : argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1];
  return raw === 'json' ? 'json' : 'text';
}

/** --repeat N, or its old name --cases N (kept for one release; both at once must agree). */
function repeats(v: Values): number {
  const repeat = integer('repeat', v.repeat, 0, 0);
  if (v.cases === undefined) return repeat;
  const cases = integer('cases', v.cases, 0, 0);
  if (v.repeat !== undefined && cases !== repeat)
    throw new UsageError(`--cases is the old name of --repeat: give one of them (got ${cases} and ${repeat})`);
  console.error('conformance: --cases is now --repeat; the old name is accepted in this release only');
  return cases;
}

/** Flags that only mean something against a remote target, and those that only mean something against the embedded one. */
function checkTargetFlags(v: Values, credentials: ReturnType<typeof credentialOptions>): void {
  if (!v['base-url']) {
    const remoteOnly = (
      ['token', 'token-file', 'forbidden-token', 'forbidden-token-file', 'project-id', 'allow-sync-all'] as const
    ).find((f) => v[f] !== undefined && v[f] !== false);
    if (remoteOnly)
      throw new UsageError(
        `--${remoteOnly} applies to --base-url runs; the embedded reference server uses its own fixtures and runs every case`,
      );
    return;
  }
  let url: URL;
  try {
    url = new URL(v['base-url']);
  } catch {
    throw new UsageError(`--base-url is not a URL: ${JSON.stringify(v['base-url'])}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--base-url must be http or https, got ${url.protocol}`);
  if (!credentials.token && !credentials.aksk && !credentials.iam)
    throw new UsageError('--base-url needs --token (or --token-file), or --ak/--sk, or the --iam-* flags (see --help)');
  if (!v['project-id']) throw new UsageError('--base-url needs --project-id');
  if (credentials.forbiddenToken && credentials.forbiddenToken === credentials.token)
    throw new UsageError(
      '--forbidden-token is the --token itself: the 403 case needs a valid token without permission',
    );
  if (credentials.aksk?.forbidden && credentials.aksk.forbidden.ak === credentials.aksk.key.ak)
    throw new UsageError('--forbidden-ak is the --ak itself: the 403 case needs a key pair without permission');
  if (v.fault) throw new UsageError('--fault applies to the embedded reference server only; drop --base-url to use it');
  if (v.harmless?.length)
    throw new UsageError('--harmless applies to the embedded reference server only; drop --base-url to use it');
}

function checkRunFlags(v: Values): void {
  if (v['no-sync'] && v['allow-sync-all'])
    throw new UsageError(
      '--no-sync and --allow-sync-all contradict each other: --no-sync sends nothing a conformant server would carry out',
    );
  if (v.fault && !FAULT_NAMES.includes(v.fault as never))
    throw new UsageError(`unknown fault ${JSON.stringify(v.fault)} (roma-vpc-sync-reference-server --list-faults)`);
  const unknownHarmless = v.harmless?.find((h) => !isHarmlessName(h));
  if (unknownHarmless !== undefined)
    throw new UsageError(
      `unknown harmless switch ${JSON.stringify(unknownHarmless)} (roma-vpc-sync-reference-server --list-harmless)`,
    );
}

function idList(name: string, raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const entries = raw.split(',').map((s) => s.trim());
  const ids = entries.filter(Boolean);
  if (ids.length === 0) throw new UsageError(`--${name} names no id, got ${JSON.stringify(raw)}`);
  // Refused, not skipped: "a,,b" is more likely an id lost in a script than a wish for two ids.
  const empty = entries.indexOf('');
  if (empty !== -1)
    throw new UsageError(`--${name} has an empty entry (number ${empty + 1}) in ${JSON.stringify(raw)}: give ids only`);
  // Refused, not folded: cases that must succeed are built from these ids, and a typed duplicate is a slip.
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new UsageError(`--${name} names ${JSON.stringify(twice)} twice: give each id once`);
  return ids;
}

/**
 * `--examples -1` as `--examples=-1`: parseArgs takes a value that starts with "-" for a flag ("ambiguous"),
 * so a negative number would never reach the flag's own check and its clear message.
 */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([a-z-]+)$/.exec(argv[i])?.[1];
    const def = name ? (OPTIONS as Record<string, { type: string }>)[name] : undefined;
    if (def?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

export function optionsFrom(
  argv: string[],
  env: NodeJS.ProcessEnv,
): {
  action: 'help' | 'version' | 'list' | 'run' | 'merge';
  options: ConformanceOptions;
  format: Format;
  dirs: string[];
  help: string;
} {
  let parsed: Values;
  const merging = argv[0] === 'merge';
  let dirs: string[] = [];
  try {
    const args = parseArgs({
      args: joinNegativeValues(merging ? argv.slice(1) : argv),
      options: OPTIONS,
      strict: true,
      allowPositionals: merging,
    });
    parsed = args.values as Values;
    dirs = args.positionals;
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see --help)`);
  }
  if (merging) {
    const extra = Object.keys(parsed).filter((k) => !['report-dir', 'format', 'help'].includes(k));
    if (extra.length)
      throw new UsageError(`merge takes only shard report dirs, --report-dir and --format (not --${extra[0]})`);
    if (dirs.length === 0 && !parsed.help)
      throw new UsageError('merge needs the report dirs of the shards: merge DIR... --report-dir OUT');
  }
  const v = withEnv(parsed, env);
  const action = v.help ? 'help' : v.version ? 'version' : merging ? 'merge' : v['list-cases'] ? 'list' : 'run';
  const planning = action === 'run' || action === 'list';
  const credentials = planning ? credentialOptions(v, !!v['base-url']) : {};
  if (planning) {
    checkTargetFlags(v, credentials);
    checkRunFlags(v);
  }
  if (v.format !== undefined && !FORMATS.includes(v.format as Format))
    throw new UsageError(`--format must be text or json, got ${JSON.stringify(v.format)}`);
  const options: ConformanceOptions = {
    baseUrl: v['base-url'],
    ...credentials,
    projectId: v['project-id'],
    vpcChannelIds: idList('vpc-channel-id', v['vpc-channel-id']),
    instanceIds: idList('instance-ids', v['instance-ids']),
    seed: integer('seed', v.seed, DEFAULT_SEED, 0),
    reportDir: v['report-dir'] ?? 'reports/out',
    timeoutMs: integer('timeout-ms', v['timeout-ms'], DEFAULT_TIMEOUT_MS, 1),
    waivers: readWaivers(v.waivers, v.waive),
    shard: shardOf(v.shard),
    caseIds: v.case,
    stressRepeats: repeats(v),
    examples: integer('examples', v.examples, 0, 0),
    concurrency: integer('concurrency', v.concurrency, 1, 1),
    noSync: !!v['no-sync'],
    allowSyncAll: !!v['allow-sync-all'],
    failOnSkip: !!v['fail-on-skip'],
    allowShortSecrets: !!v['allow-short-secrets'],
    fault: v.fault,
    harmless: v.harmless,
    progress: process.stderr.isTTY ? 'tty' : 'plain',
    log: (line) => console.error(line),
    network: networkOptions(v, v['base-url']),
  };
  return {
    action,
    options,
    format: (v.format as Format | undefined) ?? 'text',
    dirs,
    help: merging ? MERGE_HELP : HELP,
  };
}

/** --list-cases: the plan as a run would make it before its preflights, one tab-separated line per case. */
async function listCases(o: ConformanceOptions, format: Format): Promise<number> {
  const [{ planGroups, planRun }, { describeTarget }, { skipGroupLines }, { FAMILIES }] = await Promise.all([
    import('../suites/run/plan.ts'),
    import('../suites/run/target.ts'),
    import('../reports/console.ts'),
    import('../generators/families.ts'),
  ]);
  const plan = planRun(o, describeTarget(o));
  if ('problem' in plan) throw new UsageError(plan.problem);
  // `--list-cases | head` closes the pipe early: end quietly, as other command-line tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const rows = plan.cases.map(({ case: c, skip }) => {
    if (format === 'json') {
      const row = { id: c.id, family: c.family, rule: c.ruleId, effect: c.effect, send: !skip, ...skip };
      return `${JSON.stringify({ ...row, description: c.description })}\n`;
    }
    const sent = skip ? `skip\t${c.description}\t${skip.reason}: ${skip.enable}` : `send\t${c.description}`;
    return `${c.id}\t${c.family}\t${c.ruleId}\t${c.effect}\t${sent}\n`;
  });
  for (let k = 0; k < rows.length; k += 500) process.stdout.write(rows.slice(k, k + 500).join(''));
  const count = new Map<string, number>();
  for (const { case: c } of plan.cases) count.set(c.family, (count.get(c.family) ?? 0) + 1);
  const width = Math.max(...[...count.keys()].map((f) => f.length));
  console.error('families (cases, what they vary):');
  for (const [family, n] of [...count].sort(([a], [b]) => (a < b ? -1 : 1)))
    console.error(`  ${family.padEnd(width)} ${String(n).padStart(4)}  ${FAMILIES[family] ?? ''}`);
  const skipped = plan.cases.filter((p) => p.skip).length;
  console.error(`plan: ${plan.cases.length - skipped} to send, ${skipped} to skip`);
  for (const line of skipGroupLines(planGroups(plan))) console.error(line);
  console.error(
    `${plan.cases.length} cases (seed ${o.seed}${o.examples ? `, ${o.examples} examples per family` : ''})`,
  );
  return 0;
}

/** Where a run's outcome goes besides the report files: stdout as JSON, and a CI step summary. */
function publish(format: Format, summary: RunSummary, head: ReportHead | undefined, secrets: string[]): void {
  const safe = redactDeep(summary, secrets);
  if (format === 'json') process.stdout.write(`${JSON.stringify(safe)}\n`);
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, redact(stepSummary(safe, head && redactDeep(head, secrets)), secrets));
  } catch (e) {
    console.error(`conformance: cannot append to GITHUB_STEP_SUMMARY (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

async function main(): Promise<number> {
  // A reader that goes away (`... | head`) changes nothing: the run goes on, and its exit code stands.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  let secrets: string[] = [];
  let format = formatHint(process.argv.slice(2), process.env);
  const couldNotJudge = (reason: string): number => {
    publish(format, runSummary(TOOL, { exitCode: 2, reason: redact(reason, secrets), files: [] }), undefined, secrets);
    return 2;
  };
  try {
    const parsed = optionsFrom(process.argv.slice(2), process.env);
    const { action, options } = parsed;
    format = parsed.format;
    secrets = [
      options.token,
      options.forbiddenToken,
      options.aksk?.key.sk,
      options.aksk?.securityToken,
      options.aksk?.forbidden?.sk,
      options.iam?.password,
      ...(options.network?.secretHeaders ?? []).map(([, value]) => value),
    ].filter((s): s is string => !!s);
    if (action === 'help') return (console.log(parsed.help), 0);
    if (action === 'version') return (console.log(`${TOOL.name} ${TOOL.version}`), 0);
    if (action === 'list') return await listCases(options, format);
    // Loaded only for a run: the stages, the runner and the schemas are the slow part of starting up.
    const result =
      action === 'merge'
        ? await (await import('../suites/run/merge.ts')).mergeShards(parsed.dirs, options.reportDir)
        : await (await import('../suites/run.ts')).runConformance(options);
    if (!result.report) {
      const reason = redact(result.message ?? 'unknown reason', secrets);
      console.error(`conformance: could not judge: ${reason}`);
      return couldNotJudge(reason);
    }
    const head = result.report;
    const { runLines } = await import('../reports/console.ts');
    for (const line of runLines(head)) console.error(redact(line, secrets));
    for (const line of failingRuleLines(head)) console.error(redact(line, secrets));
    for (const f of result.files) console.error(`report: ${f}`);
    publish(format, runSummary(TOOL, { head, exitCode: result.exitCode, files: result.files }), head, secrets);
    return result.exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`conformance: ${redact(e.message, secrets)}`);
      return couldNotJudge(`usage: ${e.message}`);
    }
    console.error(`conformance: internal error: ${redact((e as Error).stack ?? String(e), secrets)}`);
    return couldNotJudge(`internal error: ${(e as Error).message}`);
  }
}

process.exitCode = await main();
