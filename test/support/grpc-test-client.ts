import { credentials, loadPackageDefinition, Metadata, type ChannelCredentials, type ServiceError, type GrpcObject, type ServiceClientConstructor, type Client } from '@grpc/grpc-js';
import { decodeStatusDetails, type DecodedStatusDetails } from '@app/common/errors/grpc-status-details';
import { loadPackageDefinition as loadProjectProtos } from '../../apps/connector-service/src/grpc-options';
import { recordObserved, recordSentSecrets, withoutRequestedDetails } from './leak-audit';

export interface UnaryResult<T> {
  response?: T;
  error?: ServiceError;
  /** Decoded `grpc-status-details-bin` of an error. */
  details?: DecodedStatusDetails;
  headers: Metadata;
}

type Unary = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: unknown) => void,
) => { on(event: 'metadata', cb: (m: Metadata) => void): void };

/** Real clients set a deadline on every call (and the server must accept one); so does this one. */
const DEADLINE_MS = 30_000;

function lookup(root: GrpcObject, name: string): ServiceClientConstructor {
  return name.split('.').reduce<unknown>((node, part) => (node as GrpcObject)[part], root) as ServiceClientConstructor;
}

/**
 * A raw grpc-js client built from the project's own .proto files — what a Prism client does,
 * with nothing from Nest in between.
 */
export class GrpcTestClient {
  private readonly clients = new Map<string, Client>();
  private readonly root: GrpcObject;

  constructor(
    private readonly address: string,
    private readonly channelCredentials: ChannelCredentials = credentials.createInsecure(),
  ) {
    this.root = loadPackageDefinition(loadProjectProtos());
  }

  private client(service: string): Client {
    let client = this.clients.get(service);
    if (!client) {
      client = new (lookup(this.root, service))(this.address, this.channelCredentials);
      this.clients.set(service, client);
    }
    return client;
  }

  call<T>(service: string, method: string, request: unknown, headers: Record<string, string> = {}): Promise<UnaryResult<T>> {
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
    recordSentSecrets(headers, request);
    return new Promise<UnaryResult<T>>((resolve) => {
      let responseHeaders = new Metadata();
      const fn = (this.client(service) as unknown as Record<string, Unary>)[method].bind(this.client(service));
      const call = fn(request, metadata, { deadline: Date.now() + DEADLINE_MS }, (error, response) => {
        if (error) {
          const [bin] = error.metadata?.get('grpc-status-details-bin') ?? [];
          resolve({ error, details: bin ? decodeStatusDetails(bin as Buffer) : undefined, headers: responseHeaders });
        } else {
          resolve({ response: response as T, headers: responseHeaders });
        }
      });
      call.on('metadata', (m) => (responseHeaders = m));
    }).then((result) => {
      const trailers = result.error?.metadata ? JSON.stringify(result.error.metadata.toJSON()) : '';
      const response = ['Get', 'Update', 'ListProfiles'].includes(method) ? withoutRequestedDetails(result.response) : result.response;
      recordObserved('gRPC response', `${JSON.stringify(result.headers.toJSON())} ${trailers} ${result.error?.details ?? ''} ${JSON.stringify(result.details ?? {})} ${JSON.stringify(response ?? {})}`);
      return result;
    });
  }

  /** `types.CustomerService/Create`. */
  createCustomer<T = Record<string, unknown>>(request: unknown, headers: Record<string, string>) {
    return this.call<T>('types.CustomerService', 'Create', request, headers);
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
  }
}
