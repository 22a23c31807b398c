import type { ProcessorSimulator } from './processor-simulator';
import { StripeSimulator } from './stripe.simulator';
// simulator imports: one line each, above this comment

export { StripeSimulator };
export type { ProcessorSimulator, InjectedFault } from './processor-simulator';

/** Every simulated processor, mounted at `/<name>/`. Adding one is one line here. */
export function createSimulators() {
  return {
    stripe: new StripeSimulator(),
    // simulators: one line each, above this comment
  } satisfies Record<string, ProcessorSimulator>;
}
