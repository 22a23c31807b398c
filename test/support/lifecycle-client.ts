import type { TestApp } from './test-app';
import { exchangeJson } from './test-app';
import type { TransportName } from './e2e-environment';

/** One call of the customer lifecycle over either transport, normalised: status (HTTP or gRPC code), body, error reason, response headers. */
export interface LifecycleAnswer<T = any> {
  ok: boolean;
  httpStatus?: number;
  grpcCode?: number;
  body?: T;
  reason?: string;
  message?: string;
  fieldViolations?: { field: string; description: string }[];
  header(name: string): string | undefined;
}

const PROFILES = 'connector_service.customer.v1.CustomerProfilesService';
const CUSTOMERS = 'types.CustomerService';

interface Route {
  grpc: [service: string, method: string];
  rest: (id: string, request: Record<string, unknown>) => { method: string; path: string; body?: unknown };
}

const query = (params: Record<string, unknown>) => {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined && value !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)]))}` : '';
};
const without = (request: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(request).filter(([key]) => !keys.includes(key)));
const path = (id: string) => `/v1/customers/${encodeURIComponent(id)}`;

export const ROUTES = {
  get: { grpc: [CUSTOMERS, 'Get'], rest: (id, r) => ({ method: 'GET', path: `${path(id)}${query({ connector_customer_id: r.connector_customer_id })}` }) },
  update: { grpc: [CUSTOMERS, 'Update'], rest: (id, r) => ({ method: 'PATCH', path: path(id), body: without(r, 'merchant_customer_id') }) },
  delete: { grpc: [CUSTOMERS, 'Delete'], rest: (id, r) => ({ method: 'DELETE', path: `${path(id)}${query({ connector_customer_id: r.connector_customer_id })}` }) },
  listProfiles: { grpc: [PROFILES, 'ListProfiles'], rest: (id, r) => ({ method: 'GET', path: `${path(id)}/profiles${query({ live: r.live })}` }) },
  createProfiles: { grpc: [PROFILES, 'CreateProfiles'], rest: (id, r) => ({ method: 'POST', path: `${path(id)}/profiles`, body: without(r, 'merchant_customer_id') }) },
  updateProfiles: { grpc: [PROFILES, 'UpdateProfiles'], rest: (id, r) => ({ method: 'PATCH', path: `${path(id)}/profiles`, body: without(r, 'merchant_customer_id') }) },
  eraseProfiles: { grpc: [PROFILES, 'EraseProfiles'], rest: (id) => ({ method: 'DELETE', path: `${path(id)}/profiles` }) },
  getOperation: { grpc: [PROFILES, 'GetOperation'], rest: (id, r) => ({ method: 'GET', path: `${path(id)}/profiles/operations/${String(r.operation_id)}` }) },
  listOperations: { grpc: [PROFILES, 'ListOperations'], rest: (id, r) => ({ method: 'GET', path: `${path(id)}/profiles/operations${query({ limit: r.limit })}` }) },
} satisfies Record<string, Route>;

export type LifecycleCall = keyof typeof ROUTES;

/** `request` in proto JSON form (SecretStrings as {"value": …}), with `merchant_customer_id`: REST puts it in the path. */
export async function lifecycle<T = any>(app: Pick<TestApp, 'httpUrl' | 'grpc'>, transport: TransportName, call: LifecycleCall, request: Record<string, unknown>, headers: Record<string, string> = {}): Promise<LifecycleAnswer<T>> {
  const route: Route = ROUTES[call];
  if (transport === 'rest') {
    const { method, path: url, body } = route.rest(String(request.merchant_customer_id), request);
    const result = await exchangeJson(`${app.httpUrl}${url}`, method, headers, body);
    const error = result.body?.error;
    return {
      ok: result.status < 300,
      httpStatus: result.status,
      body: error ? undefined : result.body,
      reason: error?.reason,
      message: error?.message,
      fieldViolations: error?.field_violations,
      header: (name) => result.headers.get(name) ?? undefined,
    };
  }
  const [service, method] = route.grpc;
  const result = await app.grpc.call<T>(service, method, request, headers);
  return {
    ok: !result.error,
    grpcCode: result.error ? result.error.code : 0,
    body: result.response,
    reason: result.details?.errorInfo?.reason,
    message: result.error?.details,
    fieldViolations: result.details?.fieldViolations,
    header: (name) => {
      const [value] = result.headers.get(name);
      return value === undefined ? undefined : String(value);
    },
  };
}
