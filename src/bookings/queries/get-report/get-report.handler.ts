import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { Storage } from '../../../storage/storage';
import { MESSAGES } from '../../domain/booking-refusals';
import { BookingEntity } from '../../persistence/booking.entity';
import { reportUrlOf } from '../../persistence/inspection-records';
import { mayReadBooking } from '../booking-surroundings';
import { GetReportQuery } from './get-report.query';

/**
 * The report is private (issue 8): it is read from storage for the booking's buyer, its mechanic
 * and admins, with the access rules and messages of GET /bookings/{id} (§3.11).
 */
@QueryHandler(GetReportQuery)
export class GetReportHandler implements IQueryHandler<GetReportQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: Storage,
  ) {}

  async execute({ reader, bookingId }: GetReportQuery): Promise<Buffer> {
    const manager = this.dataSource.manager;
    const booking = await manager.findOneBy(BookingEntity, { id: bookingId });
    if (!booking) throw new DomainError('booking_not_found', 'Booking not found');
    if (!(await mayReadBooking(manager, reader, booking)))
      throw new DomainError('not_your_booking', MESSAGES.notYourBooking);
    const pdfUrl = await reportUrlOf(manager, bookingId);
    if (!pdfUrl) throw new DomainError('report_not_found', 'Report not found');
    return this.storage.read(pdfUrl);
  }
}
