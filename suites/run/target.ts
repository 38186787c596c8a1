// Stage "target": what the run talks to. The embedded reference server (started here, with its
// fault and harmless switches) or a remote endpoint; the credentials and transport limits every
// request uses; the real ids the cases may name; and the token checks before any case (the
// preflights: their answers go into the report, a 2xx to one is a warning at its top).
// Flags that take effect here: --base-url, --token, --forbidden-token, --project-id, --fault,
// --harmless, --timeout-ms (and the body cap and retry policy of the API).

import { getProxyForUrl } from 'proxy-from-env';
import { iamToken } from '../engine/credentials.ts';
import type { Preflight } from '../engine/credential-check.ts';
import type { Target } from '../engine/http.ts';
import { showRate } from '../engine/pace.ts';
import { redactUserinfo } from '../engine/transport.ts';
import type { AuthMode } from '../../generators/cases.ts';
import type { PreflightRecord } from '../../reports/model.ts';
import { SHORT_SECRET } from '../../reports/redact.ts';
import { DEFAULT_FIXTURES, startReferenceServer, type Fixtures } from '../../server/index.ts';
import type { ConformanceOptions } from './options.ts';
import { runFlags } from './reproduce.ts';
import { policy } from '../../schemas/policy.ts';

/** What the plan needs to know of the target: which real ids and credentials the cases can use. */
export interface TargetFacts {
  embedded: boolean;
  vpcChannelIds: string[];
  instanceIds: string[];
  hasForbiddenToken: boolean; // or a forbidden AK/SK pair
  forbiddenTokenRejected?: true; // its preflight was answered 401: it is not a credential without permission
  authMode: AuthMode;
}

export interface RunTarget {
  target: Target; // plain data: handed to the worker as it is
  facts: TargetFacts;
  label: string; // how the log line names it
  secrets: string[]; // what the user passed that no output may show (the embedded fixtures are not secrets)
  warnings: string[]; // said at the top of every report
  close(): Promise<void>;
}

/** The facts of a target, known without opening it (also what --list-cases plans with). */
export function describeTarget(o: ConformanceOptions, fixtures: Fixtures = DEFAULT_FIXTURES): TargetFacts {
  const embedded = !o.baseUrl;
  return {
    embedded,
    vpcChannelIds: o.vpcChannelIds ?? (embedded ? [...fixtures.vpcChannelIds] : []),
    instanceIds: o.instanceIds ?? (embedded ? [...fixtures.instanceIds] : []),
    hasForbiddenToken: embedded || !!o.forbiddenToken || !!o.aksk?.forbidden,
    authMode: authModeOf(o),
  };
}

export const authModeOf = (o: ConformanceOptions): AuthMode => (o.aksk ? 'aksk' : o.iam ? 'iam' : 'token');

/** What no output may show, per credential mode. */
const credentialSecrets = (o: ConformanceOptions): (string | undefined)[] => [
  o.token,
  o.forbiddenToken,
  o.aksk?.key.sk,
  o.aksk?.securityToken,
  o.aksk?.forbidden?.sk,
  o.iam?.password,
];

/** A proxy URL's password; none for a URL that does not parse (opening the target says what is wrong with it). */
function proxyPassword(proxy: string | undefined): string | undefined {
  if (!proxy || !URL.canParse(proxy)) return undefined;
  return decodeURIComponent(new URL(proxy).password);
}

/** The secrets, by the flag that gave them, too short to be told from ordinary text. */
function shortSecrets(o: ConformanceOptions, proxy: string | undefined): string[] {
  const named: [string, string | undefined][] = [
    ['--token', o.token],
    ['--forbidden-token', o.forbiddenToken],
    ['--sk', o.aksk?.key.sk],
    ['--security-token', o.aksk?.securityToken],
    ['--forbidden-sk', o.aksk?.forbidden?.sk],
    ['--iam-password', o.iam?.password],
    ...(o.network?.secretHeaders ?? []).map(([k, v]): [string, string] => [`--secret-header ${k}`, v]),
    ['the proxy password', proxyPassword(proxy)],
  ];
  return named.filter(([, v]) => v && v.length < SHORT_SECRET).map(([what]) => what);
}

/**
 * A secret that short could stand inside any text (a body, a message) and cannot be redacted there without
 * mangling it: refused before anything is sent, unless --allow-short-secrets accepts whole-value redaction.
 */
