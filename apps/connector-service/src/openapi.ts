import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/** The OpenAPI 3 document of every REST route, from the controllers' and DTOs' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('connector-service')
    .setDescription(
      'Creates customer profiles at payment processors — once. REST mirror of the Prism-compatible gRPC `types.CustomerService/Create` ' +
        '(same messages, same validation, same errors), the admin lookup of stored mappings, health and metrics. ' +
        'Every error answers `{"error":{…}}` with the HTTP status of the error table, a `reason` and the `request_id`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_API_TOKEN (admin API only)' }, 'admin-token')
    .addTag('customers', 'Create a customer at a processor, or get the one created before')
    .addTag('admin', 'Look up and settle stored mappings (Authorization: Bearer ADMIN_API_TOKEN)')
    .addTag('operations', 'Health, metrics, API documentation')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  document.paths[`/${DOCS_PATH}`] = {
    get: {
      tags: ['operations'],
      summary: 'This documentation (Swagger UI)',
      operationId: 'Docs_page',
      responses: { '200': { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  };
  document.paths[`/${OPENAPI_JSON_PATH}`] = {
    get: {
      tags: ['operations'],
      summary: 'This document (OpenAPI 3.0, JSON)',
      operationId: 'Docs_openapi',
      responses: { '200': { description: 'The OpenAPI document', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  };
  return document;
}

/** `GET /docs` (Swagger UI, served from swagger-ui-dist: no CDN) and `GET /docs/openapi.json`. Before `init()`. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'connector-service API',
    swaggerOptions: { persistAuthorization: false, tryItOutEnabled: false },
  });
}
