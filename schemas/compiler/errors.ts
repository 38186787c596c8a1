// The compiler's refusal: what on the page (or in the errata) it cannot turn into a schema, and why.

export class CompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompileError';
  }
}
