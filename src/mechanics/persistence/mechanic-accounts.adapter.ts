import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  MechanicAccounts,
  type MechanicAccountState,
  type MechanicProfileSummary,
} from '../../identity/domain/mechanic-accounts';
import { profileSummary } from '../http/mechanic.responses';
import { MechanicProfileEntity } from './mechanic-profile.entity';

/** The identity module's port onto mechanic profiles. */
@Injectable()
export class MechanicAccountsAdapter extends MechanicAccounts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  /**
   * Registration (AUTH-02): an empty profile, inactive until an admin approves the identity papers,
   * accepting cars, and with no coordinates rather than (0, 0) "Null Island".
   */
  async openProfile(manager: EntityManager, userId: string, referredBy: string | null): Promise<void> {
    await manager.insert(MechanicProfileEntity, {
      userId,
      city: '',
      cityLat: null,
      cityLng: null,
      acceptedVehicleTypes: ['car'],
      isActive: false,
      referredBy,
    });
  }

  async accountState(userId: string): Promise<MechanicAccountState | null> {
    const profile = await this.dataSource.getRepository(MechanicProfileEntity).findOne({
      where: { userId },
      select: ['id', 'isActive', 'isIdentityVerified', 'noShowCount', 'suspendedUntil'],
    });
    if (!profile) return null;
    return {
      profileId: profile.id,
      isActive: profile.isActive,
      isIdentityVerified: profile.isIdentityVerified,
      noShowCount: profile.noShowCount,
      suspendedUntil: profile.suspendedUntil,
    };
  }

  async profileSummary(manager: EntityManager, userId: string): Promise<MechanicProfileSummary | null> {
    const profile = await manager.getRepository(MechanicProfileEntity).findOneBy({ userId });
    return profile ? profileSummary(profile) : null;
  }
}
