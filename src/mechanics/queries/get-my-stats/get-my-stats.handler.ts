import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MechanicBookingStatsQuery } from '../../../bookings/queries/mechanic-booking-stats/mechanic-booking-stats.query';
import { Clock } from '../../../common/clock/clock';
import { MechanicProfileEntity } from '../../persistence/mechanic-profile.entity';
import { GetMyStatsQuery, type MechanicStatsResponse } from './get-my-stats.query';

/** The first instant of the current month in UTC: "this month" counts bookings created since. */
function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/**
 * The mechanic's dashboard: the booking figures come from the bookings module (its query), the
 * rating from the profile. Acceptance counts what they took on against what they cancelled or
 * refused; with neither yet it is 100.0, as in the original.
 */
@QueryHandler(GetMyStatsQuery)
export class GetMyStatsHandler implements IQueryHandler<GetMyStatsQuery> {
  constructor(
    private readonly queries: QueryBus,
    @InjectRepository(MechanicProfileEntity) private readonly profiles: Repository<MechanicProfileEntity>,
    private readonly clock: Clock,
  ) {}

  async execute({ mechanicProfileId }: GetMyStatsQuery): Promise<MechanicStatsResponse> {
    const [bookings, profile] = await Promise.all([
      this.queries.execute(
        new MechanicBookingStatsQuery(mechanicProfileId, startOfUtcMonth(this.clock.now())),
      ),
      this.profiles.findOneByOrFail({ id: mechanicProfileId }),
    ]);
    const decided = bookings.accepted + bookings.refused;
    return {
      total_missions: bookings.completedMissions,
      total_earnings: bookings.completedEarnings,
      this_month_missions: bookings.completedMissionsSince,
      this_month_earnings: bookings.completedEarningsSince,
      average_rating: Number(profile.ratingAvg),
      total_reviews: profile.totalReviews,
      acceptance_rate: decided === 0 ? 100 : Math.round((bookings.accepted / decided) * 1000) / 10,
    };
  }
}
