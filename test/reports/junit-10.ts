// The constraints of the Jenkins xunit-plugin's junit-10.xsd (the strictest common JUnit reader),
// written out as data and checked on a parsed document: which elements may hold which attributes
// (and which are required), which children, and which may hold text. Read from the public schema;
// a document that passes here passes `xmllint --schema junit-10.xsd`.

import { create } from 'xmlbuilder2';

interface Shape {
  required?: string[];
  optional?: string[];
  children?: string[];
  text?: boolean; // mixed content or a plain string element
  time?: string; // an attribute of type SUREFIRE_TIME
}

const OUTCOME: Shape = { optional: ['type', 'message'], text: true };
const RERUN: Shape = {
  required: ['type'],
  optional: ['message'],
  children: ['stackTrace', 'system-out', 'system-err'],
  text: true,
};
const STRING: Shape = { text: true };

export const JUNIT_10: Record<string, Shape> = {
  testsuites: { optional: ['name', 'time', 'tests', 'failures', 'errors'], children: ['testsuite'], time: 'time' },
  testsuite: {
    required: ['name', 'tests', 'failures', 'errors'],
    optional: ['group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'],
    children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'],
    time: 'time',
  },
  properties: { children: ['property'] },
  property: { required: ['name', 'value'] },
  testcase: {
    required: ['name'],
    optional: ['time', 'classname', 'group'],
    children: [
      'skipped',
      'error',
      'failure',
      'rerunFailure',
      'rerunError',
      'flakyFailure',
      'flakyError',
      'system-out',
      'system-err',
    ],
  },
  failure: OUTCOME,
  error: OUTCOME,
  skipped: OUTCOME,
  rerunFailure: RERUN,
  rerunError: RERUN,
  flakyFailure: RERUN,
  flakyError: RERUN,
  stackTrace: STRING,
  'system-out': STRING,
  'system-err': STRING,
};

// SUREFIRE_TIME: digits with optional thousands commas, then an optional fraction.
const SUREFIRE_TIME = /^(?:(?:[0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(?:\.[0-9]*)?$/;

interface Node {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  attributes: ArrayLike<{ name: string; value: string }>;
  childNodes: ArrayLike<Node>;
}

/** Every way `xml` breaks junit-10.xsd, as "path: problem" lines; empty when it conforms. */
export function junit10Problems(xml: string): string[] {
  const root = create(xml).root().node as unknown as Node;
  const problems: string[] = [];
  const visit = (el: Node, path: string) => {
    const shape = JUNIT_10[el.nodeName];
    if (!shape) return problems.push(`${path}: element <${el.nodeName}> is not in junit-10.xsd`);
    const allowed = new Set([...(shape.required ?? []), ...(shape.optional ?? [])]);
    const present = Array.from(el.attributes).map((a) => a.name);
    for (const a of present) if (!allowed.has(a)) problems.push(`${path}: attribute ${a} is not allowed`);
    for (const a of shape.required ?? [])
      if (!present.includes(a)) problems.push(`${path}: attribute ${a} is required`);
    const time = shape.time && Array.from(el.attributes).find((a) => a.name === shape.time);
    if (time && !SUREFIRE_TIME.test(time.value))
      problems.push(`${path}: time ${JSON.stringify(time.value)} is not SUREFIRE_TIME`);
    for (const child of Array.from(el.childNodes)) {
      if (child.nodeType === 1) {
        if (!(shape.children ?? []).includes(child.nodeName))
          problems.push(`${path}: <${child.nodeName}> is not allowed inside <${el.nodeName}>`);
        visit(child, `${path}/${child.nodeName}`);
      } else if ((child.nodeType === 3 || child.nodeType === 4) && !shape.text && /\S/.test(child.nodeValue ?? ''))
        problems.push(`${path}: <${el.nodeName}> may not hold text`);
    }
  };
  if (root.nodeName !== 'testsuites' && root.nodeName !== 'testsuite')
    problems.push(`/${root.nodeName}: the root must be <testsuites> or <testsuite>`);
  visit(root, `/${root.nodeName}`);
  return problems;
}
