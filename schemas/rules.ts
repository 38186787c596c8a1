// Evaluates the registry's semantic rules (cross-field rules JSON Schema cannot say) on one object.
// Returns a message when the rule is broken, null when it holds or does not apply. A condition on an
// enclosing object is looked up through the place of the object in the whole instance.

import type { RuleExpr } from './compiler/compile.ts';

type Obj = Record<string, unknown>;

/** Where the object being checked sits: the whole instance and the JSON pointer to the object. */
export interface Place {
  root: unknown;
  pointer: string;
}

const segments = (pointer: string) =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** The enclosing object `path` leads down from, when the object at `place` sits at the end of that path. */
function enclosingOf(path: string[], place: Place | undefined): Obj | undefined {
  if (!place) return undefined;
  const at = segments(place.pointer);
  if (at.length < path.length) return undefined;
  const tail = at.slice(at.length - path.length);
  if (!path.every((p, i) => (p === '*' ? /^\d+$/.test(tail[i]) : p === tail[i]))) return undefined;
  let v: unknown = place.root;
  for (const k of at.slice(0, at.length - path.length)) v = (v as Obj | undefined)?.[k];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function breaks(expr: RuleExpr, data: unknown, place?: Place): string | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
  const o = data as Obj;
  switch (expr.op) {
    case 'lt': {
      const [a, b] = [o[expr.left], o[expr.right]];
      if (typeof a !== 'number' || typeof b !== 'number') return null;
      return a < b ? null : `${expr.left} (${a}) must be less than ${expr.right} (${b})`;
    }
    case 'requiredIf': {
      const holder = expr.enclosing ? enclosingOf(expr.enclosing.path, place) : o;
      const when = holder?.[expr.when];
      if (!expr.in.some((v) => v === when) || o[expr.field] !== undefined) return null;
      const whose = expr.enclosing ? ` of the enclosing ${expr.enclosing.object} (${expr.enclosing.table})` : '';
      return `${expr.field} is required when ${expr.when}${whose} is ${String(when)}`;
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

/**
 * Whether a semantic rule applies to one object: every field it speaks of is there (both sides of a
 * comparison; a required-if whose condition holds, on this object or the enclosing one).
 */
export function applies(expr: RuleExpr, data: unknown, place?: Place): boolean {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false;
  const o = data as Obj;
  switch (expr.op) {
    case 'lt':
      return typeof o[expr.left] === 'number' && typeof o[expr.right] === 'number';
    case 'requiredIf': {
      const holder = expr.enclosing ? enclosingOf(expr.enclosing.path, place) : o;
      return holder !== undefined && expr.in.some((v) => v === holder[expr.when]);
    }
    case 'rangesAscending':
      return typeof o[expr.field] === 'string';
  }
}
