// The ambiguity policy as the code cites it: docs/POLICY.md, numbered. Every reason that rests on a
// policy says which and where, so a reader of any report can look it up in the tool itself.

export const POLICY_DOC = 'docs/POLICY.md';
export const POLICY_COUNT = 9;

/** "policy 4 (docs/POLICY.md)": the citation of one numbered policy. */
export function policy(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > POLICY_COUNT) throw new Error(`no policy ${n} in ${POLICY_DOC}`);
  return `policy ${n}, ${POLICY_DOC}`;
}
