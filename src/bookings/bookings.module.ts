import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentsModule } from '../payments/payments.module';
import { AcceptBookingHandler } from './commands/accept-booking/accept-booking.handler';
import { CheckInCodes } from './commands/check-in/check-in-codes';
import { CheckInHandler } from './commands/check-in/check-in.handler';
import { CheckOutHandler } from './commands/check-out/check-out.handler';
import { InspectionReportFiles } from './commands/check-out/inspection-report-files';
import { CancelBookingHandler } from './commands/cancel-booking/cancel-booking.handler';
import { AccountBookingsCloser } from './commands/close-account-bookings/account-bookings-closer';
import { CreateBookingHandler } from './commands/create-booking/create-booking.handler';
import { EnterCodeHandler } from './commands/enter-code/enter-code.handler';
import { RefuseBookingHandler } from './commands/refuse-booking/refuse-booking.handler';
import { BookingPayments } from './commands/transitions/booking-payments';
import { BookingTransitionRunner } from './commands/transitions/booking-transition.runner';
import { UpdateLocationHandler } from './commands/update-location/update-location.handler';
import { CheckPendingAcceptancesJob } from './jobs/check-pending-acceptances.job';
import { PaymentRelease } from './jobs/payment-release';
import { ReleaseOverduePaymentsJob } from './jobs/release-overdue-payments.job';
import { ReleasePaymentJob } from './jobs/release-payment.job';
import { BookingDecisionsController } from './http/booking-decisions.controller';
import { BookingsController } from './http/bookings.controller';
import { InspectionDayController } from './http/inspection-day.controller';
import { InspectionReportController } from './http/inspection-report.controller';
import { BookingEntity } from './persistence/booking.entity';
import { BookingTransitionEntity } from './persistence/booking-transition.entity';
import { BookingsPersonalData } from './persistence/bookings.personal-data';
import { InspectionRecordsPersonalData } from './persistence/inspection-records.personal-data';
import { InspectionFileOwners, InspectionFileReferences } from './persistence/inspection-stored-files';
import { GetBookingHandler } from './queries/get-booking/get-booking.handler';
import { GetLocationHandler } from './queries/get-location/get-location.handler';
import { GetReportHandler } from './queries/get-report/get-report.handler';
import { ListMyBookingsHandler } from './queries/list-my-bookings/list-my-bookings.handler';
import { MechanicBookingStatsHandler } from './queries/mechanic-booking-stats/mechanic-booking-stats.handler';
import { PaymentIntentEventsHandler } from './webhooks/payment-intent-events.handler';
import { AnonymizeOldBookingsJob } from './jobs/anonymize-old-bookings.job';
import { SendRemindersJob } from './jobs/send-reminders.job';
import { DisputeEffects } from './commands/transitions/dispute-effects';
import { ValidateBookingHandler } from './commands/validate-booking/validate-booking.handler';
import { ValidateWithPhotosHandler } from './commands/validate-booking/validate-with-photos.handler';
import { ResolveDisputeHandler } from './commands/resolve-dispute/resolve-dispute.handler';
import { ValidationController } from './http/validation.controller';
import { DisputeResolutionController } from './http/dispute-resolution.controller';
import { DisputeStoredFiles } from './persistence/dispute-stored-files';
import { DisputesPersonalData } from './persistence/disputes.personal-data';
import { ChargeDisputeEventsHandler } from './webhooks/charge-dispute-events.handler';
import { AdminDisputesController } from './http/admin-disputes.controller';
import { ListDisputesHandler } from './queries/list-disputes/list-disputes.handler';

/**
 * Bookings (bookings-payments §1–§3, §5): the schema, the state machine (domain/booking.machine.ts),
 * the locking helpers (persistence/booking.locks.ts), creation and the reads, and the transitions
 * that carry out the machine's decisions: accept, refuse, cancel, check-in and enter-code, the
 * PaymentIntent webhooks and the account-deletion closures; check-out with its inspection report.
 */
@Module({
  imports: [TypeOrmModule.forFeature([BookingEntity, BookingTransitionEntity]), PaymentsModule],
  controllers: [
    BookingsController,
    BookingDecisionsController,
    InspectionDayController,
    InspectionReportController,
    ValidationController,
    DisputeResolutionController,
    AdminDisputesController,
  ],
  providers: [
    BookingsPersonalData,
    MechanicBookingStatsHandler,
    CreateBookingHandler,
    ListMyBookingsHandler,
    GetBookingHandler,
    UpdateLocationHandler,
    GetLocationHandler,
    BookingPayments,
    BookingTransitionRunner,
    AcceptBookingHandler,
    RefuseBookingHandler,
    CancelBookingHandler,
    CheckInCodes,
    CheckInHandler,
    EnterCodeHandler,
    AccountBookingsCloser,
    PaymentIntentEventsHandler,
    SendRemindersJob,
    AnonymizeOldBookingsJob,
    CheckOutHandler,
    InspectionReportFiles,
    GetReportHandler,
    InspectionFileReferences,
    InspectionFileOwners,
    InspectionRecordsPersonalData,
    DisputeEffects,
    ValidateBookingHandler,
    ValidateWithPhotosHandler,
    ResolveDisputeHandler,
    DisputeStoredFiles,
    DisputesPersonalData,
    ChargeDisputeEventsHandler,
    ListDisputesHandler,
    PaymentRelease,
    ReleasePaymentJob,
    ReleaseOverduePaymentsJob,
    CheckPendingAcceptancesJob,
  ],
})
export class BookingsModule {}
