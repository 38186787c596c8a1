// `npm run spec:check`: what the page says against itself and against the vendor evidence.
// Validates the page's own examples with the compiled schemas, holds the page-only reading against
// the evidence, and lists contradictions, conflicts and sentences left for human review.
// `--page FILE [--errata FILE] [--evidence FILE]` checks any page in this layout (no evidence unless
// given). Exits 0 whenever it ran, whatever it found; 2 for a usage error or a page it cannot read.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readErrata, readPage, readText, SEED_ERRATA, SEED_PAGE, UsageError } from './build.ts';
import { type Compiled, CompileError, compile, type Errata, type JsonSchema } from './compiler/compile.ts';
import { PageFormatError } from './compiler/parse-page.ts';
import { createValidators, type Validators } from './validator.ts';

import { SEED_EVIDENCE } from './files.ts';

export { SEED_EVIDENCE };

export interface Finding {
  id: string;
  kind: 'example' | 'evidence' | 'conflict' | 'description' | 'review' | 'observation';
  table: string;
  parameter: string;
  page: string; // the page's words (the table side)
  other: string; // the other side's words: the example's value, the evidence, the other sentence
  verdict: 'contradiction' | 'page silent' | 'agrees' | 'for review' | 'observation';
  decidedBy?: string; // the errata entry that settles it
}

interface EvidenceFact {
  id: string;
  object: string;
  fields: string[];
  claim: {
    required?: boolean;
    enum?: unknown[];
    format?: string;
    pattern?: string;
    minLength?: number;
    maxLength?: number;
    minimum?: null;
    maximum?: null;
    type?: string;
    requiredIf?: { when: string; in: string[] };
    lt?: string;
  };
  source: string;
  words: string;
}

function exampleFindings(c: Compiled, errata: Errata, v: Validators): Finding[] {
  const out: Finding[] = [];
  const rule = (id: string) => c.registry.find((r) => r.id === id)!;
  const seen = new Set<string>();
  for (const ex of c.operation.examples) {
    const schemaName = ex.kind === 'request' ? c.operation.request.body : c.operation.responses[String(ex.status)];
    if (!schemaName) continue;
    const label = ex.kind === 'request' ? 'request' : String(ex.status);
    for (const x of v.validate(schemaName, ex.json)) {
      const id = `example.${label}.${x.parameter}`;
      if (seen.has(`${id}.${x.ruleId}`)) continue;
      seen.add(`${id}.${x.ruleId}`);
      out.push({
        id,
        kind: 'example',
        table: x.table,
        parameter: x.parameter,
        page: `${x.table} ${x.parameter}: ${rule(x.ruleId)?.text ?? x.text} [${x.ruleId}]`,
        other: `Example ${ex.kind} (status ${ex.status ?? '-'}, page line ${ex.line}): ${x.message}`,
        verdict: 'contradiction',
        decidedBy: errata.decisions.find((d) => d.finding === id)?.decision,
      });
    }
  }
  out.push(...parameterNameFindings(c, errata));
  out.push(...orderFindings(c));
  return out;
}

/**
 * An error example names a parameter ("parameterName:id"); does the request body know it, and is it
 * mandatory there? A page without a request body has nothing to hold it against.
 */
function parameterNameFindings(c: Compiled, errata: Errata): Finding[] {
  const out: Finding[] = [];
  const body = c.operation.request.body;
  if (!body) return out;
  const table = c.operation.objects[body].table;
  const bodyProps = c.schemas[body].properties as Record<string, JsonSchema>;
  const required = (c.schemas[body].required ?? []) as string[];
  for (const ex of c.operation.examples.filter((e) => e.kind === 'response')) {
    const msg = String((ex.json as { error_msg?: unknown })?.error_msg ?? '');
    const m = /parameterName:\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(msg);
    if (!m || required.includes(m[1])) continue;
    const id = `example.${ex.status}.parameterName`;
    out.push({
      id,
      kind: 'example',
      table,
      parameter: m[1],
      page: bodyProps[m[1]]
        ? `${table}: ${m[1]} is optional`
        : `${table} has no parameter "${m[1]}"; its parameters are ${Object.keys(bodyProps).join(', ')}${required.length ? '' : ', none mandatory'}`,
      other: `Example ${ex.status} error_msg: "${msg}"`,
      verdict: 'contradiction',
      decidedBy: errata.decisions.find((d) => d.finding === id)?.decision,
    });
  }
  return out;
}

