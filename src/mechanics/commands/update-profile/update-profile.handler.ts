import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { mechanicDetail, type MechanicDetail } from '../../http/mechanic.responses';
import { FREE_ZONE_MESSAGE } from '../../http/mechanics.requests';
import { lockProfile } from '../../persistence/profile.locks';
import { UpdateProfileCommand } from './update-profile.command';

/**
 * PUT /mechanics/me (identity §2.2-18): the fields present are applied, then the radius rule is
 * checked on the merged values, so a free zone wider than the stored radius is refused too.
 */
@CommandHandler(UpdateProfileCommand)
export class UpdateProfileHandler implements ICommandHandler<UpdateProfileCommand> {
  private readonly logger = new Logger('Mechanics');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ profileId, changes }: UpdateProfileCommand): Promise<MechanicDetail> {
    const profile = await inTransaction(this.dataSource, async (manager) => {
      const profile = await lockProfile(manager, profileId);
      if (changes.city !== undefined) profile.city = changes.city;
      if (changes.city_lat !== undefined) profile.cityLat = changes.city_lat;
      if (changes.city_lng !== undefined) profile.cityLng = changes.city_lng;
      if (changes.max_radius_km !== undefined) profile.maxRadiusKm = changes.max_radius_km;
      if (changes.free_zone_km !== undefined) profile.freeZoneKm = changes.free_zone_km;
      if (changes.accepted_vehicle_types !== undefined)
        profile.acceptedVehicleTypes = [...new Set(changes.accepted_vehicle_types)];
      if (changes.has_obd_diagnostic !== undefined) profile.hasObdDiagnostic = changes.has_obd_diagnostic;
      if (changes.service_location !== undefined) profile.serviceLocation = changes.service_location;
      if (changes.garage_address !== undefined) profile.garageAddress = changes.garage_address;
      if (profile.freeZoneKm > profile.maxRadiusKm)
        throw new DomainError('invalid_radius', FREE_ZONE_MESSAGE);
      return manager.save(profile);
    });
    this.logger.log({ event: 'mechanic_profile_updated', mechanic_id: profileId });
    return mechanicDetail(profile, { roundCoordinates: false });
  }
}
