// The published JSON Schemas of conformance.json and of the `--format json` summary: they compile
// strictly, accept what the reporters write, describe every field written (so the schema stays the
// documentation), and keep accepting a report frozen at this schemaVersion (a breaking change must
// bump the version and freeze a new sample). Real runs are checked in test/conformance/cli.test.ts.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { renderJson } from '../../reports/json.ts';
import { reportSchemaProblems, undeclaredFields, SUMMARY_SCHEMA, REPORT_SCHEMA } from './report-schema.ts';
import { makeReport } from './fixture.ts';

const frozen = JSON.parse(readFileSync(new URL('./frozen/conformance.v1.json', import.meta.url), 'utf8'));

describe('conformance.schema.json', () => {
  const report = JSON.parse(renderJson(makeReport()));

  test('accepts the JSON reporter output, every field of it declared', () => {
    expect(reportSchemaProblems(report)).toEqual([]);
    expect(undeclaredFields(REPORT_SCHEMA, report)).toEqual([]);
  });

  test('still accepts the report frozen at this schemaVersion', () => {
    expect(frozen.schemaVersion).toBe(REPORT_SCHEMA.properties.schemaVersion.const);
    expect(reportSchemaProblems(frozen)).toEqual([]);
    expect(undeclaredFields(REPORT_SCHEMA, frozen)).toEqual([]);
  });

  test('rejects what breaks it, and names fields it does not describe', () => {
    const broken = structuredClone(report);
    broken.cases[0].outcome = 'green';
    delete broken.ruleCoverage;
    expect(reportSchemaProblems(broken)).toEqual([
      "(root) must have required property 'ruleCoverage'",
      '/cases/0/outcome must be equal to one of the allowed values',
    ]);
    const extra = structuredClone(report);
    extra.cases[1].checks[0].surprise = true;
    expect(undeclaredFields(REPORT_SCHEMA, extra)).toEqual(['/cases/1/checks/0/surprise']);
  });
});

describe('summary.schema.json', () => {
  test('is a strict 2020-12 schema with the same version as the report', () => {
    expect(SUMMARY_SCHEMA.properties.schemaVersion.const).toBe(REPORT_SCHEMA.properties.schemaVersion.const);
  });
});
