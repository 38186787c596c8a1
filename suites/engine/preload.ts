// Imported by the worker thread before vitest's own code (its --import), when the run executes the
// built JavaScript: what the suites need besides vitest then loads natively. On Node 20 vitest sends
// every import made after it starts through a module-hooks thread, one round trip per import; the
// suites then find these modules already loaded.

await Promise.all(
  [
    './run-case.ts',
    './schedule.ts',
    './pace.ts',
    './config.ts',
    './breaker.ts',
    './credential-check.ts',
    '../../reports/jsonl.ts',
  ].map((m) => import(m)),
);
