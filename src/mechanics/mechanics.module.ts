import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MechanicAccounts } from '../identity/domain/mechanic-accounts';
import { PaymentsModule } from '../payments/payments.module';
import { MechanicPayoutAccounts } from '../payments/domain/mechanic-payout-accounts';
import { AddDiplomaHandler } from './commands/add-diploma/add-diploma.handler';
import { CreateAvailabilityHandler } from './commands/create-availability/create-availability.handler';
import { DeleteAvailabilityHandler } from './commands/delete-availability/delete-availability.handler';
import { DeleteDiplomaHandler } from './commands/delete-diploma/delete-diploma.handler';
import { UpdateProfileHandler } from './commands/update-profile/update-profile.handler';
import { UploadProfileFilesHandler } from './commands/upload-profile-files/upload-profile-files.handler';
import { VerifyMechanicHandler } from './commands/verify-mechanic/verify-mechanic.handler';
import { SlotClock } from './domain/slot-clock';
import { AdminMechanicsController } from './http/admin-mechanics.controller';
import { ResetNoShowWeeklyJob } from './jobs/reset-no-show-weekly.job';
import { NotifyUnverifiedMechanicsJob } from './jobs/notify-unverified-mechanics.job';
import { AvailabilitiesController } from './http/availabilities.controller';
import { MechanicsController } from './http/mechanics.controller';
import { MyProfileController } from './http/my-profile.controller';
import { AvailabilityEntity } from './persistence/availability.entity';
import { DiplomaEntity } from './persistence/diploma.entity';
import { MechanicAccountsAdapter } from './persistence/mechanic-accounts.adapter';
import { MechanicPayoutAccountsAdapter } from './persistence/mechanic-payout-accounts.adapter';
import { MechanicPersonalData } from './persistence/mechanic-personal-data';
import { MechanicProfileEntity } from './persistence/mechanic-profile.entity';
import { MechanicFileReferences } from './persistence/mechanic-file-references';
import { MechanicStoredFiles } from './persistence/mechanic-stored-files';
import { GetMechanicHandler } from './queries/get-mechanic/get-mechanic.handler';
import { GetMyStatsHandler } from './queries/get-my-stats/get-my-stats.handler';
import { ListAvailabilitiesHandler } from './queries/list-availabilities/list-availabilities.handler';
import { ListPendingVerificationsHandler } from './queries/list-pending-verifications/list-pending-verifications.handler';
import { SearchMechanicsHandler } from './queries/search-mechanics/search-mechanics.handler';

/**
 * Mechanic profiles, documents, slots and search (identity §2.2), and the admin verification of
 * identity papers. Global only to provide identity's `MechanicAccounts` port (registration, the
 * mechanic guards, /auth/me) without identity importing this module.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([MechanicProfileEntity, AvailabilityEntity, DiplomaEntity]),
    // Account deletion closes the mechanic's Connect account (MechanicPersonalData).
    PaymentsModule,
  ],
  // Order matters: the static `mechanics/me/…` and `mechanics/availabilities` routes before `mechanics/{id}`.
  controllers: [MyProfileController, AvailabilitiesController, MechanicsController, AdminMechanicsController],
  providers: [
    { provide: MechanicAccounts, useClass: MechanicAccountsAdapter },
    { provide: MechanicPayoutAccounts, useClass: MechanicPayoutAccountsAdapter },
    MechanicPersonalData,
    MechanicStoredFiles,
    MechanicFileReferences,
    SlotClock,
    UpdateProfileHandler,
    UploadProfileFilesHandler,
    AddDiplomaHandler,
    DeleteDiplomaHandler,
    CreateAvailabilityHandler,
    DeleteAvailabilityHandler,
    VerifyMechanicHandler,
    SearchMechanicsHandler,
    GetMechanicHandler,
    GetMyStatsHandler,
    ListAvailabilitiesHandler,
    ListPendingVerificationsHandler,
    NotifyUnverifiedMechanicsJob,
    ResetNoShowWeeklyJob,
  ],
  exports: [MechanicAccounts, MechanicPayoutAccounts],
})
export class MechanicsModule {}
