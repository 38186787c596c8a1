// The credential check. The preflight is one request that can synchronize nothing, whatever the
// server: its body names only ids that do not exist (a lenient server that ignores a wrong-typed
// field has nothing left to act on either). Sent with a credential, it tells whether the target
// accepts that credential: before any case (the target stage) and again from the worker, when a
// request with the valid credential is answered 401 or the target stops answering.

import type { Case } from '../../generators/cases.ts';
import { iamToken } from './credentials.ts';
import { send, type Sent, type Target } from './http.ts';

/**
 * Fixed, not seeded: every run's preflight is the same request. The ids are idThatDoesNotExist(0,
 * 'preflight.vpc-channel-id') and (0, 'preflight.instance-id'), written out so that the worker loads
 * no generator (test/checks/checks.test.ts checks that they still are).
 */
export const PREFLIGHT_BODY = {
  vpc_channel_id: 'f79dfb08bc55b2f1eaf71a434fd0574c',
  instance_ids: ['bd16cd9ddbd3dcf8b49e7c13cd781e8f'],
};

/** `made-up-token`: the control, a credential no target can know, sent when the preflight got anything but a 401. */
export type Credential = 'token' | 'forbidden-token' | 'made-up-token';

/** Fixed, like the body: a credential that cannot be anyone's. */
const MADE_UP_TOKEN = `MIIpreflight${'0'.repeat(48)}`;
const AUTH_OF = { token: 'valid', 'forbidden-token': 'forbidden', 'made-up-token': 'unknown' } as const;

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
    auth: AUTH_OF[credential],
    ...(credential === 'made-up-token' ? { token: MADE_UP_TOKEN } : {}),
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
 * Whether the target's preflight answer speaks for the credential. A target that reads the body before the
 * credentials (allowed, policy 8) refuses the preflight's made-up ids whatever the token: when the control,
 * sent with a made-up credential, gets the same answer, the preflight cannot tell (`blind`).
 */
export async function tokenStanding(target: Target): Promise<'rejected' | 'accepted' | 'blind' | 'unknown'> {
  const p = await preflight(target, 'token');
  if (p.verdict === 'rejected') return 'rejected';
  if (p.verdict !== 'answered') return 'unknown';
  const control = await preflight(target, 'made-up-token');
  return control.sent.response?.status === p.sent.response!.status ? 'blind' : 'accepted';
}

/**
 * What the run does when the target may have stopped accepting its credential: asked after a request made
 * with the valid credential (`sentWith`: the token it carried) was answered 401.
 * - `valid`: the preflight still passes, so the 401 is the target's answer to that case: judge it.
 * - `renewed`: a fresh credential is now in `target` (an IAM login obtained again, here or by a case running
 *   beside this one): send the case once more and go on.
 * - `expired`: rejected, and nothing can renew it; `unverifiable`: the preflight cannot tell (the target reads
 *   the body first), so the 401 is taken as the credential's. Either ends the run as "could not judge".
 */
export type Recheck = 'valid' | 'renewed' | 'expired' | 'unverifiable';

export interface CredentialCheck {
  recheck(target: Target, sentWith?: string): Promise<Recheck>;
}

const fromStanding = { rejected: 'expired', blind: 'unverifiable', accepted: 'valid', unknown: 'valid' } as const;

/** A token given on the command line, or an AK/SK pair: nothing can renew it. */
export const fixedCredential: CredentialCheck = {
  async recheck(target) {
    return fromStanding[await tokenStanding(target)];
  },
};

/**
 * IAM mode: a rejected token is obtained once more from IAM (IAM's tokens expire after a day). One login per
 * rejected token, shared by the cases that run side by side; every token issued stays a secret.
 */
export function iamLogin(): CredentialCheck {
  const renewals = new Map<string, Promise<Recheck>>(); // rejected token -> its one renewal
  const issued = new Set<string>(); // tokens this check obtained: a blind target gets one renewal, not one per case
  async function renew(target: Target, rejected: string, blind: boolean): Promise<Recheck> {
    if (!target.iam) return blind ? 'unverifiable' : 'expired';
    const link = { proxy: target.iam.proxy, tls: target.tls, timeoutMs: target.timeoutMs, maxBodyBytes: 1 << 20 };
    const got = await iamToken(target.iam, link);
    if ('problem' in got) return blind ? 'unverifiable' : 'expired';
    issued.add(got.token);
    target.secrets = [...(target.secrets ?? []), got.token];
    target.token = got.token; // every later request of this worker carries it
    const now = await tokenStanding(target);
    if (now === 'rejected') {
      target.token = rejected;
      return 'expired';
    }
    return 'renewed';
  }
  return {
    async recheck(target, sentWith = target.token) {
      if (sentWith !== target.token) return 'renewed'; // renewed meanwhile: send it again with the new one
      let renewal = renewals.get(sentWith);
      if (!renewal) {
        const standing = await tokenStanding(target);
        if (standing === 'accepted' || standing === 'unknown') return 'valid';
        if (target.token !== sentWith) return 'renewed';
        if (standing === 'blind' && issued.has(sentWith)) return 'unverifiable';
        renewal = renewals.get(sentWith) ?? renew(target, sentWith, standing === 'blind');
        renewals.set(sentWith, renewal);
      }
      return renewal;
    },
  };
}

const sharedIamLogin = iamLogin();

/** The check that fits the target's credential; the one place a credential provider chooses its own. */
export function credentialCheckFor(target: Target): CredentialCheck {
  return target.iam ? sharedIamLogin : fixedCredential;
}
