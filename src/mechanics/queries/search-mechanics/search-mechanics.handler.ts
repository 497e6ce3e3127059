import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { boundingBox } from '../../domain/search-area';
import { futureFreeSlot, SlotClock } from '../../domain/slot-clock';
import { mechanicDetail, type MechanicListItem, roundToTenth } from '../../http/mechanic.responses';
import { MechanicProfileEntity } from '../../persistence/mechanic-profile.entity';
import { SearchMechanicsQuery } from './search-mechanics.query';

interface Ranked {
  id: string;
  distance_km: number;
  next_available_date: string;
}

/**
 * GET /mechanics (identity §2.2-16, N12 fixed): every filter and the ordering run in PostgreSQL, so
 * the nearest mechanics are never lost to a cap and any page can be reached. The box is a GiST
 * index scan on the searchable profiles, the vehicle type a GIN containment test, the next free slot
 * one probe of the free-slot index per candidate, and the rank the WGS-84 geodesic distance.
 */
@QueryHandler(SearchMechanicsQuery)
export class SearchMechanicsHandler implements IQueryHandler<SearchMechanicsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly slotClock: SlotClock,
  ) {}

  async execute({ parameters: p }: SearchMechanicsQuery): Promise<MechanicListItem[]> {
    const box = boundingBox(p.lat, p.lng, p.radius_km);
    const now = this.slotClock.now();
    const ranked: Ranked[] = await this.dataSource.query(
      `SELECT m.id, d.km AS distance_km, next_slot.date::text AS next_available_date
         FROM mechanic_profiles m
        CROSS JOIN LATERAL (
              SELECT geodesic_distance_km($1, $2, m.city_lat::float8, m.city_lng::float8) AS km) d
        CROSS JOIN LATERAL (
              SELECT a.date FROM availabilities a
               WHERE a.mechanic_id = m.id AND ${futureFreeSlot('a', '$9::date', '$10::time')}
               ORDER BY a.date LIMIT 1) next_slot
        WHERE m.is_identity_verified AND m.is_active AND m.city_lat IS NOT NULL AND m.city_lng IS NOT NULL
          AND point(m.city_lng::float8, m.city_lat::float8) <@ box(point($3, $4), point($5, $6))
          AND m.accepted_vehicle_types @> jsonb_build_array($7::text)
          AND d.km <= $8 AND d.km <= m.max_radius_km
        ORDER BY d.km, m.id
        LIMIT $11 OFFSET $12`,
      [
        p.lat,
        p.lng,
        box.lngMin,
        box.latMin,
        box.lngMax,
        box.latMax,
        p.vehicle_type,
        p.radius_km,
        now.date,
        now.time,
        p.limit,
        p.offset,
      ],
    );
    if (ranked.length === 0) return [];
    const profiles = await this.dataSource
      .getRepository(MechanicProfileEntity)
      .findBy({ id: In(ranked.map((row) => row.id)) });
    const byId = new Map(profiles.map((profile) => [profile.id, profile]));
    return ranked.map((row) => {
      // The list item is the detail without free_zone_km (identity §2.2).
      const { free_zone_km: _omitted, ...item } = mechanicDetail(byId.get(row.id)!, {
        roundCoordinates: true,
        distanceKm: roundToTenth(row.distance_km),
        nextAvailableDate: row.next_available_date,
      });
      return item;
    });
  }
}
