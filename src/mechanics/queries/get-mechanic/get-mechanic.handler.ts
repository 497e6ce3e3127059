import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { futureFreeSlot, SlotClock } from '../../domain/slot-clock';
import { availabilityResponse, diplomaResponse, mechanicDetail } from '../../http/mechanic.responses';
import { AvailabilityEntity } from '../../persistence/availability.entity';
import { DiplomaEntity } from '../../persistence/diploma.entity';
import { MechanicProfileEntity } from '../../persistence/mechanic-profile.entity';
import { GetMechanicQuery, type MechanicPublicProfile, type ReviewSummary } from './get-mechanic.query';

/** How far ahead the public profile lists free slots. */
const WEEK_AHEAD_DAYS = 7;

/** messaging-reports §3.3 "Exposure elsewhere": the profile shows its 5 latest public reviews. */
const LATEST_REVIEWS = 5;

/**
 * GET /mechanics/{id} (identity §2.2-27): the public profile, with rounded coordinates, free slots
 * of the coming week, diplomas without their documents and the latest public reviews, whose author
 * is never named.
 */
@QueryHandler(GetMechanicQuery)
export class GetMechanicHandler implements IQueryHandler<GetMechanicQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly slotClock: SlotClock,
  ) {}

  async execute({ mechanicId }: GetMechanicQuery): Promise<MechanicPublicProfile> {
    const profile = await this.dataSource.getRepository(MechanicProfileEntity).findOneBy({ id: mechanicId });
    if (!profile) throw new DomainError('mechanic_not_found', 'Mechanic not found');
    const now = this.slotClock.now();
    const slots = await this.dataSource
      .getRepository(AvailabilityEntity)
      .createQueryBuilder('a')
      .where('a.mechanic_id = :id', { id: profile.id })
      .andWhere(futureFreeSlot('a', ':today', ':time'), { today: now.date, time: now.time })
      .andWhere(`a.date <= CAST(:today AS date) + ${WEEK_AHEAD_DAYS}`)
      .orderBy('a.date')
      .addOrderBy('a.start_time')
      .getMany();
    const diplomas = await this.dataSource
      .getRepository(DiplomaEntity)
      .find({ where: { mechanicId: profile.id }, order: { createdAt: 'DESC' } });
    return {
      profile: mechanicDetail(profile, { roundCoordinates: true }),
      reviews: await this.latestPublicReviews(profile.userId),
      availabilities: slots.map(availabilityResponse),
      diplomas: diplomas.map((diploma) => diplomaResponse(diploma, 'public')),
    };
  }

  /** Plain SQL rather than the reviews module's entity, whose persistence is its own. */
  private async latestPublicReviews(mechanicUserId: string): Promise<ReviewSummary[]> {
    const rows: { id: string; rating: number; comment: string | null; created_at: Date }[] =
      await this.dataSource.query(
        `SELECT id, rating, comment, created_at FROM reviews
          WHERE reviewee_id = $1 AND is_public
          ORDER BY created_at DESC, id DESC
          LIMIT ${LATEST_REVIEWS}`,
        [mechanicUserId],
      );
    return rows.map((row) => ({
      id: row.id,
      rating: row.rating,
      comment: row.comment,
      created_at: row.created_at.toISOString(),
      reviewer_name: null,
    }));
  }
}
