import { Injectable } from '@nestjs/common';
import { DomainError, type FieldViolation } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import {
  flowHandler,
  type Connector,
  type FlowCall,
  type FlowDeclaration,
  type FlowHandler,
  type FlowName,
  type FlowResult,
  type OutgoingRequest,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorRequest,
  type ProcessorSession,
} from '../connector';
import { ConnectorHttpClient } from '../http/connector-http-client';
import { joinedUrl } from '../http/join-url';
import type { InboundResponse } from '../http/processor-http';
import { isSuccessStatus, parseJsonBody } from '../http/processor-response';
import { CallPolicy, type RetryRule } from './call-policy';

/** Human names of the flows, for the UNIMPLEMENTED message. */
const FLOW_DESCRIPTIONS: Readonly<Record<FlowName, string>> = {
  create: 'customer create',
  findCreated: 'lookup of a customer by our back-reference',
  get: 'customer retrieval',
  update: 'customer update',
  delete: 'customer deletion',
  identifyAccount: 'account lookup',
};

export interface RunOptions {
  /** Attempt the flow again on a transient failure, where the rule allows it. */
  retry?: RetryRule;
}

/**
 * The one way a flow reaches a processor. A flow builds requests and reads answers; the executor
 * resolves the URL, adds the protocol's authentication, sends through the origin's circuit
 * breaker and the transport (deadline, size cap, no redirects), decodes the body, and turns a
 * refusal into the protocol's error. A flow a connector does not declare is refused as
 * UNIMPLEMENTED naming the processor and the flow, before anything is sent.
 */
@Injectable()
export class ConnectorExecutor {
  constructor(
    private readonly http: ConnectorHttpClient,
    private readonly policy: CallPolicy,
  ) {}

  supports(connector: Connector, flow: FlowName): boolean {
    return flowHandler(connector, flow) !== undefined;
  }

  /** The processor's limits on `customer` for `flow`: empty when it fits. */
  validate(connector: Connector, flow: FlowName, customer: CustomerProfile): FieldViolation[] {
    return flowHandler(connector, flow)?.validate?.(customer) ?? [];
  }

  async run<F extends FlowName>(connector: Connector, flow: F, call: FlowCall<F>, options: RunOptions = {}): Promise<FlowResult<F>> {
    const handler = this.handlerOf(connector, flow);
    const attempt = () => this.perform(connector, handler, call);
    return options.retry ? this.policy.withRetries(options.retry, attempt) : attempt();
  }

  private handlerOf<F extends FlowName>(connector: Connector, flow: F): FlowHandler<FlowCall<F>, FlowResult<F>> {
    const handler = flowHandler(connector, flow);
    if (handler) return handler;
    const { displayName, name } = connector.descriptor;
    const declared = connector.flows[flow] as FlowDeclaration<FlowCall<F>, FlowResult<F>> | undefined;
    const why = declared?.shape === 'unsupported' ? `: ${declared.why}` : '';
    throw new DomainError(ErrorReason.ConnectorNotImplemented, `${displayName} does not support ${FLOW_DESCRIPTIONS[flow]}${why}`, {
      connector: { connector: name, code: 'flow_not_supported', message: `${flow} is not supported${why}` },
      outcomeUnknown: false,
    });
  }

  private perform<C extends ProcessorCall, R>(connector: Connector, handler: FlowHandler<C, R>, call: C): Promise<R> {
    const session = this.session(connector, call);
    if (handler.shape === 'conversation') return handler.run(call, session);
    return session.send(handler.request(call), { accepts: handler.accepts }).then((answer) => handler.parse(answer, call));
  }

  private session(connector: Connector, call: ProcessorCall): ProcessorSession {
    const session: ProcessorSession = {
      send: (request, options = {}) => this.exchange(connector, call, session, request, options.accepts ?? [], options.authenticate ?? true),
      run: (flow, flowCall) => this.perform(connector, this.handlerOf(connector, flow), flowCall),
    };
    return session;
  }

  private async exchange(
    connector: Connector,
    call: ProcessorCall,
    session: ProcessorSession,
    request: ProcessorRequest,
    accepts: readonly number[],
    authenticate: boolean,
  ): Promise<ProcessorAnswer> {
    const url = targetOf(call.baseUrl, request);
    const outgoing: OutgoingRequest = { method: request.method, url: url.toString(), body: request.json !== undefined ? JSON.stringify(request.json) : request.body };
    const authentication = authenticate ? await connector.protocol.authenticate(call, outgoing, session) : { headers: {} };
    const headers = { ...contentTypeOf(request), ...authentication.headers, ...request.headers };
    let response = await this.transmit(connector, url.origin, outgoing, headers);
    if (response.status === 401 && authentication.renew) {
      response = await this.transmit(connector, url.origin, outgoing, { ...headers, ...(await authentication.renew()) });
    }
    const answer: ProcessorAnswer = { status: response.status, headers: response.headers, body: this.decode(connector, response), raw: response };
    if (isSuccessStatus(answer.status) || accepts.includes(answer.status)) return answer;
    throw connector.protocol.error(answer);
  }

  private transmit(connector: Connector, origin: string, outgoing: OutgoingRequest, headers: Record<string, string>): Promise<InboundResponse> {
    const name = connector.descriptor.name;
    return this.policy.guarded(name, origin, () => this.http.send(name, { method: outgoing.method, url: outgoing.url, headers, body: outgoing.body }));
  }

  private decode(connector: Connector, response: InboundResponse): unknown {
    // A 204 has no content by definition (RFC 9110 §15.3.5), whatever the processor's protocol.
    if (response.status === 204) return undefined;
    return connector.protocol.decode ? connector.protocol.decode(response) : parseJsonBody(connector.descriptor, response);
  }
}

/** The request's URL, parsed once: its text is sent (and signed), its origin picks the circuit. */
function targetOf(baseUrl: string, request: ProcessorRequest): URL {
  const url = request.path === '' ? new URL(baseUrl) : joinedUrl(baseUrl, request.path);
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
  return url;
}

function contentTypeOf(request: ProcessorRequest): Record<string, string> {
  return request.json !== undefined ? { 'content-type': 'application/json' } : {};
}
