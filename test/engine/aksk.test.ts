// Our SDK-HMAC-SHA256 signer against the vendor SDK's (a dev dependency): byte-equal headers for JSON,
// raw, malformed, empty and binary bodies; and the reference server's independent verifier accepting
// exactly what was signed, refusing what was not.

import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { canonicalUri, sdkDate, sha256Hex, sign } from '../../suites/engine/aksk.ts';
import { startReferenceServer, type ReferenceServer } from '../../server/index.ts';
import { asResponse, routeOf, send } from '../server/helpers.ts';

const require = createRequire(import.meta.url);
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js') as {
  AKSKSigner: { sign(request: object, credential: object): Record<string, string> };
};

const key = { ak: 'AKTEST0123456789ABCD', sk: 'sk-test-secret-key' };
const when = new Date(Date.UTC(2026, 11, 1, 8, 30, 5));
const credential = { getAk: () => key.ak, getSk: () => key.sk };

/** The SDK's signature for the same request; a raw body's hash is handed over in X-Sdk-Content-Sha256. */
function sdkSign(url: string, headers: Record<string, string>, body: Buffer | null, data?: unknown) {
  const h: Record<string, string> = { ...headers, 'X-Sdk-Date': sdkDate(when) };
  if (data === undefined && body) h['X-Sdk-Content-Sha256'] = sha256Hex(body);
  const query = new URL(url).searchParams;
  const queryParams = Object.fromEntries([...query.keys()].map((k) => [k, query.getAll(k)]));
  return AKSKSigner.sign({ method: 'POST', endpoint: url, headers: h, data, queryParams }, credential);
}

const URL_ = 'https://roma.cn-north-4.example.com/v2/0123abcd/apic/vpc-channels/syncs';
const JSON_HEADERS = { 'Content-Type': 'application/json', 'X-Project-Id': '0123abcd' };

describe('sign() is byte-equal to the vendor SDK signer', () => {
  test('a JSON body (the SDK hashes JSON.stringify of the data, which is what we send)', () => {
    const data = { vpc_channel_id: '04be10fd3a3f424fac9f603df3297a06', force_sync: true };
    const body = Buffer.from(JSON.stringify(data));
    const ours = sign({ method: 'POST', url: URL_, headers: JSON_HEADERS, body }, key, when);
    const theirs = sdkSign(URL_, JSON_HEADERS, body, data);
    expect(ours.Authorization).toBe(theirs.Authorization);
    expect(ours['X-Sdk-Date']).toBe('20261201T083005Z');
    expect(ours.Host).toBe(theirs.host);
  });

  for (const [name, body] of [
    ['a malformed body', Buffer.from('{"force_sync": tru')],
    ['a raw body with unicode and control bytes', Buffer.from('{"instance_ids": ["\u00e9\u4e00\u0001"]}')],
    ['a binary body', Buffer.from([0, 255, 128, 10, 13, 0x7f])],
    ['an empty body', Buffer.alloc(0)],
  ] as const) {
    test(`${name}: the hash of the exact bytes`, () => {
      // The SDK signs X-Sdk-Content-Sha256 as a header too; give ours the same header set.
      const headers = { ...JSON_HEADERS, 'X-Sdk-Content-Sha256': sha256Hex(body) };
      const ours = sign({ method: 'POST', url: URL_, headers, body }, key, when);
      expect(ours.Authorization).toBe(sdkSign(URL_, JSON_HEADERS, body).Authorization);
    });
  }

  test('no body at all hashes as the empty string, as in the SDK', () => {
    const ours = sign({ method: 'POST', url: URL_, headers: JSON_HEADERS, body: null }, key, when);
    expect(ours.Authorization).toBe(sdkSign(URL_, JSON_HEADERS, null).Authorization);
  });

  test('a path with escaped and non-ASCII segments, a port and a query', () => {
    const url = 'https://127.0.0.1:8443/prefix/v2/a%20b%2Fc/caf%C3%A9/syncs?b=2&a=1&a=0';
    const ours = sign({ method: 'POST', url, headers: JSON_HEADERS, body: Buffer.from('{}') }, key, when);
    expect(ours.Authorization).toBe(sdkSign(url, JSON_HEADERS, Buffer.from('{}'), {}).Authorization);
    expect(canonicalUri('/a%20b/syncs')).toBe('/a%2520b/syncs/');
  });
});

describe('the reference server verifies AK/SK signatures', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer();
  });
  afterAll(() => server.close());

  const body = Buffer.from(JSON.stringify({ instance_ids: ['00000000000000000000000000000000'] }));
  const post = (headers: Record<string, string>, sent = body) =>
    send(server.url, { path: routeOf(server), headers, body: sent }).then(asResponse);
  const signed = (k = server.fixtures.accessKey, date = new Date(), headers: Record<string, string> = {}) =>
    sign(
      {
        method: 'POST',
        url: server.url + routeOf(server),
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
      },
      k,
      date,
    );

  test('a good signature passes authentication (the body is then judged: 400 unknown instance)', async () => {
    const r = await post(signed());
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error_code).toBe('APIG.3030');
  });

  test('the key pair without permission is 403', async () => {
    expect((await post(signed(server.fixtures.forbiddenAccessKey))).status).toBe(403);
  });

  test('temporary credentials need their security token, signed', async () => {
    const tmp = server.fixtures.temporaryAccessKey;
    expect((await post(signed(tmp, new Date(), { 'X-Security-Token': tmp.securityToken }))).status).toBe(400);
    expect((await post(signed(tmp))).status).toBe(401);
  });

  test.each([
    ['unsigned', () => ({ 'Content-Type': 'application/json' })],
    ['an unknown key', () => signed({ ak: 'AKUNKNOWN0000000000', sk: 'whatever' })],
    ['a known AK with the wrong SK', () => signed({ ak: server.fixtures.accessKey.ak, sk: 'wrong' })],
    ['a garbage Authorization', () => ({ ...signed(), Authorization: 'SDK-HMAC-SHA256 garbage' })],
    ['an X-Sdk-Date a day ahead', () => signed(undefined, new Date(Date.now() + 86_400_000))],
    ['an X-Sdk-Date a day behind', () => signed(undefined, new Date(Date.now() - 86_400_000))],
    ['a signed header changed after signing', () => ({ ...signed(), 'Content-Type': 'text/plain' })],
  ])('%s is 401', async (_name, headers) => {
    const r = await post(headers());
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text).error_code).toBe('APIG.1002');
  });

  test('a body changed after signing is 401', async () => {
    const r = await post(signed(), Buffer.from(JSON.stringify({ instance_ids: ['11111111111111111111111111111111'] })));
    expect(r.status).toBe(401);
  });
});
