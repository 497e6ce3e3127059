export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');

export interface DeliveryOptions {
  /** Off for the CLI: it enqueues (through the commands it runs) but leaves delivery to the servers. */
  workersEnabled: boolean;
  /** How often an idle worker looks for new jobs (pg-boss's minimum is 0.5 s). */
  pollingIntervalSeconds: number;
}
