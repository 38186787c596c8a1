// What a run is asked to do and what it answers: the options every stage reads its part of, and
// the result the composition returns.

import type { Waiver } from '../../reports/assemble.ts';
import type { AkSkCredentials, IamLogin } from '../engine/credentials.ts';
import type { Rate } from '../engine/pace.ts';
import type { Tls } from '../engine/transport.ts';
import type { ReportHead } from '../../reports/model.ts';
import { DEFAULT_SEED } from '../../generators/default-seed.ts';

/** --timeout-ms when it is not given. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ConformanceOptions {
  baseUrl?: string; // absent: the embedded reference server
  token?: string; // token mode
  forbiddenToken?: string;
  aksk?: AkSkCredentials; // AK/SK mode
  iam?: Omit<IamLogin, 'projectId' | 'proxy'>; // IAM mode: a token is obtained before the run
  projectId?: string;
  vpcChannelIds?: string[];
  instanceIds?: string[];
  seed: number;
  reportDir: string;
  timeoutMs: number;
  waivers: Waiver[];
  caseIds?: string[];
  stressRepeats?: number; // --repeat: seeded repetitions of a valid request
  examples?: number; // --examples: seeded variants per case family
  noSync?: boolean; // send only cases a conformant server must refuse (effect "none")
  allowSyncAll?: boolean; // with baseUrl: also send cases that would sync what the user did not name
  failOnSkip?: boolean; // any skipped case makes the run exit 2
  allowShortSecrets?: boolean; // go on with a secret too short to redact inside text (else exit 2)
  fault?: string; // embedded reference server only: start it with this fault
  harmless?: string[]; // embedded reference server only: harmless switches (variations the page allows)
  progress: 'tty' | 'plain' | 'silent';
  log: (line: string) => void;
  maxBodyBytes?: number;
  retry?: { attempts: number; maxWaitMs: number };
  shard?: { index: number; count: number }; // --shard i/n: run only the i-th of n slices of the cases
  network?: NetworkOptions;
  concurrency?: number; // cases in flight at once; default 1
}

/** How requests reach a remote target (the embedded reference server is always reached directly). */
export interface NetworkOptions {
  proxy?: string; // --proxy; without it the environment's proxy variables decide
  tls?: Tls;
  headers?: [string, string][]; // --header
  secretHeaders?: [string, string][]; // --secret-header: values redacted everywhere
  rateLimit?: Rate;
}

export interface ConformanceResult {
  exitCode: 0 | 1 | 2;
  report?: ReportHead; // the report without its case records (they are in the report files)
  files: string[];
  message?: string; // why the run could not judge (exit 2 before any case)
}

/** What a caller of runConformance may leave out, and what it then gets (the CLI's defaults). */
export const DEFAULT_OPTIONS = {
  seed: DEFAULT_SEED,
  reportDir: 'reports/out',
  timeoutMs: 10_000,
  waivers: [],
  progress: 'silent',
  log: () => {},
} as const satisfies Partial<ConformanceOptions>;

/** The options of the API: every field has a default (the embedded reference server, seed, report dir, ...). */
export type RunConformanceOptions = Partial<ConformanceOptions>;

export const withDefaults = (o: RunConformanceOptions): ConformanceOptions => ({
  ...DEFAULT_OPTIONS,
  waivers: [],
  ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
});
