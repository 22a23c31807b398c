import type { Connector } from './connector';
import { StripeConnector } from './stripe/stripe.connector';
import { AuthorizedotnetConnector } from './authorizedotnet/authorizedotnet.connector';
import { BraintreeConnector } from './braintree/braintree.connector';
import { Shift4Connector } from './shift4/shift4.connector';
import { CybersourceConnector } from './cybersource/cybersource.connector';
import { StaxConnector } from './stax/stax.connector';
import { SquareConnector } from './square/square.connector';
import { PaystackConnector } from './paystack/paystack.connector';
import { AirwallexConnector } from './airwallex/airwallex.connector';
import { FinixConnector } from './finix/finix.connector';
import { CheckoutConnector } from './checkout/checkout.connector';
import { MollieConnector } from './mollie/mollie.connector';
import { RazorpayConnector } from './razorpay/razorpay.connector';
import { AdyenConnector } from './adyen/adyen.connector';
// connector imports: one line each, above this comment

/** Injection token for the registry. */
export const CONNECTORS = 'CONNECTORS';

/** Every processor this service can create customers at. Adding one is one line here. */
export function registeredConnectors(): Connector[] {
  return [
    new StripeConnector(),
    new AuthorizedotnetConnector(),
    new BraintreeConnector(),
    new Shift4Connector(),
    new CybersourceConnector(),
    new StaxConnector(),
    new SquareConnector(),
    new PaystackConnector(),
    new AirwallexConnector(),
    new FinixConnector(),
    new CheckoutConnector(),
    new MollieConnector(),
    new RazorpayConnector(),
    new AdyenConnector(),
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
