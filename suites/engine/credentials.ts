// The credentials a request carries, per mode: a token (given, or obtained from IAM) in X-Auth-Token,
// or an AK/SK signature (SDK-HMAC-SHA256) made afresh for every attempt. The AK/SK auth cases are
// signed wrongly on purpose: by an unknown key, with garbage, over another body, a day away.

import type { Case } from '../../generators/cases.ts';
import { DATE_HEADER, sdkDate, sign, type AkSk } from './aksk.ts';
import { exchange, type Link } from './transport.ts';

export interface AkSkCredentials {
  key: AkSk;
  securityToken?: string; // temporary credentials (X-Security-Token, signed)
  forbidden?: AkSk; // a key pair without permission, for the 403 case
}

export interface IamLogin {
  url: string; // e.g. https://iam.cn-north-4.myhuaweicloud.com
  user: string;
  password: string;
  domain: string;
  projectId: string;
  proxy?: string; // IAM's own proxy, as the environment gives it for IAM's URL
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An access key id that cannot be a real one, derived from the case's generated token. */
const unknownKey = (c: Case): AkSk => ({
  ak: `UNKNOWN${(c.token ?? 'X')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(3, 16)
    .toUpperCase()}`,
  sk: 'not-a-secret-key',
});

/** The headers (and the bytes) one attempt of an AK/SK request goes out with. */
export function signed(
  c: Case,
  a: AkSkCredentials,
  projectId: string,
  req: { method: string; url: string; headers: Record<string, string>; body: Buffer | null },
): Record<string, string> {
  if (c.auth === 'none') return req.headers;
  const toSign: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (/^(host|content-type)$/i.test(k)) toSign[k] = v; // what the SDK signs; transport headers are not
  toSign['X-Project-Id'] = projectId;
  if (a.securityToken && c.auth !== 'unknown') toSign['X-Security-Token'] = a.securityToken;
  const rest = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !(k in toSign)));
  if (c.auth === 'malformed')
    return { ...toSign, [DATE_HEADER]: sdkDate(new Date()), Authorization: c.token ?? 'garbage', ...rest };
  const key = c.auth === 'forbidden' ? a.forbidden! : c.auth === 'unknown' ? unknownKey(c) : a.key;
  const date = c.auth === 'skewed' ? new Date(Date.now() + DAY_MS) : new Date();
  // tampered: signed over other bytes than the ones sent (one trailing space: the same JSON value)
  const body = c.auth === 'tampered' ? Buffer.concat([req.body ?? Buffer.alloc(0), Buffer.from(' ')]) : req.body;
  return { ...sign({ ...req, headers: toSign, body }, key, date), ...rest };
}

/** Hides the signature of an Authorization header in records: it stays valid for minutes after it was made. */
export const hideSignature = (v: string) => v.replace(/Signature=[0-9a-f]{64}/, 'Signature=[REDACTED]');

export type IamResult = { token: string } | { problem: string };

/** IAM's "Obtaining a User Token" (password, project scope). Never paced: IAM is not the target. */
export async function iamToken(iam: IamLogin, link: Link): Promise<IamResult> {
  const url = `${iam.url.replace(/\/+$/, '')}/v3/auth/tokens`;
  const body = JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: iam.user, password: iam.password, domain: { name: iam.domain } } },
      },
      scope: { project: { id: iam.projectId } },
    },
  });
  const headers = { Host: new URL(url).host, 'Content-Type': 'application/json;charset=utf8' };
  const { result } = await exchange({ method: 'POST', url, headers, body: Buffer.from(body) }, link);
  if ('kind' in result) return { problem: `IAM unreachable at ${url}: ${result.message}` };
  const token = result.headers['x-subject-token'];
  if (result.status === 201 && token) return { token };
  if (result.status === 401)
    return {
      problem: `IAM rejected the login (401): check --iam-user ${JSON.stringify(iam.user)}, --iam-password and --iam-domain ${JSON.stringify(iam.domain)}`,
    };
  return {
    problem: `IAM answered ${result.status}${token ? '' : ' without an X-Subject-Token'} to the login at ${url}`,
  };
}
