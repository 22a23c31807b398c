/** Injection token of the optional observer told about every processor call (metrics). */
export const PROCESSOR_CALL_OBSERVER = 'PROCESSOR_CALL_OBSERVER';

export interface ProcessorCallObserver {
  /**
   * One finished call. `status` is the HTTP status as text, or what kept the call from getting
   * one: `timeout`, `unreachable`, `invalid_response`.
   */
  processorCall(connector: string, status: string, seconds: number): void;
}
