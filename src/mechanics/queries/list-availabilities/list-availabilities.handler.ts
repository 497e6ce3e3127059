import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { futureFreeSlot, SlotClock } from '../../domain/slot-clock';
import { availabilityResponse, type AvailabilityResponse } from '../../http/mechanic.responses';
import { AvailabilityEntity } from '../../persistence/availability.entity';
import { ListAvailabilitiesQuery } from './list-availabilities.query';

const MAX_RANGE_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * GET /mechanics/availabilities (identity §2.2-25): a mechanic's free future slots in a date range
 * of at most 90 days. A reversed range is not an error, just empty.
 */
@QueryHandler(ListAvailabilitiesQuery)
export class ListAvailabilitiesHandler implements IQueryHandler<ListAvailabilitiesQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly slotClock: SlotClock,
  ) {}

  async execute({ parameters: p }: ListAvailabilitiesQuery): Promise<AvailabilityResponse[]> {
    const days = (Date.parse(p.date_to) - Date.parse(p.date_from)) / DAY_MS;
    if (days > MAX_RANGE_DAYS) {
      throw new DomainError('date_range_too_long', `Date range cannot exceed ${MAX_RANGE_DAYS} days`);
    }
    const now = this.slotClock.now();
    const slots = await this.dataSource
      .getRepository(AvailabilityEntity)
      .createQueryBuilder('a')
      .where('a.mechanic_id = :id', { id: p.mechanic_id })
      .andWhere(futureFreeSlot('a', ':today', ':time'), { today: now.date, time: now.time })
      .andWhere('a.date BETWEEN :from AND :to', { from: p.date_from, to: p.date_to })
      .orderBy('a.date')
      .addOrderBy('a.start_time')
      .take(p.limit)
      .getMany();
    return slots.map(availabilityResponse);
  }
}
