// The credential check. The preflight is one request that can synchronize nothing, whatever the
// server: its body names only ids that do not exist (a lenient server that ignores a wrong-typed
// field has nothing left to act on either). Sent with a credential, it tells whether the target
// accepts that credential: before any case (the target stage) and again from the worker, when a
// request with the valid credential is answered 401 or the target stops answering.

import { idThatDoesNotExist, type Case } from '../../generators/cases.ts';
import { iamToken } from './credentials.ts';
import { send, type Sent, type Target } from './http.ts';

/** Fixed, not seeded: every run's preflight is the same request. */
export const PREFLIGHT_BODY = {
  vpc_channel_id: idThatDoesNotExist(0, 'preflight.vpc-channel-id'),
  instance_ids: [idThatDoesNotExist(0, 'preflight.instance-id')],
};

export type Credential = 'token' | 'forbidden-token';

/** How the target took the preflight: `rejected` is a 401; `answered` is any other documented-or-not answer. */
export type PreflightVerdict = 'answered' | 'rejected' | 'unanswered' | 'throttled';

export interface Preflight {
  credential: Credential;
  verdict: PreflightVerdict;
  sent: Sent;
}

function preflightCase(credential: Credential): Case {
  return {
    id: `preflight.${credential}`,
    family: 'preflight',
    suite: 'auth',
    kind: 'auth',
    description: `credential check (${credential}): a body naming only ids that do not exist`,
    ruleId: 'table2.X-Auth-Token.required',
    seed: 0,
    auth: credential === 'token' ? 'valid' : 'forbidden',
    body: { json: PREFLIGHT_BODY },
    contentType: 'application/json',
    expect: { statuses: [400], why: 'ids that do not exist are refused' },
    effect: 'none',
    reach: 'none',
    checks: [],
    needs: [],
  };
}

export async function preflight(target: Target, credential: Credential = 'token'): Promise<Preflight> {
  const sent = await send(preflightCase(credential), target);
  const verdict: PreflightVerdict = sent.error
    ? 'unanswered'
    : sent.throttled
      ? 'throttled'
      : sent.response!.status === 401
        ? 'rejected'
        : 'answered';
  return { credential, verdict, sent };
}

/**
 * What the run does when the target may have stopped accepting its credential: asked after a request made
 * with the valid credential was answered 401 by a target whose preflight accepted it.
 * - `valid`: the preflight still passes, so the 401 is the target's answer to that case: judge it.
 * - `renewed`: the credential was rejected and a fresh one is now in `target` (e.g. an IAM login obtained
 *   again): send the case once more and go on. A provider renews at most once per rejection.
 * - `expired`: rejected, and nothing can renew it: the run ends as "could not judge".
 */
export interface CredentialCheck {
  recheck(target: Target): Promise<'valid' | 'renewed' | 'expired'>;
}

/** A token given on the command line, or an AK/SK pair: nothing can renew it. */
export const fixedCredential: CredentialCheck = {
  async recheck(target) {
    return (await preflight(target, 'token')).verdict === 'rejected' ? 'expired' : 'valid';
  },
};

/**
 * IAM mode: a rejected token is obtained once more from IAM (IAM's tokens expire after a day) and checked
 * with the preflight; a login IAM refuses, or a new token the target rejects too, means expired.
 */
export const iamLogin: CredentialCheck = {
  async recheck(target) {
    if ((await preflight(target, 'token')).verdict !== 'rejected') return 'valid';
    if (!target.iam) return 'expired';
    const link = { proxy: target.iam.proxy, tls: target.tls, timeoutMs: target.timeoutMs, maxBodyBytes: 1 << 20 };
    const got = await iamToken(target.iam, link);
    if ('problem' in got) return 'expired';
    const old = target.token;
    target.token = got.token; // every later request of this worker carries it
    if ((await preflight(target, 'token')).verdict !== 'rejected') return 'renewed';
    target.token = old;
    return 'expired';
  },
};

/** The check that fits the target's credential; the one place a credential provider chooses its own. */
export function credentialCheckFor(target: Target): CredentialCheck {
  return target.iam ? iamLogin : fixedCredential;
}
