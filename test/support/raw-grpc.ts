import { connect, constants } from 'node:http2';

export interface RawGrpcAnswer {
  /** `grpc-status` (from the trailers, or the headers of a trailers-only answer). */
  status: number;
  message: string;
  /** `grpc-status-details-bin`, decoded from base64. */
  details?: Buffer;
  /** The response message(s), gRPC length prefixes removed. */
  body: Buffer;
}

/**
 * One unary gRPC call written as HTTP/2 frames by hand (node:http2, no gRPC library), so the
 * bytes on the wire are exactly the test's: a protobuf message no encoder would produce, or a
 * gRPC frame whose length prefix says `declaredLength` while `message` carries other bytes.
 */
export function rawGrpcCall(address: string, path: string, message: Buffer, metadata: Record<string, string>, declaredLength = message.length): Promise<RawGrpcAnswer> {
  const session = connect(`http://${address}`);
  return new Promise<RawGrpcAnswer>((resolve, reject) => {
    session.on('error', reject);
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...metadata,
    });
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(declaredLength, 1);
    const chunks: Buffer[] = [];
    let headers: Record<string, unknown> = {};
    let trailers: Record<string, unknown> = {};
    stream.on('response', (h) => (headers = h));
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => {
      const all = { ...headers, ...trailers };
      const raw = Buffer.concat(chunks);
      const body: Buffer[] = [];
      for (let at = 0; at + 5 <= raw.length; at += 5 + raw.readUInt32BE(at + 1)) body.push(raw.subarray(at + 5, at + 5 + raw.readUInt32BE(at + 1)));
      const details = all['grpc-status-details-bin'];
      resolve({
        status: Number(all['grpc-status']),
        message: decodeURIComponent(String(all['grpc-message'] ?? '')),
        details: typeof details === 'string' ? Buffer.from(details, 'base64') : undefined,
        body: Buffer.concat(body),
      });
    });
    stream.end(Buffer.concat([prefix, message]));
  }).finally(() => session.close());
}
