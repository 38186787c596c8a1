// Wrong-typed values that a lenient parser coerces back into a valid one and then acts on: derived from
// a schema type and the real value it stands in for, not listed per field. A request carrying one
// breaks the type rule, so a conformant server refuses it; a coercing server syncs, and is caught.

export interface Coercion {
  variant: string;
  value: unknown;
}

/** Stand-ins for `value` (of schema type `type`) that a lenient parser reads as a valid value. */
export function coercionsOf(type: string | undefined, value: unknown): Coercion[] {
  switch (type) {
    case 'boolean':
      return [
        { variant: 'number-1', value: 1 },
        { variant: 'number-0', value: 0 },
        { variant: 'string-true', value: 'true' },
        { variant: 'string-false', value: 'false' },
      ];
    case 'string':
      return [{ variant: 'array-of-one', value: [value] }];
    case 'integer':
    case 'number':
      return [{ variant: 'numeric-string', value: String(value) }];
    case 'array': {
      const list = Array.isArray(value) ? value : [];
      if (!list.length || !list.every((x) => typeof x === 'string')) return [];
      return [
        { variant: 'comma-string', value: list.join(',') },
        { variant: 'single-string', value: list[0] },
      ];
    }
    default:
      return [];
  }
}

/** Stand-ins for the elements of a list of real values: a null among them, or one wrapped in an array. */
export function elementCoercionsOf(list: unknown): Coercion[] {
  if (!Array.isArray(list) || list.length === 0) return [];
  return [
    { variant: 'null-element', value: [...list, null] },
    { variant: 'nested-element', value: [[list[0]], ...list.slice(1)] },
  ];
}
