// A consumer in plain Node ESM (no TypeScript, no loader): every entry point of the package, then a
// run against the reference server started from the package and one against a fault. Prints one JSON
// line for the test to read.
import { OUTCOMES, runConformance, TOOL } from 'roma-vpc-sync-conformance';
import pkg from 'roma-vpc-sync-conformance/package.json' with { type: 'json' };
import conformanceSchema from 'roma-vpc-sync-conformance/reports/conformance.schema.json' with { type: 'json' };
import { exchangesOf } from 'roma-vpc-sync-conformance/reports';
import { rules, schemas, validateRequestBody } from 'roma-vpc-sync-conformance/schemas';
import openapi from 'roma-vpc-sync-conformance/schemas/openapi.json' with { type: 'json' };
import { FAULTS, HARMLESS_NAMES, startReferenceServer } from 'roma-vpc-sync-conformance/server';

const server = await startReferenceServer({ harmless: [...HARMLESS_NAMES] });
const fx = server.fixtures;
const conformant = await runConformance({
  baseUrl: server.url,
  token: fx.token,
  forbiddenToken: fx.forbiddenToken,
  projectId: fx.projectId,
  vpcChannelIds: [...fx.vpcChannelIds],
  instanceIds: [...fx.instanceIds],
  reportDir: 'out/conformant',
});
await server.close();
const fault = FAULTS.find((f) => f.name === 't5-port-out-of-range');
const faulty = await runConformance({ fault: fault.name, reportDir: 'out/faulty' });

console.log(
  JSON.stringify({
    tool: TOOL,
    version: pkg.version,
    outcomes: OUTCOMES,
    exchangesOf: typeof exchangesOf,
    schemaNames: Object.keys(schemas),
    rules: rules.length,
    emptyBodyViolations: validateRequestBody({ force_sync: 'yes' }).map((v) => v.ruleId),
    openapi: openapi.openapi,
    reportSchema: conformanceSchema.$id ?? conformanceSchema.title,
    conformant: { exitCode: conformant.exitCode, verdict: conformant.report?.verdict, files: conformant.files },
    faulty: {
      exitCode: faulty.exitCode,
      verdict: faulty.report?.verdict,
      rule: fault.ruleId,
      failedRules: faulty.report?.ruleCoverage?.filter((r) => r.status === 'failed').map((r) => r.ruleId),
    },
  }),
);
