// Every curl line of a default run (and of a deep one) is runnable as printed: run through bash
// against a recording server on loopback, it sends the case's exact body bytes and headers, and it
// references no file (a body too long for a line is the tool's own line instead).

import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCases, requestsOf } from '../../generators/cases.ts';
import { DEFAULT_SEED } from '../../generators/seed.ts';
import { DEFAULT_FIXTURES } from '../../server/index.ts';
import type { Target } from '../../suites/engine/http.ts';
import { TOOL_COMMAND } from '../../suites/engine/reproduce.ts';
import { CURL_BODY_LIMIT, curlFor, wireRequest } from '../../suites/engine/run-case.ts';

interface Received {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
let server: http.Server;
let url = '';
const received = new Map<string, Received>();
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.set(String(req.headers['x-probe']), {
        method: req.method!,
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const fx = DEFAULT_FIXTURES;
const target = (probe: string): Target => ({
  baseUrl: url,
  projectId: fx.projectId,
  token: fx.token,
  forbiddenToken: fx.forbiddenToken,
  headers: [['X-Probe', probe]],
  timeoutMs: 5000,
  maxBodyBytes: 1 << 20,
  retry: { attempts: 1, maxWaitMs: 0 },
});

const bash = (line: string) =>
  new Promise<string>((resolve, reject) =>
    execFile(
      'bash',
      ['-c', `${line} >/dev/null`],
      { env: { PATH: process.env.PATH, TOKEN: fx.token, FORBIDDEN_TOKEN: fx.forbiddenToken }, maxBuffer: 1 << 26 },
      (e, _o, stderr) => (e ? reject(new Error(`${stderr}\n${line.slice(0, 300)}`)) : resolve(stderr)),
    ),
  );

// Headers curl sets itself (Accept-Encoding through --compressed).
const CURL_SETS = new Set(['host', 'content-length', 'connection', 'accept-encoding']);

describe('curl lines', () => {
  for (const examples of [0, 2])
    test(`every request of the ${examples ? 'deep' : 'default'} run, run as printed, sends the case's bytes and headers`, async () => {
      const cases = buildCases({
        seed: DEFAULT_SEED,
        vpcChannelIds: [...fx.vpcChannelIds],
        instanceIds: [...fx.instanceIds],
        hasForbiddenToken: true,
        examples,
      });
      const lines: { probe: string; line: string; w: ReturnType<typeof wireRequest> }[] = [];
      let tool = 0;
      for (const c of cases)
        for (const [k, step] of requestsOf(c).entries()) {
          const probe = `${c.id}#${k}`;
          const t = target(probe);
          const w = wireRequest(c, t, step);
          const line = curlFor(w, t, c, DEFAULT_SEED);
          // No file: the body is in the line (--data-raw reads no @file; --data-binary only @-, printf's output).
          expect(line, probe).not.toMatch(
            /--data-binary @(?!- |-$)| (-d|--data|--data-urlencode|-F|--form|-T|--upload-file|-K|--config) /,
          );
          if (!line.startsWith(TOOL_COMMAND)) lines.push({ probe, line, w });
          else {
            expect(Buffer.byteLength(w.body ?? '')).toBeGreaterThan(CURL_BODY_LIMIT);
            tool++;
          }
        }
      const queue = [...lines];
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) await bash(next.line);
        }),
      );
      for (const { probe, w } of lines) {
        const got = received.get(probe);
        expect(got, probe).toBeDefined();
        expect(got!.method).toBe(w.method);
        expect(got!.body.equals(Buffer.from(w.body ?? '', 'utf8')), `${probe}: body bytes`).toBe(true);
        const sent = Object.fromEntries(Object.entries(w.headers).map(([n, v]) => [n.toLowerCase(), v]));
        for (const [name, value] of Object.entries(sent))
          if (!CURL_SETS.has(name)) expect(got!.headers[name], `${probe}: ${name}`).toBe(value);
        if (!('content-type' in sent))
          expect(got!.headers['content-type'], `${probe}: no Content-Type`).toBeUndefined();
      }
      const ran = lines.length;
      expect(ran).toBeGreaterThan(cases.length);
      expect(tool).toBe(0); // no default body is too long for a line today
    }, 180_000);

  test("a body too long for a line: the tool's own line, which makes it again from the seed", () => {
    const [c] = buildCases({ seed: 5, vpcChannelIds: ['c'], instanceIds: ['i'], hasForbiddenToken: true });
    const big = { ...c, id: 'robustness.big', body: { json: { vpc_channel_id: 'a'.repeat(CURL_BODY_LIMIT + 1) } } };
    const t = { ...target('big'), reproduce: '--fault x --seed 5 --examples 2' };
    const line = curlFor(wireRequest(big, t), t, big, 5);
    expect(line).toMatch(
      /^npx roma-vpc-sync-conformance --fault x --seed 5 --examples 2 --case 'robustness.big' {2}# the body is \d+ bytes/,
    );
  });
});
