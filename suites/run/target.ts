// Stage "target": what the run talks to. The embedded reference server (started here, with its
// fault and harmless switches) or a remote endpoint; the credentials and transport limits every
// request uses; the real ids the cases may name; and the token check before any case.
// Flags that take effect here: --base-url, --token, --forbidden-token, --project-id, --fault,
// --harmless, --timeout-ms (and the body cap and retry policy of the API).

import { getProxyForUrl } from 'proxy-from-env';
import { iamToken } from '../engine/credentials.ts';
import type { Target } from '../engine/http.ts';
import { showRate } from '../engine/pace.ts';
import { redactUserinfo } from '../engine/transport.ts';
import type { AuthMode, Case } from '../../generators/cases.ts';
import { DEFAULT_FIXTURES, startReferenceServer, type Fixtures } from '../../server/index.ts';
import type { ConformanceOptions } from './options.ts';

/** What the plan needs to know of the target: which real ids and credentials the cases can use. */
export interface TargetFacts {
  embedded: boolean;
  vpcChannelIds: string[];
  instanceIds: string[];
  hasForbiddenToken: boolean; // or a forbidden AK/SK pair
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

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The run's flags that are no secret, for the tool's own reproduce line. */
function reproduceFlags(o: ConformanceOptions): string {
  const flags = [`--base-url ${q(o.baseUrl!)}`, `--project-id ${q(o.projectId!)}`];
  if (o.vpcChannelIds?.length) flags.push(`--vpc-channel-id ${q(o.vpcChannelIds.join(','))}`);
  if (o.instanceIds?.length) flags.push(`--instance-ids ${q(o.instanceIds.join(','))}`);
  if (o.network?.proxy) flags.push(`--proxy ${q(redactUserinfo(o.network.proxy))}`);
  if (o.network?.tls?.ca) flags.push('--ca "$CA_FILE"');
  if (o.network?.tls?.insecure) flags.push('--insecure');
  if (o.network?.tls?.cert) flags.push('--client-cert "$CLIENT_CERT" --client-key "$CLIENT_KEY"');
  return flags.join(' ');
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
      ...(o.aksk ? { aksk: o.aksk, reproduce: reproduceFlags(o) } : {}),
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
      warnings: net.tls?.insecure
        ? ['TLS certificate verification was switched off (--insecure): the answers may not come from the real server']
        : [],
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
      ...transport,
    },
    facts: describeTarget(o, fx),
    label: `${server.url} (embedded reference server${embeddedSwitches(o)})`,
    secrets,
    warnings: [],
    close: () => server.close(),
  };
}

/** One authorised request with a body the page forbids: tells a rejected token (401) from a usable one without syncing anything. */
export async function preflight(target: Target): Promise<string | undefined> {
  const probe: Case = {
    id: 'preflight',
    family: 'preflight',
    suite: 'auth',
    kind: 'auth',
    description: 'token check',
    ruleId: 'table2.X-Auth-Token.required',
    seed: 0,
    auth: 'valid',
    body: { json: { instance_ids: 'preflight' } },
    contentType: 'application/json',
    expect: { statuses: [400], why: '' },
    effect: 'none',
    checks: [],
    needs: [],
  };
  // Loaded here, not at the top: --list-cases plans with this module and sends nothing.
  const { send } = await import('../engine/http.ts');
  const sent = await send(probe, target);
  if (sent.error?.kind === 'tls') return `${target.baseUrl}: ${sent.error.message}`;
  if (sent.error?.kind === 'refused' || sent.error?.kind === 'other')
    return `target unreachable at ${target.baseUrl}: ${sent.error.message}`;
  if (sent.throttled) return `the target kept throttling (${sent.response!.status} after ${sent.attempts} attempts)`;
  if (sent.response?.status === 401 && target.aksk)
    return "signed requests are rejected (401): check the AK/SK and this machine's clock (X-Sdk-Date must be within 15 minutes of the server's time)";
  if (sent.response?.status === 401) return 'token rejected: the first authorised request was answered 401';
  return undefined;
}
