import type { Connector } from './connector';
import { StripeConnector } from './stripe/stripe.connector';
// connector imports: one line each, above this comment

/** Injection token for the registry. */
export const CONNECTORS = 'CONNECTORS';

/** Every processor this service can create customers at. Adding one is one line here. */
export function registeredConnectors(): Connector[] {
  return [
    new StripeConnector(),
    // connectors: one line each, above this comment
  ];
}

/** Connectors by `x-connector` name and by `x-connector-config` variant. */
export class ConnectorRegistry {
  private readonly byName: ReadonlyMap<string, Connector>;
  private readonly byVariant: ReadonlyMap<string, Connector>;

  constructor(readonly connectors: readonly Connector[]) {
    this.byName = new Map(connectors.map((c) => [c.descriptor.name, c]));
    this.byVariant = new Map(connectors.map((c) => [c.descriptor.configVariant, c]));
  }

  byConnectorName(name: string): Connector | undefined {
    return this.byName.get(name);
  }

  byConfigVariant(variant: string): Connector | undefined {
    return this.byVariant.get(variant);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  variants(): string[] {
    return [...this.byVariant.keys()];
  }
}
