import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SandboxRequest {
  method: string;
  /** Path below the simulator's mount point, e.g. `/v1/customers`. */
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  receivedAt: number;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** Milliseconds to wait before answering (slow processor). */
  delayMs?: number;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** Parses `a[b][c]=v` form bodies (Stripe's bracket notation) into nested objects. */
export function parseBracketForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/[[\]]+/).filter((segment) => segment !== '');
    let node = root;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        node[segment] = value;
      } else {
        const next = node[segment];
        node = (typeof next === 'object' && next !== null ? next : (node[segment] = {})) as Record<string, unknown>;
      }
    });
  }
  return root;
}

export function writeResponse(res: ServerResponse, response: SandboxResponse): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

export function randomId(prefix: string, length = 14): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = prefix;
  for (let i = 0; i < length; i += 1) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
}
