// A stub of IAM's "Obtaining a User Token" (POST /v3/auth/tokens, password method, project scope):
// enough for the conformance run's IAM mode to be tested end to end on loopback. A good login is 201
// with the token in X-Subject-Token; a wrong user, password or domain is 401, a malformed body 400.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './body.ts';
import type { Fixtures } from './fixtures.ts';

export const IAM_TOKENS_PATH = '/v3/auth/tokens';
const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The tokens this stub issued (accepted by the sync route as the fixture token is). */
export class IamTokens {
  private readonly issued = new Map<string, number>(); // token -> uses left
  private count = 0;

  /** `firstTokenUses`: the first token issued expires after that many requests (a token that dies mid-run). */
  constructor(private readonly firstTokenUses = Number.POSITIVE_INFINITY) {}

  issue(): string {
    const token = `ref-iam-token-${++this.count}-${Date.now().toString(36)}`;
    this.issued.set(token, this.count === 1 ? this.firstTokenUses : Number.POSITIVE_INFINITY);
    return token;
  }

  /** Whether the token is one we issued and still valid; each call spends one use. */
  has(token: string): boolean {
    const left = this.issued.get(token);
    if (left === undefined || left <= 0) return false;
    this.issued.set(token, left - 1);
    return true;
  }

  /** How many logins succeeded: the tests see a refresh through it. */
  get logins(): number {
    return this.count;
  }
}

type Login = { user: string; password: string; domain: string; projectId: string };

function readLogin(bytes: Buffer): Login | null {
  try {
    const auth = JSON.parse(bytes.toString('utf8'))?.auth;
    const user = auth?.identity?.password?.user;
    const fields = [user?.name, user?.password, user?.domain?.name, auth?.scope?.project?.id];
    if (!auth?.identity?.methods?.includes('password') || fields.some((f) => typeof f !== 'string')) return null;
    return { user: fields[0], password: fields[1], domain: fields[2], projectId: fields[3] };
  } catch {
    return null;
  }
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

const iamError = (code: number, title: string, message: string) => ({ error: { code, title, message } });

export async function handleIamTokens(
  req: IncomingMessage,
  res: ServerResponse,
  fixtures: Fixtures,
  tokens: IamTokens,
): Promise<void> {
  const body = await readBody(req);
  if (body.aborted) return;
  const login = readLogin(body.bytes);
  if (!login) return answer(res, 400, iamError(400, 'Bad Request', 'The request body is not a password login.'));
  const { iam } = fixtures;
  if (login.user !== iam.user || login.password !== iam.password || login.domain !== iam.domain)
    return answer(res, 401, iamError(401, 'Unauthorized', 'The username or password is wrong.'));
  if (login.projectId !== fixtures.projectId)
    return answer(res, 401, iamError(401, 'Unauthorized', 'The user has no access to the requested project.'));
  const now = Date.now();
  answer(
    res,
    201,
    {
      token: {
        methods: ['password'],
        issued_at: new Date(now).toISOString(),
        expires_at: new Date(now + TOKEN_LIFETIME_MS).toISOString(),
        project: { id: fixtures.projectId, name: 'ref-region', domain: { name: iam.domain } },
        user: { name: iam.user, domain: { name: iam.domain } },
      },
    },
    { 'X-Subject-Token': tokens.issue() },
  );
}
