import * as protobuf from 'protobufjs';
import type { FieldViolation } from './domain-error';

/** The google.rpc messages carried in `grpc-status-details-bin` (the standard rich error model). */
const descriptor: protobuf.INamespace = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            ErrorInfo: {
              fields: {
                reason: { type: 'string', id: 1 },
                domain: { type: 'string', id: 2 },
                metadata: { keyType: 'string', type: 'string', id: 3 },
              },
            },
            BadRequest: {
              fields: { field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
              nested: {
                FieldViolation: { fields: { field: { type: 'string', id: 1 }, description: { type: 'string', id: 2 } } },
              },
            },
            RetryInfo: { fields: { retry_delay: { type: 'google.protobuf.Duration', id: 1 } } },
          },
        },
      },
    },
  },
} as protobuf.INamespace;
const root = protobuf.Root.fromJSON(descriptor);

const StatusType = root.lookupType('google.rpc.Status');
const ErrorInfoType = root.lookupType('google.rpc.ErrorInfo');
const BadRequestType = root.lookupType('google.rpc.BadRequest');
const RetryInfoType = root.lookupType('google.rpc.RetryInfo');

export const ERROR_DOMAIN = 'connector-service';

export interface StatusDetailsInput {
  code: number;
  message: string;
  reason: string;
  metadata: Record<string, string>;
  fieldViolations?: FieldViolation[];
  retryAfterSeconds?: number;
}

function any(type: protobuf.Type, payload: Record<string, unknown>) {
  return { type_url: `type.googleapis.com/${type.fullName.replace(/^\./, '')}`, value: type.encode(type.fromObject(payload)).finish() };
}

/** Encodes a google.rpc.Status with ErrorInfo, BadRequest and RetryInfo details. */
export function encodeStatusDetails(input: StatusDetailsInput): Buffer {
  const details = [any(ErrorInfoType, { reason: input.reason, domain: ERROR_DOMAIN, metadata: input.metadata })];
  if (input.fieldViolations?.length) {
    details.push(any(BadRequestType, { field_violations: input.fieldViolations }));
  }
  if (input.retryAfterSeconds !== undefined) {
    details.push(any(RetryInfoType, { retry_delay: { seconds: Math.ceil(input.retryAfterSeconds), nanos: 0 } }));
  }
  const status = StatusType.fromObject({ code: input.code, message: input.message, details });
  return Buffer.from(StatusType.encode(status).finish());
}

export interface DecodedStatusDetails {
  code: number;
  message: string;
  errorInfo?: { reason: string; domain: string; metadata: Record<string, string> };
  fieldViolations: FieldViolation[];
  retryDelaySeconds?: number;
}

/** Decodes `grpc-status-details-bin`; used by tests and by clients of this package. */
export function decodeStatusDetails(buffer: Buffer): DecodedStatusDetails {
  const status = StatusType.toObject(StatusType.decode(buffer), { defaults: true }) as {
    code: number;
    message: string;
    details: { type_url: string; value: Uint8Array }[];
  };
  const decoded: DecodedStatusDetails = { code: status.code, message: status.message, fieldViolations: [] };
  for (const detail of status.details) {
    const typeName = detail.type_url.split('/').pop();
    if (typeName === 'google.rpc.ErrorInfo') {
      decoded.errorInfo = ErrorInfoType.toObject(ErrorInfoType.decode(detail.value), { defaults: true }) as DecodedStatusDetails['errorInfo'];
    } else if (typeName === 'google.rpc.BadRequest') {
      const badRequest = BadRequestType.toObject(BadRequestType.decode(detail.value), { defaults: true }) as { field_violations: FieldViolation[] };
      decoded.fieldViolations = badRequest.field_violations;
    } else if (typeName === 'google.rpc.RetryInfo') {
      const retry = RetryInfoType.toObject(RetryInfoType.decode(detail.value), { longs: Number, defaults: true }) as { retry_delay: { seconds: number } };
      decoded.retryDelaySeconds = retry.retry_delay.seconds;
    }
  }
  return decoded;
}
