// Evaluates the registry's semantic rules (cross-field rules JSON Schema cannot say) on one object.
// Returns a message when the rule is broken, null when it holds or does not apply.

import type { RuleExpr } from './compiler/compile.ts';

type Obj = Record<string, unknown>;

export function breaks(expr: RuleExpr, data: unknown): string | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
  const o = data as Obj;
  switch (expr.op) {
    case 'lt': {
      const [a, b] = [o[expr.left], o[expr.right]];
      if (typeof a !== 'number' || typeof b !== 'number') return null;
      return a < b ? null : `${expr.left} (${a}) must be less than ${expr.right} (${b})`;
    }
    case 'requiredIf': {
      const when = o[expr.when];
      if (typeof when !== 'string' || !expr.in.includes(when)) return null;
      return o[expr.field] === undefined ? `${expr.field} is required when ${expr.when} is ${when}` : null;
    }
    case 'rangesAscending': {
      const v = o[expr.field];
      if (typeof v !== 'string') return null;
      for (const item of v.split(',')) {
        const m = /^(\d+)-(\d+)$/.exec(item);
        if (m && Number(m[1]) > Number(m[2])) return `${expr.field} range "${item}" runs backwards`;
      }
      return null;
    }
  }
}
