import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SlotClock } from '../../domain/slot-clock';
import { type MechanicListItem, roundedOrNull, roundToTenth } from '../../http/mechanic.responses';
import { SearchMechanicsQuery } from './search-mechanics.query';
import { SEARCH_PLANNER_SETTINGS, type SearchMechanicsRow, searchMechanicsSql } from './search-mechanics.sql';

/**
 * GET /mechanics (identity §2.2-16, N12 fixed): every filter and the ordering run in PostgreSQL, so
 * the nearest mechanics are never lost to a cap and any page can be reached. The box is a GiST
 * index scan on the searchable profiles, the vehicle type a GIN containment test, the next free slot
 * one probe of the free-slot index per candidate, and the rank the WGS-84 geodesic distance. The
 * statement returns the list items themselves: the search is the hottest public read, and a second
 * query to load the profiles cost more than the search.
 */
@QueryHandler(SearchMechanicsQuery)
export class SearchMechanicsHandler implements IQueryHandler<SearchMechanicsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly slotClock: SlotClock,
  ) {}

  async execute({ parameters: p }: SearchMechanicsQuery): Promise<MechanicListItem[]> {
    const { text, values } = searchMechanicsSql(p, this.slotClock.now());
    const rows: SearchMechanicsRow[] = await this.dataSource.transaction(async (manager) => {
      await manager.query(SEARCH_PLANNER_SETTINGS);
      return manager.query(text, values);
    });
    return rows.map(publicListItem);
  }
}

/** Public coordinates and distances are rounded to a tenth (identity §2.2), as in every public view. */
function publicListItem(row: SearchMechanicsRow): MechanicListItem {
  return {
    ...row,
    city_lat: roundedOrNull(row.city_lat),
    city_lng: roundedOrNull(row.city_lng),
    distance_km: roundToTenth(row.distance_km),
  };
}
