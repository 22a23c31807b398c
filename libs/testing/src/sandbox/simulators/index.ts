import type { ProcessorSimulator } from './processor-simulator';
import { StripeSimulator } from './stripe.simulator';
import { AuthorizedotnetSimulator } from './authorizedotnet.simulator';
import { BraintreeSimulator } from './braintree.simulator';
import { Shift4Simulator } from './shift4.simulator';
import { CybersourceSimulator } from './cybersource.simulator';
import { SquareSimulator } from './square.simulator';
import { PaystackSimulator } from './paystack.simulator';
import { StaxSimulator } from './stax.simulator';
import { AirwallexSimulator } from './airwallex.simulator';
import { FinixSimulator } from './finix.simulator';
import { CheckoutSimulator } from './checkout.simulator';
import { MollieSimulator } from './mollie.simulator';
import { RazorpaySimulator } from './razorpay.simulator';
// simulator imports: one line each, above this comment

export { StripeSimulator };
export type { ProcessorSimulator, InjectedFault } from './processor-simulator';

/** Every simulated processor, mounted at `/<name>/`. Adding one is one line here. */
export function createSimulators() {
  return {
    stripe: new StripeSimulator(),
    authorizedotnet: new AuthorizedotnetSimulator(),
    braintree: new BraintreeSimulator(),
    shift4: new Shift4Simulator(),
    cybersource: new CybersourceSimulator(),
    square: new SquareSimulator(),
    paystack: new PaystackSimulator(),
    stax: new StaxSimulator(),
    airwallex: new AirwallexSimulator(),
    finix: new FinixSimulator(),
    checkout: new CheckoutSimulator(),
    mollie: new MollieSimulator(),
    razorpay: new RazorpaySimulator(),
    // simulators: one line each, above this comment
  } satisfies Record<string, ProcessorSimulator>;
}
