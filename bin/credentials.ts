// The credential flags: exactly one mode per run (a token, an IAM login, or an AK/SK pair); every
// secret also as a --...-file and a CONFORMANCE_* twin. Files are read here: a missing or empty one
// is a usage error before anything is sent.

import { readFileSync } from 'node:fs';
import type { ConformanceOptions } from '../suites/run/options.ts';
import { UsageError } from './usage.ts';

export const CREDENTIAL_OPTIONS = {
  'forbidden-token-file': { type: 'string' },
  ak: { type: 'string' },
  sk: { type: 'string' },
  'sk-file': { type: 'string' },
  'security-token': { type: 'string' },
  'security-token-file': { type: 'string' },
  'forbidden-ak': { type: 'string' },
  'forbidden-sk': { type: 'string' },
  'forbidden-sk-file': { type: 'string' },
  'iam-url': { type: 'string' },
  'iam-user': { type: 'string' },
  'iam-password': { type: 'string' },
  'iam-password-file': { type: 'string' },
  'iam-domain': { type: 'string' },
} as const;

export const CREDENTIAL_HELP = `Credentials (one mode per run; every secret also as --NAME-file FILE and CONFORMANCE_NAME)
  token   --token / --token-file, --forbidden-token / --forbidden-token-file (the last also in IAM mode)
  IAM     --iam-url URL --iam-user NAME --iam-password PW (or --iam-password-file) --iam-domain NAME:
          a project-scoped token from IAM before the run, and once more if it is rejected mid-run
  AK/SK   --ak AK --sk SK (or --sk-file), --security-token (temporary keys),
          --forbidden-ak AK --forbidden-sk SK (a pair without permission, for the 403 case):
          every request signed with SDK-HMAC-SHA256
  A secret (token, SK, password, secret header value, proxy password) under 8 characters is refused (exit 2):
  it cannot be redacted inside text. --allow-short-secrets goes on with it redacted only as a whole value
  (every report says so)                                                      CONFORMANCE_ALLOW_SHORT_SECRETS=1`;

type Values = { [K in keyof typeof CREDENTIAL_OPTIONS | 'token' | 'token-file' | 'forbidden-token']?: string };

/** The flag's value, or the trimmed content of its -file twin. */
function secret(v: Values, name: keyof Values, file: keyof Values): string | undefined {
  const path = v[file];
  if (v[name] !== undefined && path !== undefined) throw new UsageError(`give --${name} or --${file}, not both`);
  if (v[name] !== undefined && v[name] !== '') return v[name];
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new UsageError(`--${file} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'cannot be read'}`);
  }
  if (!text) throw new UsageError(`--${file} ${path} is empty`);
  return text;
}

const MODES = {
  token: ['token', 'token-file'],
  IAM: ['iam-url', 'iam-user', 'iam-password', 'iam-password-file', 'iam-domain'],
  'AK/SK': [
    'ak',
    'sk',
    'sk-file',
    'security-token',
    'security-token-file',
    'forbidden-ak',
    'forbidden-sk',
    'forbidden-sk-file',
  ],
} as const;

export function credentialOptions(
  v: Values,
  remote: boolean,
): Pick<ConformanceOptions, 'token' | 'forbiddenToken' | 'aksk' | 'iam'> {
  const used = Object.entries(MODES).filter(([, names]) => names.some((n) => v[n] !== undefined && v[n] !== ''));
  if (used.length > 1)
    throw new UsageError(`choose one credential mode: got ${used.map(([m]) => m).join(' and ')} flags together`);
  if (used.length && !remote && used[0][0] !== 'token')
    throw new UsageError(
      `--${MODES[used[0][0] as keyof typeof MODES].find((n) => v[n] !== undefined)} needs --base-url (the embedded reference server brings its own fixtures)`,
    );
  const mode = used[0]?.[0];
  // A token without permission serves the 403 case of the token and IAM modes alike.
  const forbiddenToken = secret(v, 'forbidden-token', 'forbidden-token-file');
  if (forbiddenToken && mode === 'AK/SK')
    throw new UsageError('AK/SK mode takes a key pair without permission: --forbidden-ak and --forbidden-sk');
  if (mode === 'AK/SK') {
    const sk = secret(v, 'sk', 'sk-file');
    if (!v.ak || !sk) throw new UsageError('AK/SK mode needs --ak and --sk (or --sk-file)');
    const forbiddenSk = secret(v, 'forbidden-sk', 'forbidden-sk-file');
    if (!!v['forbidden-ak'] !== !!forbiddenSk) throw new UsageError('--forbidden-ak and --forbidden-sk go together');
    const securityToken = secret(v, 'security-token', 'security-token-file');
    return {
      aksk: {
        key: { ak: v.ak, sk },
        ...(securityToken ? { securityToken } : {}),
        ...(v['forbidden-ak'] ? { forbidden: { ak: v['forbidden-ak'], sk: forbiddenSk! } } : {}),
      },
    };
  }
  if (mode === 'IAM') {
    const password = secret(v, 'iam-password', 'iam-password-file');
    const missing = (['iam-url', 'iam-user', 'iam-domain'] as const).filter((n) => !v[n]);
    if (missing.length || !password)
      throw new UsageError(
        `IAM mode needs ${[...missing.map((n) => `--${n}`), ...(password ? [] : ['--iam-password'])].join(', ')}`,
      );
    if (!/^https?:\/\//i.test(v['iam-url']!)) throw new UsageError('--iam-url must be an http:// or https:// URL');
    return {
      iam: { url: v['iam-url']!, user: v['iam-user']!, password, domain: v['iam-domain']! },
      ...(forbiddenToken ? { forbiddenToken } : {}),
    };
  }
  return { token: secret(v, 'token', 'token-file'), forbiddenToken };
}
