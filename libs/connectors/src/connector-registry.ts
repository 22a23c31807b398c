import { Inject, Injectable, type Type } from '@nestjs/common';
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

/** Multi-provider token: every registered connector, as Nest built them (ConnectorsModule). */
export const CONNECTORS = 'CONNECTORS';

/** Every processor this service serves, as Nest providers. Adding one is one line here. */
export const CONNECTOR_TYPES: readonly Type<Connector>[] = [
  StripeConnector,
  AuthorizedotnetConnector,
  BraintreeConnector,
  Shift4Connector,
  CybersourceConnector,
  StaxConnector,
  SquareConnector,
  PaystackConnector,
  AirwallexConnector,
  FinixConnector,
  CheckoutConnector,
  MollieConnector,
  RazorpayConnector,
  AdyenConnector,
  // connectors: one line each, above this comment
];

/** Connectors by `x-connector` name and by `x-connector-config` variant. */
@Injectable()
export class ConnectorRegistry {
  private readonly byName: ReadonlyMap<string, Connector>;
  private readonly byVariant: ReadonlyMap<string, Connector>;

  constructor(@Inject(CONNECTORS) readonly connectors: readonly Connector[]) {
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
