import { Command } from '@nestjs/cqrs';

export type Resolution = 'buyer' | 'mechanic';

/** §9.3 response. */
export interface ResolveDisputeResult {
  status: 'resolved';
  resolution: Resolution;
}

/** PATCH /payments/disputes/resolve (§9.3, T15/T16), by an admin. */
export class ResolveDisputeCommand extends Command<ResolveDisputeResult> {
  constructor(
    readonly disputeId: string,
    readonly resolution: Resolution,
    readonly notes: string,
    readonly adminId: string,
  ) {
    super();
  }
}
