// Failing and warning cases grouped by the rule they break, for the human reports (Markdown, HTML).
// An item is one failing (or warning) check of one case, without the case, so grouping a run of any
// size holds a few strings per failing check.

import type { CaseRecord, Citation } from './model.ts';
import { byCodeUnit } from './stream.ts';

/** One failing (or warning) check of one case, without the case. */
export interface Item {
  id: string;
  check: string;
  rule: Citation;
  status: string;
  messages: string[];
}
export interface Group {
  rule: Citation;
  items: Item[];
}

const statusOf = (c: CaseRecord): string => (c.response ? `status ${c.response.status}` : 'no response');

/** One item per failing (or warning) check; cases without such a check yield one item on their own rule. */
export function itemsOf(c: CaseRecord, checkOutcome: 'failed' | 'warning'): Item[] {
  const bad = c.checks.filter((r) => r.outcome === checkOutcome);
  const status = statusOf(c);
  if ((c.outcome === 'failed' || c.outcome === 'warning') && bad.length > 0) {
    return bad.map((r) => ({
      id: c.id,
      check: r.check,
      rule: r.citations[0] ?? c.rule,
      status,
      messages: r.messages.length ? r.messages : [`${r.check} ${checkOutcome}`],
    }));
  }
  return [
    {
      id: c.id,
      check: c.outcome,
      rule: c.rule,
      status,
      messages: c.failures.length ? c.failures : [c.reason ?? c.outcome],
    },
  ];
}

export function groupByRule(items: Item[]): Group[] {
  const groups = new Map<string, Group>();
  for (const it of items) {
    const g = groups.get(it.rule.ruleId) ?? { rule: it.rule, items: [] };
    g.items.push(it);
    groups.set(it.rule.ruleId, g);
  }
  // Rules broken by the most cases first; ties by rule id so the order is stable.
  const size = (g: Group) => new Set(g.items.map((it) => it.id)).size;
  return [...groups.values()].sort((a, b) => size(b) - size(a) || byCodeUnit(a.rule.ruleId, b.rule.ruleId));
}

/** (check, status) pairs with the number of distinct cases that hit each, most cases first. */
export function checkCounts(items: readonly Item[]): { check: string; status: string; cases: number }[] {
  const seen = new Map<string, { check: string; status: string; cases: Set<string> }>();
  for (const it of items) {
    const key = `${it.check}\u0000${it.status}`;
    const e = seen.get(key) ?? { check: it.check, status: it.status, cases: new Set<string>() };
    e.cases.add(it.id);
    seen.set(key, e);
  }
  return [...seen.values()]
    .sort((a, b) => b.cases.size - a.cases.size || byCodeUnit(a.check, b.check) || byCodeUnit(a.status, b.status))
    .map((e) => ({ check: e.check, status: e.status, cases: e.cases.size }));
}

/** The distinct case ids of a group, in the order first seen (case-id order). */
export const caseIdsOf = (items: readonly Item[]): string[] => [...new Set(items.map((it) => it.id))];
