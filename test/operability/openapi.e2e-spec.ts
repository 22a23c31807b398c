import Ajv from 'ajv';
import type { Express } from 'express';
import oas30Schema from '../contracts/openapi/oas-3.0.schema.2021-09-28.json';
import { useE2eEnvironment } from '../support/e2e-environment';
import { getJson } from '../support/test-app';
import { testDatabaseProviders } from '../support/test-databases';

type Json = Record<string, any>;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The official OAS 3.0 JSON Schema (draft-04) for ajv 8 (draft-07): `id` → `$id`, and the one
 * boolean `exclusiveMinimum` in its numeric form.
 */
function oas30Validator() {
  const schema = JSON.parse(JSON.stringify(oas30Schema).replace(/"minimum":0,"exclusiveMinimum":true/g, '"exclusiveMinimum":0')) as Json;
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'http://base.invalid/'));
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
  ajv.addFormat('regex', (value: string) => {
    try {
      new RegExp(value);
      return true;
    } catch {
      return false;
    }
  });
  return ajv.compile(schema);
}

/** Every route Express holds (Nest's controllers and Swagger's own), as `METHOD /path/{param}`. */
function registeredRoutes(express: Express): string[] {
  const router = (express as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
  return router.stack
    .filter((layer) => layer.route)
    .flatMap(({ route }) => Object.keys(route!.methods).filter((method) => route!.methods[method]).map((method) => `${method.toUpperCase()} ${route!.path.replace(/:(\w+)/g, '{$1}')}`));
}

function documentedRoutes(document: Json): string[] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) => Object.keys(item).filter((key) => HTTP_METHODS.includes(key)).map((method) => `${method.toUpperCase()} ${path}`));
}

function refsOf(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child) => refsOf(child, into));
  else if (node && typeof node === 'object') for (const [key, value] of Object.entries(node)) key === '$ref' ? into.push(value as string) : refsOf(value, into);
  return into;
}

/** Swagger UI's own files under /docs/ (and /docs/ itself, the page again): part of the page, not of the API. */
const isSwaggerUiAsset = (route: string) => route.startsWith('GET /docs/') && route !== 'GET /docs/openapi.json';

describe('OpenAPI document', () => {
  const env = useE2eEnvironment(testDatabaseProviders()[0]);
  let document: Json;

  beforeAll(async () => {
    const response = await getJson(`${env.app.httpUrl}/docs/openapi.json`);
    expect(response.status).toBe(200);
    document = response.body;
  });

  it('is a valid OpenAPI 3.0 document (the official JSON Schema), every $ref resolving', () => {
    const validate = oas30Validator();

    const valid = validate(document);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(document.openapi).toMatch(/^3\.0\.\d$/);
    for (const ref of refsOf(document)) {
      const target = ref.replace(/^#\//, '').split('/').reduce<any>((node, part) => node?.[part], document);
      expect({ ref, resolved: target !== undefined }).toEqual({ ref, resolved: true });
    }
  });

  it.each<[string, (copy: Json) => void]>([
    ['a response without its description', (copy) => delete copy.paths['/v1/customers'].post.responses['201'].description],
    ['a header parameter without a schema', (copy) => delete copy.paths['/v1/customers'].post.parameters[0].schema],
    ['an unknown field on an operation', (copy) => (copy.paths['/health'].get.summaryy = 'typo')],
    ['another OpenAPI version', (copy) => (copy.openapi = '3.1.0')],
  ])('(the oracle itself refuses %s)', (_case, breakIt) => {
    const copy = JSON.parse(JSON.stringify(document)) as Json;
    breakIt(copy);

    expect(oas30Validator()(copy)).toBe(false);
  });

  it('lists exactly the REST routes the application maps (a new route without documentation fails here)', () => {
    const registered = registeredRoutes(env.app.service.app.getHttpAdapter().getInstance() as Express).filter((route) => !isSwaggerUiAsset(route));

    expect(registered).toEqual(expect.arrayContaining(['POST /v1/customers', 'GET /v1/admin/customer-mappings', 'GET /admin', 'POST /admin/login', 'GET /health/ready']));
    // Metrics have their own listener (METRICS_PORT).
    expect(registered).not.toContain('GET /metrics');
    expect([...new Set(documentedRoutes(document))].sort()).toEqual([...new Set(registered)].sort());
  });

  it('documents the Create headers, request and response schemas with examples', () => {
    for (const path of ['/v1/customers', '/payments/create_connector_customer']) {
      const operation = document.paths[path].post;
      const headers = operation.parameters.filter((p: Json) => p.in === 'header').map((p: Json) => p.name);

      expect(headers).toEqual(expect.arrayContaining(['x-connector-config', 'x-connector-account', 'x-merchant-id', 'x-tenant-id', 'x-request-id']));
      expect(operation.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateCustomerRequestDto' });
      expect(Object.keys(operation.requestBody.content['application/json'].examples)).toEqual(['minimal', 'full']);
      expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateCustomerResponseDto' });
      expect(operation.responses['200'].headers).toHaveProperty('x-idempotent-replayed');
    }
    expect(document.paths['/v1/customers'].post.responses['201']).toBeDefined();
    const request = document.components.schemas.CreateCustomerRequestDto;
    expect(request.required).toEqual(['merchant_customer_id']);
    expect(Object.keys(request.properties)).toEqual(['merchant_customer_id', 'customer_name', 'email', 'phone_number', 'address', 'metadata', 'connector_feature_data', 'test_mode']);
  });

  it('documents every error answer with the {"error":{…}} body and an example rendered by the real presenter', () => {
    const create = document.paths['/v1/customers'].post.responses;

    for (const status of ['400', '401', '403', '409', '412', '413', '429', '500', '502', '503', '504']) {
      expect(create[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBodyDto' });
    }
    expect(create['400'].content['application/json'].examples.VALIDATION_FAILED.value).toEqual({
      error: {
        code: '400',
        message: 'Invalid request: email: must be a valid email address',
        reason: 'VALIDATION_FAILED',
        request_id: expect.any(String),
        field_violations: [{ field: 'email', description: 'must be a valid email address' }],
      },
    });
    expect(document.components.schemas.ErrorBodyDto.properties.error).toEqual({ $ref: '#/components/schemas/ErrorDetailDto' });
  });

  it('documents the admin token on the admin API', () => {
    expect(document.components.securitySchemes['admin-token']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    for (const [path, item] of Object.entries(document.paths as Json).filter(([p]) => p.startsWith('/v1/admin/'))) {
      for (const method of Object.keys(item)) {
        const operation = item[method];
        expect({ path, security: operation.security }).toEqual({ path, security: [{ 'admin-token': [] }] });
        expect(operation.parameters.map((p: Json) => p.name)).toEqual(expect.arrayContaining(['authorization', 'x-tenant-id']));
        expect(operation.responses['401'].content['application/json'].examples.ADMIN_UNAUTHENTICATED).toBeDefined();
      }
    }
  });

  it('serves the Swagger UI page at /docs, from this service (no CDN)', async () => {
    const page = await fetch(`${env.app.httpUrl}/docs`);
    const html = await page.text();
    const init = await fetch(`${env.app.httpUrl}/docs/swagger-ui-init.js`);

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.js/);
    expect(await init.text()).toContain('openapi.json');
  });
});
