// The package's API (`import { runConformance } from 'roma-vpc-sync-conformance'`): one conformance run
// from code, its options and result, and the types of the reports it writes. The reference server is
// `roma-vpc-sync-conformance/server`, the compiled contract `roma-vpc-sync-conformance/schemas`.

export {
  type ConformanceOptions,
  type ConformanceResult,
  DEFAULT_OPTIONS,
  type RunConformanceOptions,
  runConformance,
} from './suites/run.ts';
export type { NetworkOptions } from './suites/run/options.ts';
export type { Waiver } from './reports/assemble.ts';
export type { Effect } from './generators/cases.ts';
export { DEFAULT_SEED } from './generators/seed.ts';
export { TOOL } from './schemas/files.ts';
export * from './reports/model.ts';
