import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  OwnsPersonalData,
  type PersonalDataOwner,
  sanitiseForCsv,
} from '../../identity/domain/personal-data';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { ConnectAccountClosures } from '../../payments/connect/connect-account-closures';
import { AvailabilityEntity } from './availability.entity';
import { DiplomaEntity } from './diploma.entity';
import { MechanicProfileEntity } from './mechanic-profile.entity';

/**
 * GDPR for mechanics (identity §2.1-14 step 4, §2.1-15). Erasure deactivates the profile, drops its
 * documents and photo, its diplomas and its free slots, and closes its Stripe Connect account after
 * the deletion commits; booked slots stay, because bookings (their history, payouts, disputes)
 * reference them, and account deletion is refused while one is active.
 */
@Injectable()
@OwnsPersonalData()
export class MechanicPersonalData implements PersonalDataOwner {
  readonly tables = ['mechanic_profiles', 'availabilities', 'diplomas'];

  constructor(private readonly connectAccounts: ConnectAccountClosures) {}

  async erase(manager: EntityManager, user: UserEntity): Promise<void> {
    const profile = await manager.getRepository(MechanicProfileEntity).findOne({
      where: { userId: user.id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!profile) return;
    if (profile.stripeAccountId) {
      await this.connectAccounts.schedule(manager, profile.stripeAccountId, profile.id);
    }
    await manager.update(MechanicProfileEntity, profile.id, {
      isActive: false,
      stripeAccountId: null,
      identityDocumentUrl: null,
      selfieWithIdUrl: null,
      cvUrl: null,
      hasCv: false,
      photoUrl: null,
    });
    await manager.delete(DiplomaEntity, { mechanicId: profile.id });
    await manager.delete(AvailabilityEntity, { mechanicId: profile.id, isBooked: false });
  }

  async export(manager: EntityManager, user: UserEntity, limit: number): Promise<Record<string, unknown>> {
    const profile = await manager.getRepository(MechanicProfileEntity).findOneBy({ userId: user.id });
    if (!profile) return {};
    const slots = await manager.getRepository(AvailabilityEntity).find({
      where: { mechanicId: profile.id },
      order: { date: 'DESC', startTime: 'DESC' },
      take: limit,
    });
    const diplomas = await manager.getRepository(DiplomaEntity).find({
      where: { mechanicId: profile.id },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return {
      mechanic_profile: {
        id: profile.id,
        city: sanitiseForCsv(profile.city),
        city_lat: profile.cityLat,
        city_lng: profile.cityLng,
        max_radius_km: profile.maxRadiusKm,
        free_zone_km: profile.freeZoneKm,
        accepted_vehicle_types: profile.acceptedVehicleTypes,
        rating_avg: profile.ratingAvg,
        total_reviews: profile.totalReviews,
        is_active: profile.isActive,
      },
      availability: slots.map((slot) => ({
        id: slot.id,
        date: slot.date,
        start_time: slot.startTime,
        end_time: slot.endTime,
        is_booked: slot.isBooked,
      })),
      diplomas: diplomas.map((diploma) => ({
        id: diploma.id,
        name: sanitiseForCsv(diploma.name),
        year: diploma.year,
      })),
    };
  }
}
