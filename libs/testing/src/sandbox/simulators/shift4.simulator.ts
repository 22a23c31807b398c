import { createHash } from 'node:crypto';
import { json, randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

/** Parameters of `POST /customers` (https://dev.shift4.com/docs/api#customer-create). */
const KNOWN_PARAMETERS = new Set(['email', 'description', 'card', 'paymentMethod', 'metadata']);

function shift4Error(status: number, type: string, message: string, code?: string): SandboxResponse {
  return json(status, { error: { type, message, ...(code && { code }) } });
}

function invalidRequest(message: string): SandboxResponse {
  return shift4Error(400, 'invalid_request', message);
}

function secretKeyOf(authorization: string | undefined): string | undefined {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
  if (!basic) return undefined;
  const [user, password] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
  return password === '' && /^(?:sk|pr)_(?:test|live)_[A-Za-z0-9]{4,}$/.test(user) ? user : undefined;
}

/**
 * Shift4's create-customer as documented: HTTP Basic with the secret key and an empty password,
 * a JSON body whose `email` is required, errors as `{error:{type, message, code?}}`, and the
 * `Idempotency-Key` header honoured per account (the first successful answer is replayed with
 * `Idempotent-Replayed: true`, as the official SDKs' tests show). Without a key every call creates
 * a customer: Shift4 lets several customers share an email.
 */
export class Shift4Simulator implements ProcessorSimulator {
  readonly name = 'shift4';
  private readonly customers = new Map<string, { account: string; body: Record<string, unknown> }>();
  private readonly replays = new Map<string, SandboxResponse>();

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
    this.replays.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    if (request.method !== 'POST' || request.path !== '/customers') {
      return shift4Error(404, 'invalid_request', `Unrecognized request URL (${request.method}: ${request.path})`);
    }
    const secretKey = secretKeyOf(request.headers.authorization);
    if (!secretKey) return shift4Error(401, 'invalid_request', 'Provided API key is invalid');
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return invalidRequest('Request body must be JSON');
    }
    const account = createHash('sha256').update(secretKey).digest('hex').slice(0, 16);
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    const replayKey = idempotencyKey === undefined ? undefined : `${account}:${idempotencyKey}`;
    const replay = replayKey ? this.replays.get(replayKey) : undefined;
    if (replay) return { ...replay, headers: { ...replay.headers, 'idempotent-replayed': 'true' } };

    const response = this.create(account, request.body);
    if (replayKey && response.status === 200) this.replays.set(replayKey, response);
    return response;
  }

  private create(account: string, rawBody: string): SandboxResponse {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return invalidRequest('Request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalidRequest('Request body must be a JSON object');
    const params = body as Record<string, unknown>;
    for (const name of Object.keys(params)) {
      if (!KNOWN_PARAMETERS.has(name)) return invalidRequest(`Unrecognized parameter: ${name}`);
    }
    if (typeof params.email !== 'string' || params.email === '') return invalidRequest('email: must not be empty');
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(params.email)) return invalidRequest('email: not a well-formed email address');
    if (params.description !== undefined && typeof params.description !== 'string') return invalidRequest('description: must be a string');
    const metadata = params.metadata ?? {};
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || Object.values(metadata).some((value) => typeof value !== 'string')) {
      return invalidRequest('metadata: must be an object of string values');
    }

    const id = randomId('cust_', 24);
    this.customers.set(id, { account, body: params });
    return json(200, {
      id,
      created: Math.floor(Date.now() / 1000),
      deleted: false,
      email: params.email,
      description: params.description ?? null,
      metadata,
      cards: [],
    });
  }
}
