import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MechanicAccounts } from '../identity/domain/mechanic-accounts';
import { AvailabilityEntity } from './persistence/availability.entity';
import { DiplomaEntity } from './persistence/diploma.entity';
import { MechanicAccountsAdapter } from './persistence/mechanic-accounts.adapter';
import { MechanicPersonalData } from './persistence/mechanic-personal-data';
import { MechanicProfileEntity } from './persistence/mechanic-profile.entity';

/**
 * Mechanic profiles, documents, slots and search (identity §2.2), and the admin verification of
 * identity papers. Global only to provide identity's `MechanicAccounts` port (registration, the
 * mechanic guards, /auth/me) without identity importing this module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([MechanicProfileEntity, AvailabilityEntity, DiplomaEntity])],
  providers: [{ provide: MechanicAccounts, useClass: MechanicAccountsAdapter }, MechanicPersonalData],
  exports: [MechanicAccounts],
})
export class MechanicsModule {}
