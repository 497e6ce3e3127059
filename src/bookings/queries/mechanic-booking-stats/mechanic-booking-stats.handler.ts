import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type MechanicBookingStats, MechanicBookingStatsQuery } from './mechanic-booking-stats.query';

/** One pass over the mechanic's bookings; sums stay exact numerics until they leave the database. */
@QueryHandler(MechanicBookingStatsQuery)
export class MechanicBookingStatsHandler implements IQueryHandler<MechanicBookingStatsQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ mechanicProfileId, since }: MechanicBookingStatsQuery): Promise<MechanicBookingStats> {
    const [row]: Record<keyof MechanicBookingStats, string>[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'completed') AS "completedMissions",
              coalesce(sum(mechanic_payout) FILTER (WHERE status = 'completed'), 0) AS "completedEarnings",
              count(*) FILTER (WHERE status = 'completed' AND created_at >= $2) AS "completedMissionsSince",
              coalesce(sum(mechanic_payout) FILTER (WHERE status = 'completed' AND created_at >= $2), 0)
                AS "completedEarningsSince",
              count(*) FILTER (WHERE status NOT IN ('pending_acceptance', 'cancelled')) AS accepted,
              count(*) FILTER (WHERE status = 'cancelled' AND cancelled_by = 'mechanic') AS refused
         FROM bookings WHERE mechanic_id = $1`,
      [mechanicProfileId, since],
    );
    return {
      completedMissions: Number(row.completedMissions),
      completedEarnings: Number(row.completedEarnings),
      completedMissionsSince: Number(row.completedMissionsSince),
      completedEarningsSince: Number(row.completedEarningsSince),
      accepted: Number(row.accepted),
      refused: Number(row.refused),
    };
  }
}
