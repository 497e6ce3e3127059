import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { BookingIdParam } from '../../../bookings/http/booking-requests';
import { RateLimit } from '../../../common/rate-limit/rate-limit.decorator';
import { Authenticated, CurrentUser } from '../../../identity/auth/auth.decorators';
import { type UserEntity } from '../../../identity/persistence/user.entity';
import { DownloadReceiptCommand } from '../commands/download-receipt/download-receipt.command';
import { GetDownloadTokenQuery } from '../queries/get-download-token/get-download-token.query';
import { GetReceiptQuery } from '../queries/get-receipt/get-receipt.query';
import { type ReceiptReader } from '../receipt-access';
import { type ReceiptFile } from '../receipt-pdfs';
import { ReceiptDownloadQuery } from './receipt.requests';

const reader = (user: UserEntity): ReceiptReader => ({ userId: user.id, role: user.role });

function pdf(file: ReceiptFile, disposition: 'inline' | 'attachment'): StreamableFile {
  return new StreamableFile(file.pdf, {
    type: 'application/pdf',
    disposition: `${disposition}; filename="${file.filename}"`,
    length: file.pdf.length,
  });
}

/**
 * Payment receipts (messaging-reports §2.5, §3.5). Private financial documents and a bearer
 * credential: nothing here may be cached.
 */
@ApiTags('reports')
@Controller('reports/receipt')
@RateLimit('receipt')
export class ReceiptsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get(':booking_id')
  @Authenticated()
  @ApiProduces('application/pdf')
  @Header('Cache-Control', 'no-store')
  async receipt(@CurrentUser() user: UserEntity, @Param() params: BookingIdParam) {
    return pdf(await this.queries.execute(new GetReceiptQuery(reader(user), params.booking_id)), 'inline');
  }

  @Get(':booking_id/token')
  @Authenticated()
  @Header('Cache-Control', 'no-store')
  token(@CurrentUser() user: UserEntity, @Param() params: BookingIdParam) {
    return this.queries.execute(new GetDownloadTokenQuery(reader(user), params.booking_id));
  }

  /** No Authorization header: for clients that open the URL in a browser (§3.5). */
  @Get(':booking_id/download')
  @ApiProduces('application/pdf')
  @Header('Cache-Control', 'no-store')
  async download(@Param() params: BookingIdParam, @Query() query: ReceiptDownloadQuery) {
    const file = await this.commands.execute(new DownloadReceiptCommand(query.token, params.booking_id));
    return pdf(file, 'attachment');
  }
}
