// The run's flags that are not secrets, as the tool's reproduce line repeats them: what decides
// which cases exist and what they send (seed, --examples, --repeat, the ids), where they go (the
// embedded server's switches, or a remote target, its network and its credentials as
// placeholders) and what a run may send (consent). Left out: what only selects or paces cases
// (--case, --shard, --concurrency) and what only renders (--report-dir, --format, waivers).

import { showRate } from '../engine/pace.ts';
import { secretHeaderVar, shq } from '../engine/reproduce.ts';
import { redactUserinfo } from '../engine/transport.ts';
import { DEFAULT_TIMEOUT_MS, type ConformanceOptions } from './options.ts';

function credentialFlags(o: ConformanceOptions): string[] {
  if (o.aksk)
    return [
      '--ak "$AK" --sk "$SK"',
      ...(o.aksk.securityToken ? ['--security-token "$SECURITY_TOKEN"'] : []),
      ...(o.aksk.forbidden ? ['--forbidden-ak "$FORBIDDEN_AK" --forbidden-sk "$FORBIDDEN_SK"'] : []),
    ];
  if (o.iam)
    return [
      `--iam-url ${shq(o.iam.url)} --iam-user ${shq(o.iam.user)} --iam-password "$IAM_PASSWORD" --iam-domain ${shq(o.iam.domain)}`,
    ];
  return [
    ...(o.token ? ['--token "$TOKEN"'] : []),
    ...(o.forbiddenToken ? ['--forbidden-token "$FORBIDDEN_TOKEN"'] : []),
  ];
}

function remoteFlags(o: ConformanceOptions): string[] {
  const net = o.network ?? {};
  return [
    `--base-url ${shq(o.baseUrl!)}`,
    ...(o.projectId ? [`--project-id ${shq(o.projectId)}`] : []),
    ...credentialFlags(o),
    ...(net.proxy ? [`--proxy ${shq(redactUserinfo(net.proxy))}`] : []),
    ...(net.tls?.ca ? ['--ca "$CA_FILE"'] : []),
    ...(net.tls?.insecure ? ['--insecure'] : []),
    ...(net.tls?.cert ? ['--client-cert "$CLIENT_CERT" --client-key "$CLIENT_KEY"'] : []),
    ...(net.headers ?? []).map(([k, v]) => `--header ${shq(`${k}: ${v}`)}`),
    ...(net.secretHeaders ?? []).map(([k]) => `--secret-header "${k}: ${secretHeaderVar(k)}"`),
    ...(net.rateLimit ? [`--rate-limit ${showRate(net.rateLimit)}`] : []),
  ];
}

/** The flags, in the order --help lists them; the seed always, the rest when they differ from the default. */
export function runFlags(o: ConformanceOptions): string {
  const flags = o.baseUrl
    ? remoteFlags(o)
    : [...(o.fault ? [`--fault ${shq(o.fault)}`] : []), ...(o.harmless ?? []).map((h) => `--harmless ${shq(h)}`)];
  if (o.vpcChannelIds?.length) flags.push(`--vpc-channel-id ${shq(o.vpcChannelIds.join(','))}`);
  if (o.instanceIds?.length) flags.push(`--instance-ids ${shq(o.instanceIds.join(','))}`);
  if (o.noSync) flags.push('--no-sync');
  if (o.allowSyncAll) flags.push('--allow-sync-all');
  if (o.allowShortSecrets && o.baseUrl) flags.push('--allow-short-secrets'); // the secrets go with a remote target
  flags.push(`--seed ${o.seed}`);
  if (o.examples) flags.push(`--examples ${o.examples}`);
  if (o.stressRepeats) flags.push(`--repeat ${o.stressRepeats}`);
  if (o.timeoutMs !== DEFAULT_TIMEOUT_MS) flags.push(`--timeout-ms ${o.timeoutMs}`);
  return flags.join(' ');
}
