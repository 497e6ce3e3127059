import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { refusalError } from '../../domain/booking-refusals';
import { lockBooking } from '../../persistence/booking.locks';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { CheckInCommand, type CheckInResult } from './check-in.command';

/** §3.5: a mechanic position this close to the meeting point makes the no-show report suspect. */
const NEARBY_KM = 0.5;

/**
 * The buyer at the meeting point. Mechanic present, T8/T8b: the code to show them; called again
 * while the booking awaits the code, it issues a fresh one (N13.7): the runner overwrites the hash,
 * the attempts and the issue time in the same update, so the old code and its attempts are gone.
 * Mechanic absent, T9: a no-show dispute, with a warning when the mechanic's last position was near
 * the meeting point (informational: the dispute is opened all the same).
 */
@CommandHandler(CheckInCommand)
export class CheckInHandler implements ICommandHandler<CheckInCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: BookingTransitionRunner,
  ) {}

  async execute({ bookingId, buyerId, mechanicPresent }: CheckInCommand): Promise<CheckInResult> {
    const { applied, nearby } = await inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      const result = await this.transitions.apply(manager, booking, {
        type: mechanicPresent ? 'check_in' : 'report_no_show',
        // The route requires a verified buyer (§3.5).
        actor: { role: 'buyer', userId: buyerId, emailVerified: true },
      });
      if (!result.ok) throw refusalError(result);
      return { applied: result, nearby: !mechanicPresent && (await mechanicNearby(manager, bookingId)) };
    });
    this.transitions.count(applied);
    return {
      check_in_code: applied.checkInCode,
      dispute_opened: applied.disputeReason !== null,
      mechanic_nearby_warning: nearby,
    };
  }
}

/** Both coordinates set and within NEARBY_KM on the WGS-84 geodesic; the age of the fix is not checked (§3.5). */
async function mechanicNearby(manager: EntityManager, bookingId: string): Promise<boolean> {
  const [row]: { nearby: boolean }[] = await manager.query(
    `SELECT coalesce(geodesic_distance_km(meeting_lat::float8, meeting_lng::float8,
                                          mechanic_lat::float8, mechanic_lng::float8) <= $2, false) AS nearby
       FROM bookings WHERE id = $1`,
    [bookingId, NEARBY_KM],
  );
  return row.nearby;
}
