import { Query } from '@nestjs/cqrs';

/** A mechanic's bookings, counted for their dashboard (identity §2.2-17). Amounts in euros. */
export interface MechanicBookingStats {
  completedMissions: number;
  completedEarnings: number;
  completedMissionsSince: number;
  completedEarningsSince: number;
  /** Bookings the mechanic took on: neither waiting for their answer nor cancelled. */
  accepted: number;
  /** Bookings cancelled by the mechanic (a refusal is recorded so). */
  refused: number;
}

export class MechanicBookingStatsQuery extends Query<MechanicBookingStats> {
  constructor(
    readonly mechanicProfileId: string,
    /** Start of the period of the `…Since` figures (bookings created from then on). */
    readonly since: Date,
  ) {
    super();
  }
}