export function shortSecretsProblem(o: ConformanceOptions): string | undefined {
  const short = shortSecrets(o, o.baseUrl ? proxyFor(o.baseUrl, o) : undefined);
  if (!short.length || o.allowShortSecrets) return undefined;
  const are = short.length > 1 ? 'are' : 'is';
  return (
    `${short.join(', ')} ${are} shorter than ${SHORT_SECRET} characters: a secret that short cannot be told from ` +
    'ordinary text, so it could not be kept out of every report and log line. Use a longer one, or ' +
    '--allow-short-secrets to go on with it redacted only where a whole value (a header, a field) equals it'
  );
}

/** The run's warning that secrets too short to be told from ordinary text are redacted as whole values only. */
function shortSecretsWarning(o: ConformanceOptions, proxy: string | undefined): string[] {
  const short = shortSecrets(o, proxy);
  if (!short.length) return [];
  return [
    `short secrets are matched as whole values only: ${short.join(', ')} (shorter than ${SHORT_SECRET} characters) ` +
      `${short.length > 1 ? 'are' : 'is'} redacted where a whole value (a header, a field) equals it, not inside ` +
      'longer text such as a body or a message',
  ];
}

const embeddedSwitches = (o: ConformanceOptions): string =>
  [o.fault ? `, fault ${o.fault}` : '', ...(o.harmless ?? []).map((h) => `, harmless ${h}`)].join('');

/** The proxy a remote target is reached through: --proxy, else the environment (proxy-from-env's reading). */
export function proxyFor(baseUrl: string, o: ConformanceOptions): string | undefined {
  return o.network?.proxy ?? (getProxyForUrl(baseUrl) || undefined);
}

/** The parts of a proxy URL that are secret: its password, and the user:password pair. */
function proxySecrets(proxy: string | undefined): string[] {
  if (!proxy) return [];
  const u = new URL(proxy);
  const pass = decodeURIComponent(u.password);
  const pair = `${decodeURIComponent(u.username)}:${pass}`;
  return pass ? [pass, pair, Buffer.from(pair).toString('base64')] : [];
}

const describeLink = (t: Target): string =>
  [
    t.proxy ? `via proxy ${redactUserinfo(t.proxy)}` : '',
    t.tls?.insecure ? 'TLS NOT VERIFIED (--insecure)' : '',
    t.tls?.ca ? 'extra CA (--ca)' : '',
    t.tls?.cert ? 'client certificate' : '',
    t.rateLimit ? `at most ${showRate(t.rateLimit)}` : '',
  ]
    .filter(Boolean)
    .map((x) => `; ${x}`)
    .join('');

const proxyOfIam = (o: ConformanceOptions) => (o.iam ? proxyFor(o.iam.url, o) : undefined);

/**
 * IAM mode: a project-scoped token before any case (IAM calls are not paced: IAM is not the target).
 * Returns why the run cannot start, or undefined; the token goes into the target and the secrets.
 */
export async function obtainToken(rt: RunTarget): Promise<string | undefined> {
  const { target } = rt;
  if (!target.iam) return undefined;
  const link = { proxy: target.iam.proxy, tls: target.tls, timeoutMs: target.timeoutMs, maxBodyBytes: 1 << 20 };
  const got = await iamToken(target.iam, link);
  if ('problem' in got) return got.problem;
  target.token = got.token;
  rt.secrets.push(got.token);
  return undefined;
}

