// Fixed fixture values of the reference server. They are local test values, not secrets, and stay the
// same on every start so that a reproducing curl line printed by a report can be replayed as is.

import type { KeyPair } from './aksk.ts';

export interface Fixtures {
  /** The one project the server holds; any other project id on the path is answered 403. */
  projectId: string;
  /** The accepted X-Auth-Token. */
  token: string;
  /** A configured token without permission on this operation (answered 403). */
  forbiddenToken: string;
  /** Channel ids; the first three become an ip BUILTIN, an ecs BUILTIN and a CSE MICROSERVICE channel. */
  vpcChannelIds: string[];
  /** Instance ids the channels can be synchronised to. */
  instanceIds: string[];
  /** AK/SK pairs (SDK-HMAC-SHA256): one with permission, one without (answered 403), one temporary. */
  accessKey: KeyPair;
  forbiddenAccessKey: KeyPair;
  temporaryAccessKey: Required<KeyPair>;
  /** The stub IAM user whose password login (POST /v3/auth/tokens) returns a token for the project. */
  iam: { user: string; password: string; domain: string };
}

export const DEFAULT_FIXTURES: Readonly<Fixtures> = Object.freeze({
  projectId: '5a3314075bfa49b9ae360f4ecd333695',
  token: 'ref-token-7c1e4a9b0d2f',
  forbiddenToken: 'ref-forbidden-3d2f8e61a5c7',
  vpcChannelIds: [
    '04be10fd3a3f424fac9f603df3297a06', // ip BUILTIN (the page's example channel)
    '1c5e7d2a9b3f4e6a8d0c2b4f6e8a0c1d', // ecs BUILTIN
    '9f8e7d6c5b4a43210fedcba987654321', // MICROSERVICE (CSE)
  ],
  instanceIds: [
    'ddd73cde017890908ae0117d67bf7330', // the page's example instances first
    'eea73cde015940908ae0117d67bf7330',
    'fa11c0de0a0b4c0d8e0f1a2b3c4d5e6f',
  ],
  accessKey: Object.freeze({ ak: 'REFAK7C1E4A9B0D2F0000', sk: 'ref-sk-5b8d0e2a4c6f8a1b3d5e7f9a' }),
  forbiddenAccessKey: Object.freeze({ ak: 'REFAKFORBIDDEN3D2F8E6', sk: 'ref-sk-forbidden-1a5c7e9b2d4f' }),
  temporaryAccessKey: Object.freeze({
    ak: 'REFTMPAK0A1B2C3D4E5F6',
    sk: 'ref-sk-temporary-6e8a0c2e4a6c',
    securityToken: 'ref-security-token-9d7b5f3a1c8e',
  }),
  iam: Object.freeze({ user: 'ref-iam-user', password: 'ref-iam-password-4f2a9c7e', domain: 'ref-domain' }),
});

/** Merges overrides onto the defaults; arrays are copied so callers cannot mutate the server's view. */
export function resolveFixtures(overrides: Partial<Fixtures> = {}): Fixtures {
  const merged = { ...DEFAULT_FIXTURES, ...stripUndefined(overrides) };
  return {
    projectId: merged.projectId,
    token: merged.token,
    forbiddenToken: merged.forbiddenToken,
    vpcChannelIds: [...merged.vpcChannelIds],
    instanceIds: [...merged.instanceIds],
    accessKey: { ...merged.accessKey },
    forbiddenAccessKey: { ...merged.forbiddenAccessKey },
    temporaryAccessKey: { ...merged.temporaryAccessKey },
    iam: { ...merged.iam },
  };
}

function stripUndefined(o: Partial<Fixtures>): Partial<Fixtures> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Fixtures>;
}