/** Does the example answer in the order it asked? (The seed's operation: instance_ids -> entries.) */
function orderFindings(c: Compiled): Finding[] {
  const out: Finding[] = [];
  const req = c.operation.examples.find((e) => e.kind === 'request')?.json as { instance_ids?: string[] } | undefined;
  const res = c.operation.examples.find((e) => e.kind === 'response' && e.status === 201)?.json as
    | { project_vpc_channels?: { instance_id?: string }[] }
    | undefined;
  const asked = req?.instance_ids ?? [];
  const answered = (res?.project_vpc_channels ?? [])
    .map((e) => e.instance_id)
    .filter((x): x is string => typeof x === 'string');
  if (asked.length && answered.length && asked.join() !== answered.join()) {
    out.push({
      id: 'example.201.order',
      kind: 'observation',
      table: 'Table 4',
      parameter: 'project_vpc_channels',
      page: `Example request instance_ids: ${asked.join(', ')}`,
      other: `Example 201 answers instance_id in the order ${answered.join(', ')}`,
      verdict: 'observation',
      decidedBy: 'Policy 3: the order of entries is not fixed; no check relies on it.',
    });
  }
  return out;
}

/**
 * Whether a description says what its name says: a *_time is described as a time, an id as an ID,
 * and a thing_id as the ID of that thing (a word of "vpc_channel" in "VPC channel ID").
 */
function describesItsName(parameter: string, description: string): boolean {
  if (/_time$/.test(parameter)) return /\btime\b/i.test(description);
  if (!/(^|_)id$/.test(parameter)) return true;
  if (!/\bID\b/.test(description)) return false;
  const owner = parameter.split('_').slice(0, -1);
  return owner.length === 0 || owner.some((w) => description.toLowerCase().includes(w));
}

/** A row whose description does not mention what its name says it is (an id described as a time...). */
function descriptionFindings(c: Compiled): Finding[] {
  const out: Finding[] = [];
  for (const t of c.page.tables) {
    const odd = t.rows.filter((r) => !describesItsName(r.parameter, r.description.map((d) => d.text).join(' ')));
    if (odd.length === 0) continue;
    const neighbours = odd.filter((r) => {
      const i = t.rows.indexOf(r);
      const text = r.description
        .map((d) => d.text)
        .join(' ')
        .toLowerCase();
      return [t.rows[i - 1], t.rows[i + 1]].some((n) =>
        n?.parameter.split('_').every((w) => text.includes(w === 'id' ? 'id' : w)),
      );
    });
    out.push({
      id: `${t.id}.${neighbours.length ? 'shifted_descriptions' : 'odd_descriptions'}`,
      kind: 'description',
      table: t.name,
      parameter: odd.map((r) => r.parameter).join(', '),
      page: odd.map((r) => `${r.parameter}: "${r.description[0].text}"`).join('; '),
      other: neighbours.length
        ? `descriptions fit a neighbouring row: ${neighbours.map((r) => r.parameter).join(', ')} (shifted by one row)`
        : 'the description does not say what the name says',
      verdict: neighbours.length ? 'contradiction' : 'observation',
    });
  }
  return out;
}

