import { randomUUID } from 'node:crypto';
import { json, randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const API_VERSIONS = new Set(['2018-01-01', '2022-02-01']);
const IDENTITY_ROLES = new Set(['APPLICATION_OWNER', 'BENEFICIAL_OWNER', 'BUYER', 'PLATFORM_OWNER', 'RECIPIENT', 'SELLER', 'SENDER']);
const ENTITY_MAX_LENGTHS: Readonly<Record<string, number>> = { first_name: 20, last_name: 20, email: 100 };
const ADDRESS_MAX_LENGTHS: Readonly<Record<string, number>> = { line1: 35, line2: 35, city: 20, region: 2, postal_code: 7, country: 3 };

interface FinixErrorEntry {
  code: string;
  message: string;
  field?: string;
}

function finixErrors(status: number, ...errors: FinixErrorEntry[]): SandboxResponse {
  return json(status, { total: errors.length, _embedded: { errors: errors.map((error) => ({ ...error, logref: randomId('', 16) })) } }, { 'content-type': 'application/hal+json' });
}

const HAL = { 'content-type': 'application/hal+json' };

function notFound(id: string): SandboxResponse {
  return json(
    404,
    { total: 1, _embedded: { errors: [{ code: 'NOT_FOUND', message: `Identity ${id} not found`, logref: randomId('', 16), _links: { source: { href: `https://finix.sandbox-payments-api.com/identities/${id}` } } }] } },
    HAL,
  );
}

function invalidField(field: string, message: string): FinixErrorEntry {
  return { code: 'INVALID_FIELD', field, message };
}

function basicCredentials(authorization: string | undefined): { user: string; password: string } | undefined {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A buyer entity as Finix answers it: the fields it was given, the others null. */
function storedEntity(entity: Record<string, unknown>): Record<string, unknown> {
  return {
    first_name: entity.first_name ?? null,
    last_name: entity.last_name ?? null,
    email: entity.email ?? null,
    phone: entity.phone ?? null,
    personal_address: entity.personal_address ?? null,
    business_type: null,
  };
}

/**
 * Finix's buyer Identities as its API reference (official finix-nodejs `openapi/finix-api.yaml`,
 * 2022-02-01) describes them: HTTP Basic with an API user (`US…`) and password, an optional
 * `Finix-Version`, every error as `{"total":n,"_embedded":{"errors":[{code, message, field?, logref}]}}`
 * (401 `UNKNOWN`, 400 `BAD_REQUEST` for unreadable JSON, 422 `INVALID_FIELD` naming the field,
 * 404 `NOT_FOUND`), the documented field and tag limits; `POST /identities` answering 201 with the
 * Identity, `GET` and `PUT /identities/{id}` (no `DELETE`: Identities cannot be deleted), and
 * `GET /identities` filtered by exact `email`, newest first, paged by cursor. A `PUT` replaces the
 * entity and the tags it is sent (Finix does not say whether it merges: the stricter reading).
 * Identities have no idempotency and are never deduplicated: every accepted create makes one.
 */
export class FinixSimulator implements ProcessorSimulator {
  readonly name = 'finix';
  private readonly identities = new Map<string, Record<string, unknown>>();

  customerCount(): number {
    return this.identities.size;
  }

  reset(): void {
    this.identities.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const url = new URL(request.path, 'http://finix');
    const route = /^\/identities(?:\/([^/]+))?$/.exec(url.pathname);
    const identityId = route?.[1] === undefined ? undefined : decodeURIComponent(route[1]);
    const allowed = identityId === undefined ? ['GET', 'POST'] : ['GET', 'PUT'];
    if (!route || !allowed.includes(request.method)) {
      return finixErrors(404, { code: 'NOT_FOUND', message: `Resource not found: ${request.method} ${url.pathname}` });
    }
    const credentials = basicCredentials(request.headers.authorization);
    if (!credentials || !/^US[A-Za-z0-9]{10,}$/.test(credentials.user) || credentials.password === '') {
      return finixErrors(401, { code: 'UNKNOWN', message: 'Unauthorized' });
    }
    const version = request.headers['finix-version'] as string | undefined;
    if (version !== undefined && !API_VERSIONS.has(version)) return finixErrors(400, { code: 'BAD_REQUEST', message: `Unsupported Finix-Version: ${version}` });
    if (request.method === 'GET') return identityId === undefined ? this.list(url.searchParams) : this.retrieve(identityId);
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return finixErrors(400, { code: 'BAD_REQUEST', message: 'Request body is not valid JSON' });
    }
    if (!isObject(body)) return finixErrors(400, { code: 'BAD_REQUEST', message: 'Request body must be a JSON object' });
    if (identityId !== undefined) return this.update(identityId, body);
    const problems = this.validate(body);
    if (problems.length > 0) return finixErrors(422, ...problems);

    const id = randomId('ID', 22);
    const now = new Date().toISOString();
    const identity = {
      id,
      created_at: now,
      updated_at: now,
      application: 'APgPDQrLD52TYvqazjHJJchM',
      entity: storedEntity(body.entity as Record<string, unknown>),
      identity_roles: body.identity_roles ?? [],
      tags: body.tags ?? {},
      type: body.type ?? 'PERSONAL',
      _links: { self: { href: `https://finix.sandbox-payments-api.com/identities/${id}` } },
    };
    this.identities.set(id, identity);
    return json(201, identity, { 'content-type': 'application/hal+json', 'finix-apiuser-role': 'ROLE_PARTNER', 'x-request-id': randomUUID() });
  }

  private retrieve(id: string): SandboxResponse {
    const identity = this.identities.get(id);
    return identity ? json(200, identity, HAL) : notFound(id);
  }

  private update(id: string, body: Record<string, unknown>): SandboxResponse {
    const identity = this.identities.get(id);
    if (!identity) return notFound(id);
    const problems = body.entity === undefined ? [] : this.validate(body);
    const unknown = Object.keys(body).filter((key) => !['entity', 'tags', 'additional_underwriting_data'].includes(key));
    if (unknown.length > 0) problems.push(...unknown.map((key) => invalidField(key, `${key} cannot be updated`)));
    if (problems.length > 0) return finixErrors(422, ...problems);
    if (isObject(body.entity)) identity.entity = storedEntity(body.entity);
    if (body.tags !== undefined) identity.tags = body.tags ?? {};
    identity.updated_at = new Date().toISOString();
    return json(200, identity, HAL);
  }

  private list(query: URLSearchParams): SandboxResponse {
    const limit = Number(query.get('limit') ?? '10');
    const email = query.get('email');
    const newestFirst = [...this.identities.values()]
      .filter((identity) => email === null || (identity.entity as Record<string, unknown>).email === email)
      .reverse();
    const after = query.get('after_cursor');
    const start = after === null ? 0 : newestFirst.findIndex((identity) => identity.id === after) + 1;
    const page = newestFirst.slice(start, start + limit);
    const more = start + limit < newestFirst.length;
    return json(200, { _embedded: { identities: page }, page: { limit, next_cursor: more ? page.at(-1)!.id : null } }, HAL);
  }

  private validate(body: Record<string, unknown>): FinixErrorEntry[] {
    const problems: FinixErrorEntry[] = [];
    if (!isObject(body.entity)) return [invalidField('entity', 'entity is required')];
    const entity = body.entity;
    if (entity.business_type !== undefined) problems.push(invalidField('entity.business_type', 'Merchant Identities require underwriting data'));
    for (const [field, max] of Object.entries(ENTITY_MAX_LENGTHS)) {
      const value = entity[field];
      if (value !== undefined && (typeof value !== 'string' || value.length > max)) problems.push(invalidField(`entity.${field}`, `${field} must be a string of at most ${max} characters`));
    }
    if (typeof entity.email === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(entity.email)) problems.push(invalidField('entity.email', 'email is not a valid email address'));
    if (entity.personal_address !== undefined) {
      if (!isObject(entity.personal_address)) problems.push(invalidField('entity.personal_address', 'personal_address must be an object'));
      else {
        for (const [field, max] of Object.entries(ADDRESS_MAX_LENGTHS)) {
          const value = entity.personal_address[field];
          if (value !== undefined && (typeof value !== 'string' || value.length > max)) {
            problems.push(invalidField(`entity.personal_address.${field}`, `${field} must be a string of at most ${max} characters`));
          }
        }
        const country = entity.personal_address.country;
        if (typeof country === 'string' && !/^[A-Z]{3}$/.test(country)) problems.push(invalidField('entity.personal_address.country', 'country must be a 3-letter country code'));
      }
    }
    if (body.identity_roles !== undefined && (!Array.isArray(body.identity_roles) || body.identity_roles.some((role) => !IDENTITY_ROLES.has(role as string)))) {
      problems.push(invalidField('identity_roles', 'identity_roles contains an unknown role'));
    }
    if (body.type !== undefined && body.type !== 'PERSONAL' && body.type !== 'BUSINESS') problems.push(invalidField('type', 'type must be PERSONAL or BUSINESS'));
    if (body.tags !== undefined && body.tags !== null) {
      if (!isObject(body.tags)) return [...problems, invalidField('tags', 'tags must be an object')];
      const entries = Object.entries(body.tags);
      if (entries.length > 50) problems.push(invalidField('tags', 'tags may hold at most 50 key: value pairs'));
      for (const [key, value] of entries) {
        if (key.length > 40) problems.push(invalidField(`tags.${key}`, 'tag keys may be at most 40 characters'));
        if (typeof value !== 'string' || value.length > 500) problems.push(invalidField(`tags.${key}`, 'tag values must be strings of at most 500 characters'));
      }
    }
    return problems;
  }
}
