import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PoolClient } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { SlotClock } from '../../domain/slot-clock';
import { type MechanicListItem, roundedOrNull, roundToTenth } from '../../http/mechanic.responses';
import { SearchMechanicsQuery } from './search-mechanics.query';
import {
  SEARCH_PLANNER_SETTINGS,
  SEARCH_STATEMENT_NAME,
  type SearchMechanicsRow,
  searchMechanicsSql,
} from './search-mechanics.sql';

/**
 * GET /mechanics (identity §2.2-16, N12 fixed): every filter and the ordering run in PostgreSQL, so
 * the nearest mechanics are never lost to a cap and any page can be reached. The box is a GiST
 * index scan on the searchable profiles, the vehicle type a GIN containment test, the next free slot
 * one probe of the free-slot index per candidate, and the rank the WGS-84 geodesic distance. The
 * statement returns the list items themselves: the search is the hottest public read, and a second
 * query to load the profiles cost more than the search.
 *
 * It runs on a pooled pg client directly rather than through TypeORM's query(), which cannot send a
 * prepared (named) statement: three round trips (BEGIN with the planner settings, the prepared
 * statement, COMMIT) instead of four, and no planning per search. As TypeORM would, it logs a failed
 * or slow statement and wraps errors as QueryFailedError, so the exception filter treats them the same.
 */
@QueryHandler(SearchMechanicsQuery)
export class SearchMechanicsHandler implements IQueryHandler<SearchMechanicsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly slotClock: SlotClock,
  ) {}

  async execute({ parameters: p }: SearchMechanicsQuery): Promise<MechanicListItem[]> {
    const { text, values } = searchMechanicsSql(p, this.slotClock.now());
    return (await this.search(text, values)).map(publicListItem);
  }

  /**
   * The prepared statement in a transaction under SEARCH_PLANNER_SETTINGS, on a pooled connection;
   * a connection that could not be rolled back is discarded rather than returned to the pool.
   */
  private async search(text: string, values: unknown[]): Promise<SearchMechanicsRow[]> {
    const driver = this.dataSource.driver as PostgresDriver;
    const [client, release] = (await driver.obtainMasterConnection()) as [
      PoolClient,
      (error?: unknown) => void,
    ];
    let broken: unknown;
    try {
      await client.query(`BEGIN; ${SEARCH_PLANNER_SETTINGS}`);
      const started = Date.now();
      const { rows } = await client.query<SearchMechanicsRow>({ name: SEARCH_STATEMENT_NAME, text, values });
      this.logIfSlow(text, Date.now() - started);
      await client.query('COMMIT');
      return rows;
    } catch (error) {
      this.dataSource.logger.logQueryError(error as Error, text);
      broken = await client.query('ROLLBACK').then(
        () => undefined,
        (rollbackError: unknown) => rollbackError,
      );
      throw new QueryFailedError(text, values, error as Error);
    } finally {
      release(broken);
    }
  }

  /** As TypeORM's query() does for every other statement (maxQueryExecutionTime). */
  private logIfSlow(text: string, ms: number): void {
    const limit = this.dataSource.options.maxQueryExecutionTime;
    if (limit && ms > limit) this.dataSource.logger.logQuerySlow(ms, text);
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