/** Starts the embedded server when no --base-url is given; otherwise describes the remote one. */
export async function openTarget(o: ConformanceOptions): Promise<RunTarget> {
  const net = o.network ?? {};
  const transport = {
    timeoutMs: o.timeoutMs,
    maxBodyBytes: o.maxBodyBytes ?? 1024 * 1024,
    retry: o.retry ?? { attempts: 4, maxWaitMs: 30_000 },
    headers: [...(net.headers ?? []), ...(net.secretHeaders ?? [])],
    ...(net.rateLimit ? { rateLimit: net.rateLimit } : {}),
  };
  const headerSecrets = (net.secretHeaders ?? []).map(([, v]) => v).filter(Boolean);
  const secrets = [...credentialSecrets(o), ...headerSecrets].filter((s): s is string => !!s);
  if (o.baseUrl) {
    const proxy = proxyFor(o.baseUrl, o);
    const extra = [...headerSecrets, ...proxySecrets(proxy)];
    const target: Target = {
      baseUrl: o.baseUrl,
      projectId: o.projectId!,
      token: o.token ?? '',
      forbiddenToken: o.forbiddenToken,
      ...(o.aksk ? { aksk: o.aksk } : {}),
      reproduce: runFlags(o),
      ...(o.iam
        ? {
            iam: {
              ...o.iam,
              projectId: o.projectId!,
              ...(proxyOfIam(o) ? { proxy: proxyOfIam(o) } : {}),
            },
          }
        : {}),
      ...transport,
      ...(proxy ? { proxy } : {}),
      ...(net.tls ? { tls: net.tls } : {}),
      secretHeaderNames: (net.secretHeaders ?? []).map(([k]) => k),
      secrets: extra,
    };
    return {
      target,
      facts: describeTarget(o),
      label: `${o.baseUrl}${describeLink(target)}`,
      warnings: [
        ...(net.tls?.insecure
          ? [
              'TLS certificate verification was switched off (--insecure): the answers may not come from the real server',
            ]
          : []),
        ...shortSecretsWarning(o, proxy),
      ],
      secrets: [...secrets, ...proxySecrets(proxy)],
      close: async () => {},
    };
  }
  const server = await startReferenceServer({
    port: 0,
    fault: (o.fault ?? null) as never,
    harmless: (o.harmless ?? []) as never,
    log: () => {},
  });
  const fx = server.fixtures;
  return {
    target: {
      baseUrl: server.url,
      projectId: fx.projectId,
      token: fx.token,
      forbiddenToken: fx.forbiddenToken,
      reproduce: runFlags(o),
      ...transport,
      secretHeaderNames: (net.secretHeaders ?? []).map(([k]) => k),
      secrets: headerSecrets,
    },
    facts: describeTarget(o, fx),
    label: `${server.url} (embedded reference server${embeddedSwitches(o)})`,
    secrets,
    warnings: shortSecretsWarning(o, undefined),
    close: () => server.close(),
  };
}

/** What the token checks before the cases found: a reason to stop (exit 2), their answers, warnings, and updated facts. */
export interface TargetCheck {
  problem?: string;
  preflight: PreflightRecord[];
  warnings: string[];
  facts: TargetFacts;
}

const is2xx = (s: number | undefined) => s !== undefined && s >= 200 && s < 300;

function recordOf(p: Preflight, meaning: string): PreflightRecord {
  const r = p.sent.response;
  let errorCode: string | undefined;
  try {
    const code = r ? (JSON.parse(r.text) as { error_code?: unknown }).error_code : undefined;
    if (typeof code === 'string') errorCode = code.slice(0, 64);
  } catch {
    // not JSON: nothing to note
  }
  return {
    credential: p.credential,
    body: p.sent.request.body ?? '',
    ...(r ? { status: r.status } : {}),
    ...(p.sent.error ? { error: p.sent.error.message } : {}),
    ...(errorCode ? { errorCode } : {}),
    meaning,
  };
}

const accepted = (what: string, status: number) =>
  `the ${what} preflight was answered ${status}: its body names only ids that do not exist, which a conformant server must refuse; nothing should have been synchronized, but check what the target did with it`;

/** The token check with the valid token: a 401, a 403, an unreachable or throttling target end the run here. */
function readTokenPreflight(
  p: Preflight,
  target: Target,
): { record: PreflightRecord; problem?: string; warning?: string } {
  const status = p.sent.response?.status;
  const kind = p.sent.error?.kind;
  if (kind === 'tls')
    return { record: recordOf(p, 'TLS failed'), problem: `${target.baseUrl}: ${p.sent.error!.message}` };
  if (kind === 'proxy')
    return { record: recordOf(p, 'the proxy refused: nothing reached the target'), problem: p.sent.error!.message };
  if (kind === 'refused' || kind === 'other') {
    const problem = `target unreachable at ${target.baseUrl}: ${p.sent.error!.message}`;
    return { record: recordOf(p, 'no answer: the target is unreachable'), problem };
  }
  if (kind) return { record: recordOf(p, `no answer (${kind}); the cases show whether the target answers at all`) };
  if (p.verdict === 'throttled') {
    const problem = `the target kept throttling (${status} after ${p.sent.attempts} attempts)`;
    return { record: recordOf(p, 'throttled'), problem };
  }
  if (p.verdict === 'rejected' && target.aksk)
    return {
      record: recordOf(p, 'signature rejected'),
      problem:
        "signed requests are rejected (401): check the AK/SK and this machine's clock (X-Sdk-Date must be within 15 minutes of the server's time)",
    };
  if (p.verdict === 'rejected')
    return {
      record: recordOf(p, 'token rejected'),
      problem: 'token rejected: the first authorised request was answered 401',
    };
  if (status === 403)
    return {
      record: recordOf(p, 'the token has no permission for this operation'),
      problem:
        'the token has no permission: the first authorised request was answered 403 (give a token with permission as --token)',
    };
  if (is2xx(status))
    return { record: recordOf(p, 'accepted a request it must refuse'), warning: accepted('token', status!) };
  const meaning =
    status === 400
      ? 'refused, as a request naming ids that do not exist should be'
      : `answered ${status}, not 400; the cases judge the answers`;
  return { record: recordOf(p, meaning) };
}

