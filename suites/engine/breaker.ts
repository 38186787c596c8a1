// The breaker: when an answer says more about the run than about its case. Consecutive timeouts (or
// refused connections) re-send the preflight, and the run stops only if that goes unanswered too: a
// target that hangs on one kind of request fails those cases and answers the others. A 401 to the
// valid credential asks the credential check: an expired credential ends the run as "could not
// judge", never as the API's failure; so does a TLS failure or a proxy's refusal. The state is plain data, carried between
// batches in a file.

import { type CredentialCheck, preflight } from './credential-check.ts';
import type { Target } from './http.ts';
import { policy } from '../../schemas/policy.ts';

export interface RunState {
  consecutiveTimeouts: number;
  maxConsecutiveTimeouts: number;
  stopped?: string; // why the remaining cases are not run
  stoppedBy?: 'target' | 'credential' | 'tls' | 'proxy';
}

/** What would let the cases a stop left unrun be judged: shown beside the reason. */
export const STOP_ENABLES: Record<NonNullable<RunState['stoppedBy']>, string> = {
  target: 'check that the target is up; raise --timeout-ms if it is only slow',
  credential:
    'renew the credential (a fresh --token or --ak/--sk; in IAM mode, a login whose token the target accepts) and run again',
  tls: 'fix what the reason names (--ca, --client-cert and --client-key, or --insecure) and run again',
  proxy: 'fix the proxy (--proxy, or HTTPS_PROXY / HTTP_PROXY and NO_PROXY) and its credentials, and run again',
};

/** The run ends here: every case after this one is not run, with this reason. */
export function stop(state: RunState, by: NonNullable<RunState['stoppedBy']>, reason: string): void {
  state.stopped = reason;
  state.stoppedBy = by;
}

/** After a request with the valid credential (`sentWith`) was answered 401: judge the answer, send it again, or stop. */
export async function afterRejectedCredential(
  state: RunState,
  target: Target,
  credentials: CredentialCheck,
  sentWith?: string,
): Promise<'judge' | 'resend' | 'stopped'> {
  const verdict = await credentials.recheck(target, sentWith);
  if (verdict === 'valid') return 'judge';
  if (verdict === 'renewed') return 'resend';
  stop(
    state,
    'credential',
    verdict === 'expired'
      ? 'token expired or revoked: a request with the valid token was answered 401, and so was the preflight sent again after it'
      : `token rejected or expired: a request with the valid token was answered 401, and the preflight cannot tell otherwise: the target answers it alike with a made-up token (it reads the body before the credentials, ${policy(8)})`,
  );
  return 'stopped';
}

/** After a timeout or a refused connection: past the limit, the preflight decides whether the target still answers. */
export async function afterUnanswered(state: RunState, target: Target, credentials: CredentialCheck): Promise<void> {
  state.consecutiveTimeouts++;
  await unlessAnswering(state, target, credentials);
}

/** Past the limit of consecutive timeouts: stops the run if the preflight goes unanswered too, else starts counting again. */
export async function unlessAnswering(state: RunState, target: Target, credentials: CredentialCheck): Promise<void> {
  if (state.stopped || state.consecutiveTimeouts < state.maxConsecutiveTimeouts) return;
  const probe = await preflight(target, 'token');
  if (probe.verdict === 'unanswered') {
    stop(
      state,
      'target',
      `the target stopped answering: ${state.consecutiveTimeouts} consecutive timeouts or refused connections, and the preflight sent after them went unanswered too`,
    );
    return;
  }
  if (probe.verdict === 'rejected' && (await afterRejectedCredential(state, target, credentials)) === 'stopped') return;
  state.consecutiveTimeouts = 0; // the target answers: those timeouts belong to their cases
}
