import type { SandboxRequest } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

/**
 * Builds requests to one simulator endpoint: a POST of `body` (JSON-encoded unless already a
 * string) to `path` with `headers`, received now; `overrides` replace any part.
 */
export function postsTo(path: string, headers: SandboxRequest['headers']) {
  return (body: unknown, overrides: Partial<SandboxRequest> = {}): SandboxRequest => ({
    method: 'POST',
    path,
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    receivedAt: Date.now(),
    ...overrides,
  });
}

/** The simulator's answer to `request`: its status and its body parsed as JSON. */
export async function answerOf<T>(simulator: ProcessorSimulator, request: SandboxRequest): Promise<{ status: number; body: T }> {
  const response = await simulator.handle(request);
  return { status: response.status, body: JSON.parse(response.body) as T };
}
