import type { ProcessorSimulator } from './processor-simulator';
import { StripeSimulator } from './stripe.simulator';

export { StripeSimulator };
export type { ProcessorSimulator, InjectedFault } from './processor-simulator';

/** Every simulated processor, mounted at `/<name>/`. Adding one is one line here. */
export function createSimulators() {
  return { stripe: new StripeSimulator() } satisfies Record<string, ProcessorSimulator>;
}
