// The stub IAM endpoint: a password login scoped to the project returns a token the sync route accepts.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../server/index.ts';
import { asResponse, routeOf, send } from './helpers.ts';

let server: ReferenceServer;
beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server.close());

const login = (password: string, projectId = server.fixtures.projectId) =>
  JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: server.fixtures.iam.user, password, domain: { name: server.fixtures.iam.domain } } },
      },
      scope: { project: { id: projectId } },
    },
  });
const post = (body: string) =>
  send(server.url, { path: '/v3/auth/tokens', headers: { 'content-type': 'application/json' }, body }).then(asResponse);

describe('POST /v3/auth/tokens', () => {
  test('the right password: 201, the token in X-Subject-Token, accepted by the sync route', async () => {
    const r = await post(login(server.fixtures.iam.password));
    expect(r.status).toBe(201);
    const token = String(r.headers['x-subject-token']);
    expect(token).toMatch(/^ref-iam-token-/);
    expect(JSON.parse(r.text).token.project.id).toBe(server.fixtures.projectId);
    const sync = await send(server.url, {
      path: routeOf(server),
      headers: { 'content-type': 'application/json', 'x-auth-token': token },
      body: '{"instance_ids": "x"}',
    }).then(asResponse);
    expect(sync.status).toBe(400); // authenticated, then the body is judged
    expect(server.iamLogins()).toBe(1);
  });

  test('a wrong password or another project is 401, with no token', async () => {
    for (const body of [login('wrong'), login(server.fixtures.iam.password, 'another-project')]) {
      const r = await post(body);
      expect(r.status).toBe(401);
      expect(r.headers['x-subject-token']).toBeUndefined();
    }
  });

  test('a body that is not a password login is 400', async () => {
    expect((await post('{"auth": {}}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
  });

  test('a token the stub never issued stays unknown', async () => {
    const r = await send(server.url, {
      path: routeOf(server),
      headers: { 'content-type': 'application/json', 'x-auth-token': 'ref-iam-token-999-x' },
      body: '{}',
    }).then(asResponse);
    expect(r.status).toBe(401);
  });
});