/** The control beside a token preflight that was not a 401: does the answer depend on the token at all? */
function readControl(p: Preflight, token: Preflight): { record: PreflightRecord; blind: boolean } {
  const status = p.sent.response?.status;
  if (status === 401)
    return {
      record: recordOf(p, 'rejected (401), so the credential is accepted: the target checks credentials first'),
      blind: false,
    };
  const same = status !== undefined && status === token.sent.response?.status;
  const meaning = same
    ? `answered ${status} as the token was: the target reads the body before the credentials (${policy(8)}), so the preflight cannot tell whether the credential is accepted; a 401 to it during the run ends the run as the credential's`
    : p.sent.error
      ? `no answer (${p.sent.error.kind}); the credential is taken as accepted`
      : `answered ${status}, not 401; the credential is taken as accepted`;
  return { record: recordOf(p, meaning), blind: same };
}

/** The forbidden token's own check: a 401 means it is unknown, and the 403 case would test nothing. */
function readForbiddenPreflight(p: Preflight): { record: PreflightRecord; rejected: boolean; warning?: string } {
  const status = p.sent.response?.status;
  if (p.verdict === 'rejected')
    return { record: recordOf(p, 'rejected as unknown (401): the 403 case is skipped'), rejected: true };
  if (status === 403)
    return { record: recordOf(p, 'refused for lack of permission, as it should be'), rejected: false };
  if (is2xx(status))
    return {
      record: recordOf(p, 'accepted a request it must refuse'),
      rejected: false,
      warning: accepted('forbidden-token', status!),
    };
  const meaning = p.sent.error
    ? `no answer (${p.sent.error.kind}); the 403 case runs`
    : `answered ${status}${status === 400 ? ` (the body may have been read before the credentials, ${policy(8)})` : ''}; the 403 case runs`;
  return { record: recordOf(p, meaning), rejected: false };
}

/**
 * The checks before any case: the token, then a --forbidden-token the user gave (the embedded server's own is
 * known to be a token without permission, so a fault that answers it 401 is the API's to answer for).
 * Neither request can sync anything.
 */
export async function checkTarget(rt: RunTarget): Promise<TargetCheck> {
  // Loaded here, not at the top: --list-cases plans with this module and sends nothing.
  const { preflight } = await import('../engine/credential-check.ts');
  const sent = await preflight(rt.target, 'token');
  const token = readTokenPreflight(sent, rt.target);
  const out: TargetCheck = {
    preflight: [token.record],
    warnings: token.warning ? [token.warning] : [], // the target's own (--insecure) come with it
    facts: rt.facts,
    ...(token.problem ? { problem: token.problem } : {}),
  };
  if (!token.problem && sent.verdict === 'answered' && !token.warning && sent.sent.response?.status !== 403)
    out.preflight.push(readControl(await preflight(rt.target, 'made-up-token'), sent).record);
  const forbiddenGiven = !!rt.target.forbiddenToken || !!rt.target.aksk?.forbidden;
  if (token.problem || !forbiddenGiven || rt.facts.embedded) return out;
  const forbidden = readForbiddenPreflight(await preflight(rt.target, 'forbidden-token'));
  out.preflight.push(forbidden.record);
  if (forbidden.warning) out.warnings.push(forbidden.warning);
  if (forbidden.rejected) out.facts = { ...rt.facts, forbiddenTokenRejected: true };
  return out;
}