function evidenceFindings(pageOnly: Compiled, facts: EvidenceFact[], errata: Errata): Finding[] {
  const out: Finding[] = [];
  for (const f of facts) {
    const names = Object.entries(pageOnly.operation.objects).filter(([n]) => f.object === '*' || n === f.object);
    for (const [name, { table }] of names) {
      const s = pageOnly.schemas[name];
      const props = s.properties as Record<string, JsonSchema>;
      for (const field of f.fields) {
        const p = props[field];
        if (!p) continue;
        const tableId = table.replace('Table ', 'table');
        const pageSays: string[] = [];
        let verdict: Finding['verdict'] = 'agrees';
        const differ = (said: string, silent: boolean) => {
          pageSays.push(said);
          if (silent && verdict === 'agrees') verdict = 'page silent';
          else if (!silent) verdict = 'contradiction';
        };
        const cl = f.claim;
        if (cl.required) {
          const req = ((s.required as string[]) ?? []).includes(field);
          if (!req) differ(`${field}: no Mandatory column (optional)`, true);
        }
        for (const k of ['enum', 'format', 'pattern', 'minLength', 'maxLength', 'type'] as const) {
          if (cl[k] === undefined) continue;
          if (JSON.stringify(p[k]) !== JSON.stringify(cl[k]))
            differ(`${k}: ${p[k] === undefined ? '(not stated)' : JSON.stringify(p[k])}`, p[k] === undefined);
        }
        if (cl.minimum === null && (p.minimum !== undefined || p.maximum !== undefined))
          differ(`${p.minimum} to ${p.maximum}`, false);
        const ruleFor = (suffix: string) => pageOnly.registry.find((r) => r.id === `${tableId}.${field}.${suffix}`);
        if (cl.requiredIf) {
          const r = ruleFor(`required_if_${cl.requiredIf.when}`);
          const pageIn = r?.expr?.op === 'requiredIf' ? r.expr.in : undefined;
          if (!pageIn) differ(`(no rule)`, true);
          else if (pageIn.join() !== cl.requiredIf.in.join())
            differ(`"${r!.text}" (read as ${cl.requiredIf.when} in ${pageIn.join(', ')})`, false);
        }
        if (cl.lt && !ruleFor(`lt_${cl.lt}`)) differ('(no rule)', true);
        if (verdict === 'agrees') continue;
        const decided =
          errata.decisions.find((d) => d.finding === f.id)?.decision ??
          (cl.required
            ? errata.required.find((r) => r.table === table && r.properties.includes(field))?.reason
            : undefined) ??
          errata.overrides.find(
            (o) =>
              (o.table === table || o.table === '*') &&
              o.parameters.includes(field) &&
              Object.keys(o.set).some((k) => k in cl),
          )?.reason ??
          (cl.requiredIf
            ? errata.rules.find((r) => r.id === `${tableId}.${field}.required_if_${cl.requiredIf!.when}`)?.reason
            : undefined);
        out.push({
          id: f.id,
          kind: 'evidence',
          table,
          parameter: field,
          page: pageSays.join('; '),
          other: `${f.source}: ${f.words}`,
          verdict,
          decidedBy: decided,
        });
      }
    }
  }
  return out;
}

export interface SpecInput {
  page?: string; // a page file; the repo's spec/page.txt by default
  errata?: string; // the repo's spec/errata.json for the repo's page, none for another page, unless given
  evidence?: string; // the repo's spec/evidence.json for the repo's page, none for another page, unless given
}

function readEvidence(file: string | undefined): EvidenceFact[] {
  if (!file) return [];
  try {
    const facts = (JSON.parse(readText(file, 'evidence')) as { facts?: unknown }).facts;
    if (!Array.isArray(facts)) throw new UsageError(`evidence ${file}: expected {"facts": [...]}`);
    return facts as EvidenceFact[];
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`evidence ${file}: ${(e as Error).message}`);
  }
}

/** A conflict the errata decide is settled; an undecided one says how the suite reads it until they do. */
function conflictFinding(k: Compiled['conflicts'][number]): Finding {
  return {
    id: `conflict.${k.id}`,
    kind: 'conflict',
    table: k.table,
    parameter: k.parameter,
    page: k.sides.map((s) => `"${s.text}" (line ${s.line}) = ${s.value}`).join(' vs '),
    other: k.decided === false ? k.reason : `resolved to ${k.resolvedTo}`,
    verdict: 'contradiction',
    decidedBy: k.decided === false ? undefined : k.reason,
  };
}

