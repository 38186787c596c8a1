// The requests of a case, as the engine reads them: apart from the generators, so that the worker that
// sends the cases loads none of what builds them (faker among it).

import type { Case, CaseStep } from './cases.ts';

/** The one request of a case that holds a single one. */
const ONLY: CaseStep = Object.freeze({ label: 'request' });

/** The requests of a case, in the order they are sent. */
export function requestsOf(c: Pick<Case, 'requests'>): readonly CaseStep[] {
  return c.requests?.length ? c.requests : [ONLY];
}
