// A TypeScript consumer, type-checked (not run) under the tsconfig `tsc --init` writes: strict,
// exactOptionalPropertyTypes, noUncheckedIndexedAccess, verbatimModuleSyntax. The @ts-expect-error
// lines fail the check if the package's types were missing or `any`.
import {
  type CaseRecord,
  type ConformanceResult,
  type Outcome,
  type ReportHead,
  type RunConformanceOptions,
  runConformance,
} from 'roma-vpc-sync-conformance';
import type { RuleCoverage } from 'roma-vpc-sync-conformance/reports';
import { type RuleEntry, rules, schemas } from 'roma-vpc-sync-conformance/schemas';
import {
  FAULT_NAMES,
  type FaultName,
  HARMLESS_NAMES,
  type HarmlessName,
  type ReferenceServer,
  startReferenceServer,
} from 'roma-vpc-sync-conformance/server';

const fault: FaultName | undefined = FAULT_NAMES[0];
const harmless: HarmlessName[] = [...HARMLESS_NAMES];
const server: ReferenceServer = await startReferenceServer({ harmless });
const options: RunConformanceOptions = {
  baseUrl: server.url,
  token: server.fixtures.token,
  projectId: server.fixtures.projectId,
  reportDir: 'out/typed',
};
const result: ConformanceResult = await runConformance(options);
const exit: 0 | 1 | 2 = result.exitCode;
const head: ReportHead | undefined = result.report;
const failed: RuleCoverage[] = head?.ruleCoverage.filter((r) => r.status === 'failed') ?? [];
const firstRule: RuleEntry | undefined = rules[0];
const describe = (r: CaseRecord): string => `${r.id}: ${r.outcome satisfies Outcome}`;
console.log(fault, exit, failed.length, firstRule?.id, Object.keys(schemas).length, describe);
await server.close();

// @ts-expect-error: not a fault switch of the reference server
const noSuchFault: FaultName = 'no-such-fault';
// @ts-expect-error: the exit code is 0, 1 or 2
const noSuchExit: ConformanceResult['exitCode'] = 3;
// @ts-expect-error: seed is a number
await runConformance({ seed: '1' });
void noSuchFault;
void noSuchExit;
