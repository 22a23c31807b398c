import { Writable } from 'node:stream';

export interface CapturedLog {
  /** A pino destination that keeps every line, written synchronously. */
  stream: Writable;
  lines: string[];
  records(): Record<string, unknown>[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { stream, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
