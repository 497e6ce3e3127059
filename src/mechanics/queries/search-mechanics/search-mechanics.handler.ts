import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { SlotClock } from '../../domain/slot-clock';
import { mechanicDetail, type MechanicListItem, roundToTenth } from '../../http/mechanic.responses';
import { MechanicProfileEntity } from '../../persistence/mechanic-profile.entity';
import { SearchMechanicsQuery } from './search-mechanics.query';
import { SEARCH_PLANNER_SETTINGS, type SearchMechanicsRow, searchMechanicsSql } from './search-mechanics.sql';

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
    const { text, values } = searchMechanicsSql(p, this.slotClock.now());
    const ranked: SearchMechanicsRow[] = await this.dataSource.transaction(async (manager) => {
      await manager.query(SEARCH_PLANNER_SETTINGS);
      return manager.query(text, values);
    });
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
