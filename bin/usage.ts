// A usage or configuration error: one line on stderr and exit 2.
export class UsageError extends Error {}
