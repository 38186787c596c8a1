// The CLI on real networks, on loopback: proxies from the environment (either letter case, NO_PROXY)
// and --proxy, a self-signed HTTPS front (with --ca, without, with --insecure), extra and secret
// headers, and --rate-limit counted at the server.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunReport } from '../../reports/model.ts';
import { startReferenceServer, type ReferenceServer } from '../../server/index.ts';
import { forwardProxy, httpsFront, makeCerts, recordingFront, type Certs } from '../engine/fronts.ts';
import { reportSchemaProblems } from '../reports/report-schema.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Proxy variables of the machine running the tests must not leak into these runs.
const PROXY_VARS = ['http_proxy', 'https_proxy', 'no_proxy', 'all_proxy'].flatMap((v) => [v, v.toUpperCase()]);

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !PROXY_VARS.includes(k)));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'conformance.js'), ...args], {
      cwd: root,
      env: { ...clean, ...env, CI: 'true' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

let server: ReferenceServer;
let certs: Certs;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'conformance-net-'));
  dirs.push(d);
  return d;
};
beforeAll(async () => {
  server = await startReferenceServer();
  certs = makeCerts();
});
afterAll(async () => {
  await server.close();
  certs.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const report = (dir: string) => JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as RunReport;
const everything = (dir: string, out: string) =>
  ['conformance.json', 'junit.xml', 'conformance.md'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n') + out;
/** Requests a run sent: one per recorded exchange, and the preflight. */
// The preflights (one per credential given) and every request of every case.
const requestsOf = (r: RunReport) =>
  r.preflight.length + r.cases.reduce((n, c) => n + (c.exchanges?.length ?? (c.request ? 1 : 0)), 0);

const remote = (url: string, dir: string) => [
  '--base-url',
  url,
  '--token',
  server.fixtures.token,
  '--forbidden-token',
  server.fixtures.forbiddenToken,
  '--project-id',
  server.fixtures.projectId,
  '--vpc-channel-id',
  server.fixtures.vpcChannelIds[0],
  '--instance-ids',
  server.fixtures.instanceIds.join(','),
  '--case',
  'auth.*',
  '--report-dir',
  dir,
];

describe('proxies', () => {
  test.each([['HTTP_PROXY'], ['http_proxy']])('%s carries every request to a remote target', async (name) => {
    const proxy = await forwardProxy();
    try {
      const dir = tmp();
      const r = await cli(remote(server.url, dir), { [name]: proxy.url });
      expect(r.code, r.out).toBe(0);
      expect(proxy.carried.length).toBe(requestsOf(report(dir)));
      expect(proxy.carried.length).toBeGreaterThan(3);
      expect(r.out).toContain(`via proxy ${proxy.url}`);
    } finally {
      await proxy.close();
    }
  });

  test('NO_PROXY (either case) exempts the target; the embedded server never uses a proxy', async () => {
    const proxy = await forwardProxy();
    try {
      for (const noProxy of ['NO_PROXY', 'no_proxy']) {
        const dir = tmp();
        const r = await cli(remote(server.url, dir), { HTTP_PROXY: proxy.url, [noProxy]: '127.0.0.1' });
        expect(r.code, r.out).toBe(0);
      }
      const embedded = await cli(['--case', 'auth.*', '--report-dir', tmp()], { HTTP_PROXY: proxy.url });
      expect(embedded.code, embedded.out).toBe(0);
      expect(proxy.carried).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  test('--proxy carries them without any variable, and its password is never shown', async () => {
    const proxy = await forwardProxy();
    try {
      const dir = tmp();
      const withUser = proxy.url.replace('//', '//alice:s3cret-proxy-pw@');
      const r = await cli([...remote(server.url, dir), '--proxy', withUser]);
      expect(r.code, r.out).toBe(0);
      expect(proxy.carried.length).toBe(requestsOf(report(dir)));
      expect(everything(dir, r.out)).not.toContain('s3cret-proxy-pw');
    } finally {
      await proxy.close();
    }
  });
});

describe('a proxy that refuses', () => {
  test('a 407 at the preflight is a configuration failure (exit 2), the right password passes an IP-only certificate', async () => {
    const proxy = await forwardProxy({ auth: 'puser:right-pw-42' });
    const front = await httpsFront(certs, server.url);
    try {
      const https = [...remote(front.url, tmp()), '--ca', certs.caFile];
      const wrong = await cli(https, { HTTPS_PROXY: proxy.url.replace('//', '//puser:wr0ng-pw@') });
      expect(wrong.code, wrong.out).toBe(2);
      expect(wrong.out).toMatch(
        /could not judge: the proxy refused the credentials \(407\): check --proxy \/ HTTPS_PROXY/,
      );
      const http = await cli([...remote(server.url, tmp()), '--proxy', proxy.url.replace('//', '//puser:wr0ng-pw@')]);
      expect(http.code, http.out).toBe(2);
      expect(http.out).toMatch(
        /could not judge: the proxy refused the credentials \(407\): check --proxy \/ HTTP_PROXY/,
      );
      for (const out of [wrong.out, http.out]) {
        expect(out).not.toContain('wr0ng-pw');
        expect(out).not.toMatch(/got 407|not_conformant/);
      }
      const dir = tmp();
      const right = await cli([...remote(front.url, dir), '--ca', certs.caFile], {
        https_proxy: proxy.url.replace('//', '//puser:right-pw-42@'),
      });
      expect(right.code, right.out).toBe(0); // through the tunnel, the certificate for IP:127.0.0.1 is for this target
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(everything(dir, right.out)).not.toContain('right-pw');
    } finally {
      await front.close();
      await proxy.close();
    }
  });

  test('a 407 mid-run ends the run as could-not-judge, never as the API failing', async () => {
    const carried = 6; // the preflights, then cases; 407 to everything after
    const proxy = await forwardProxy({ refuseAfter: carried });
    try {
      const dir = tmp();
      const r = await cli([...remote(server.url, dir), '--proxy', proxy.url]);
      expect(r.code, r.out).toBe(2);
      const rep = report(dir);
      expect(reportSchemaProblems(rep)).toEqual([]);
      expect(rep.summary.failed).toBe(0);
      const judged = carried - rep.preflight.length;
      expect(judged).toBeGreaterThan(0);
      expect(rep.summary.passed).toBe(judged);
      expect(rep.inconclusiveReason).toBe('the proxy refused the credentials (407): check --proxy / HTTP_PROXY');
      const stopped = rep.cases.filter((c) => c.outcome === 'not_run');
      expect(stopped.length).toBe(rep.cases.length - judged);
      expect(stopped.every((c) => c.inconclusive === 'proxy' && /--proxy/.test(c.enable ?? ''))).toBe(true);
      expect(proxy.refused).toBe(1);
      expect(r.out).not.toMatch(/got 407/);
    } finally {
      await proxy.close();
    }
  });
});

describe('a self-signed HTTPS front', () => {
  test('without --ca: exit 2 with a line that names the fix; with --ca: exit 0', async () => {
    const front = await httpsFront(certs, server.url);
    try {
      const bare = await cli(remote(front.url, tmp()));
      expect(bare.code).toBe(2);
      expect(bare.out).toMatch(/could not judge: .*TLS failed: .*--ca FILE.*--insecure/);
      const dir = tmp();
      const trusted = await cli([...remote(front.url, dir), '--ca', certs.caFile]);
      expect(trusted.code, trusted.out).toBe(0);
      expect(report(dir).warnings).toEqual([]);
    } finally {
      await front.close();
    }
  });

  test('--insecure: exit 0, and every report says at its top that nothing was verified', async () => {
    const front = await httpsFront(certs, server.url);
    try {
      const dir = tmp();
      const r = await cli([...remote(front.url, dir), '--insecure']);
      expect(r.code, r.out).toBe(0);
      expect(report(dir).warnings).toEqual([expect.stringMatching(/--insecure/)]);
      const md = readFileSync(join(dir, 'conformance.md'), 'utf8');
      expect(md.split('\n').slice(0, 8).join('\n')).toMatch(
        /\*\*Warning:\*\* TLS certificate verification was switched off/,
      );
      expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(
        /name="warning" value="TLS certificate verification/,
      );
    } finally {
      await front.close();
    }
  });

  test('mutual TLS with --client-cert and --client-key', async () => {
    const front = await httpsFront(certs, server.url, true);
    try {
      const dir = tmp();
      const args = [...remote(front.url, dir), '--ca', certs.caFile];
      const r = await cli([...args, '--client-cert', certs.clientCertFile, '--client-key', certs.clientKeyFile]);
      expect(r.code, r.out).toBe(0);
      expect((await cli(args)).code).toBe(2);
    } finally {
      await front.close();
    }
  });
});

test('--header reaches the target, --secret-header too, its value nowhere in the output', async () => {
  const front = await recordingFront(server.url);
  try {
    const dir = tmp();
    const file = join(tmp(), 'secret-headers');
    writeFileSync(file, 'X-Gateway-Secret: from-a-file-7f3a\n');
    const r = await cli([...remote(front.url, dir), '--header', 'X-Team: conformance', '--secret-header-file', file], {
      CONFORMANCE_SECRET_HEADER: 'X-Api-Key: k3y-sh0rt\nX-Other: second-secret-9c1d',
    });
    expect(r.code, r.out).toBe(0);
    const last = front.received.at(-1)!.rawHeaders;
    for (const [k, v] of [
      ['X-Team', 'conformance'],
      ['X-Api-Key', 'k3y-sh0rt'],
      ['X-Other', 'second-secret-9c1d'],
      ['X-Gateway-Secret', 'from-a-file-7f3a'],
    ])
      expect(last[last.indexOf(k) + 1]).toBe(v);
    const all = everything(dir, r.out);
    for (const secret of ['k3y-sh0rt', 'second-secret-9c1d', 'from-a-file-7f3a']) expect(all).not.toContain(secret);
    expect(all).toContain('conformance');
    expect(report(dir).cases.find((c) => c.curl)!.curl).toContain('"X-Api-Key: $SECRET_HEADER_X_API_KEY"');
  } finally {
    await front.close();
  }
});

test('a secret under 8 characters is refused before anything is sent, its value nowhere', async () => {
  const front = await recordingFront(server.url);
  try {
    const runs = await Promise.all([
      cli([...remote(front.url, tmp()), '--secret-header', 'X-Gw: s3cr3t']),
      cli([...remote(front.url, tmp()).map((x) => (x === server.fixtures.token ? 'tok-42' : x))]),
      cli([...remote(front.url, tmp()), '--proxy', 'http://u:pw-9@127.0.0.1:9']),
    ]);
    const what = ['--secret-header X-Gw is', '--token is', 'the proxy password is'];
    for (const [k, r] of runs.entries()) {
      expect(r.code, r.out).toBe(2);
      expect(r.out).toContain(`could not judge: ${what[k]} shorter than 8 characters`);
      expect(r.out).toContain('--allow-short-secrets');
      expect(r.out).not.toMatch(/s3cr3t|tok-42|pw-9/);
    }
    expect(front.received).toHaveLength(0);
  } finally {
    await front.close();
  }
});

test('one- and two-character secrets under --allow-short-secrets leave every report and the console intact', async () => {
  const dir = tmp();
  const args = [
    '--report-dir',
    dir,
    '--fault',
    't5-port-out-of-range',
    '--case',
    'positive.*',
    '--allow-short-secrets',
  ];
  const r = await cli([...args, '--secret-header', 'X-Gw: a', '--secret-header', 'X-Gw2: "']);
  expect(r.code, r.out).toBe(1);
  const all = [...['conformance.json', 'junit.xml', 'conformance.md', 'conformance.html'].map((f) => join(dir, f))]
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  expect(`${all}\n${r.out}`).not.toMatch(/\w\[REDACTED\]|\[REDACTED\]\w/);
  expect(r.out).toMatch(/^not_conformant: \d+ passed/m);
  expect(r.out).toMatch(
    /warning: short secrets are matched as whole values only: --secret-header X-Gw, --secret-header X-Gw2/,
  );
  const rep = report(dir); // parses
  const failed = rep.cases.find((c) => c.outcome === 'failed')!;
  expect(failed.failures.join('\n')).toMatch(/\[response_schema_conformance\].*Table 5/);
  expect(failed.request!.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-Gw': '[REDACTED]' });
  expect(failed.curl).toContain(
    `-H "X-Auth-Token: $TOKEN" -H "X-Gw: $SECRET_HEADER_X_GW" -H "X-Gw2: $SECRET_HEADER_X_GW2"`,
  );
  const md = readFileSync(join(dir, 'conformance.md'), 'utf8');
  expect(md).toContain('roma-vpc-sync-conformance');

  const short = ['--allow-short-secrets'];
  const token = await cli([...remote(server.url, tmp()).map((x) => (x === server.fixtures.token ? 't' : x)), ...short]);
  expect(token.code, token.out).toBe(2);
  expect(token.out).toMatch(/could not judge: token rejected: the first authorised request was answered 401/);
});

test('--rate-limit: every request is counted, the run takes as long as the rate demands, no burst where they arrive', async () => {
  const front = await recordingFront(server.url);
  try {
    const dir = tmp();
    const r = await cli([...remote(front.url, dir), '--rate-limit', '4/s']);
    expect(r.code, r.out).toBe(0);
    const n = front.received.length;
    expect(n).toBe(requestsOf(report(dir)));
    // n starts at 4 per second cannot fit in less than (ceil(n / 4) - 1) seconds.
    const span = front.received[n - 1].at - front.received[0].at;
    expect(span).toBeGreaterThanOrEqual((Math.ceil(n / 4) - 1) * 1000 - 50);
    // And no burst anywhere, counted where the requests arrive: at most 4 in any window of 1 s less a
    // generous allowance for the time in transit (a limiter that lets 8 through at a window's edge fails).
    const arrivals = front.received.map((x) => x.at);
    const busiest = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 1000 - 400).length));
    expect(busiest).toBeLessThanOrEqual(4);
    expect(busiest).toBeGreaterThan(1); // the window sees the pace, not a trickle
  } finally {
    await front.close();
  }
});

describe('usage errors', () => {
  test.each([
    [['--proxy', 'http://127.0.0.1:9'], /--proxy applies to --base-url only/],
    [['--insecure'], /--insecure applies to --base-url only/],
    [['--rate-limit', '10/h'], /--rate-limit must look like 10\/s or 600\/m/],
    [['--header', 'no colon'], /--header must look like 'Name: value'/],
    [['--header', 'Host: x'], /that header is set by the suite/],
    [['--secret-header', 'X-Key:'], /--secret-header X-Key: the value is empty/],
    [['--secret-header', 'X-Key:   '], /--secret-header X-Key: the value is empty/],
  ])('%j', async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(message);
  });
  test('a secret header whose value is malformed names the header, not the value', async () => {
    const r = await cli(['--secret-header', 'Bad Name: hush-hush-value']);
    expect(r.code).toBe(2);
    expect(r.out).not.toContain('hush-hush-value');
  });
});