/** The URI's {placeholders} against the rows of the path parameters table. */
function uriFindings(c: Compiled): Finding[] {
  const inUri = [...c.operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const name = c.operation.request.path;
  const documented = name ? Object.keys(c.schemas[name].properties as object) : [];
  const table = name ? c.operation.objects[name].table : 'URI';
  const undocumented = inUri.filter((p) => !documented.includes(p));
  const absent = documented.filter((p) => !inUri.includes(p));
  if (!undocumented.length && !absent.length) return [];
  return [
    {
      id: 'uri.path_parameters',
      kind: 'observation',
      table,
      parameter: [...undocumented, ...absent].join(', '),
      page: `${c.operation.method} ${c.operation.path}`,
      other: [
        undocumented.length ? `not documented in a path parameters table: ${undocumented.join(', ')}` : '',
        absent.length ? `documented but not in the URI: ${absent.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
      verdict: 'contradiction',
    },
  ];
}

export function specFindings(input: SpecInput = {}): { findings: Finding[]; summary: Record<string, number> } {
  const seed = input.page === undefined;
  const page = readPage(input.page ?? SEED_PAGE);
  const errata = readErrata(input.errata ?? (seed ? SEED_ERRATA : undefined));
  const facts = readEvidence(input.evidence ?? (seed ? SEED_EVIDENCE : undefined));
  const full = compile(page, errata);
  // The page alone: no human decisions beyond the conflicts the compiler cannot settle by itself.
  const pageOnly = compile(page, { ...errata, required: [], overrides: [], rules: [] });
  const findings: Finding[] = [
    ...exampleFindings(full, errata, createValidators(full.schemas, full.registry)),
    ...full.conflicts.map(conflictFinding),
    ...uriFindings(full),
    ...descriptionFindings(full),
    ...evidenceFindings(pageOnly, facts, errata),
    ...full.registry
      .filter((r) => (r.keyword === 'minLength' || r.keyword === 'maxLength') && /^(Minimum|Maximum):/.test(r.text))
      .map<Finding>((r) => ({
        id: `lengths.${r.id}`,
        kind: 'observation',
        table: r.table,
        parameter: r.parameter,
        page: r.text,
        other: `under a String, read as ${r.keyword} ${r.value}`,
        verdict: 'observation',
      })),
    ...full.review.map<Finding>((r) => ({
      id: `review.${r.table.replace(/\s+/g, '').toLowerCase()}.${r.parameter}`,
      kind: 'review',
      table: r.table,
      parameter: r.parameter,
      page: r.text,
      other: r.why,
      verdict: 'for review',
    })),
  ];
  // A decision recorded by finding id settles any finding that carries no decision of its own.
  for (const f of findings) f.decidedBy ??= errata.decisions.find((d) => d.finding === f.id)?.decision;
  const summary: Record<string, number> = {};
  for (const f of findings) summary[f.verdict] = (summary[f.verdict] ?? 0) + 1;
  return { findings, summary };
}

const USAGE = `usage: npm run spec:check -- [--page FILE] [--errata FILE] [--evidence FILE] [--json]

  (no flags)       check spec/page.txt with spec/errata.json and spec/evidence.json
  --page FILE      check another reference page in this layout (no errata or evidence unless given)
  --errata FILE    human decisions to apply
  --evidence FILE  vendor facts to hold the page against ({"facts": [...]}, as spec/evidence.json)
  --json           print the findings as JSON`;

function main(): void {
  let v: { page?: string; errata?: string; evidence?: string; json?: boolean; help?: boolean };
  try {
    v = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        page: { type: 'string' },
        errata: { type: 'string' },
        evidence: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    console.error(`spec:check: ${(e as Error).message}`);
    process.exitCode = 2;
    return;
  }
  if (v.help) return void console.log(USAGE);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const at = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p));
  let result: ReturnType<typeof specFindings>;
  try {
    result = specFindings({ page: at(v.page), errata: at(v.errata), evidence: at(v.evidence) });
  } catch (e) {
    if (e instanceof UsageError || e instanceof PageFormatError || e instanceof CompileError) {
      console.error(`spec:check: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
  const { findings, summary } = result;
  if (v.json) {
    console.log(JSON.stringify({ findings, summary }, null, 2));
    return;
  }
  console.log(
    `spec check: ${findings.length} findings (${Object.entries(summary)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')})\n`,
  );
  for (const f of findings) {
    console.log(`[${f.verdict}] ${f.id}  (${f.table}, ${f.parameter})`);
    console.log(`    page:  ${f.page}`);
    console.log(`    other: ${f.other}`);
    if (f.decidedBy) console.log(`    decided: ${f.decidedBy}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
