import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PoolClient, type QueryResult } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { SlotClock } from '../../domain/slot-clock';
import { type MechanicListItem, roundedOrNull, roundToTenth } from '../../http/mechanic.responses';
import { SearchMechanicsQuery } from './search-mechanics.query';
import {
  executeSearchStatement,
  prepareSearchStatement,
  SEARCH_PLANNER_SETTINGS,
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
 * It runs on a pooled pg client directly rather than through TypeORM's query(), so that it takes
 * one round trip: the planner settings and the EXECUTE of the statement prepared on that connection
 * go as one simple query (each PostgreSQL round trip cost the server more CPU than the statement's
 * own JavaScript). As TypeORM would, it logs a failed or slow statement and wraps errors as
 * QueryFailedError, so the exception filter treats them the same.
 */
@QueryHandler(SearchMechanicsQuery)
export class SearchMechanicsHandler implements IQueryHandler<SearchMechanicsQuery> {
  /** The pooled connections on which the statement is prepared. */
  private readonly prepared = new WeakSet<PoolClient>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly slotClock: SlotClock,
  ) {}

  async execute({ parameters: p }: SearchMechanicsQuery): Promise<MechanicListItem[]> {
    const { text, values } = searchMechanicsSql(p, this.slotClock.now());
    return (await this.search(text, values)).map(publicListItem);
  }

  /**
   * The prepared statement under SEARCH_PLANNER_SETTINGS on a pooled connection. The simple query's
   * implicit transaction ends with it, failed or not, so the connection goes back to the pool clean
   * (pg-pool itself discards one that broke).
   */
  private async search(text: string, values: unknown[]): Promise<SearchMechanicsRow[]> {
    const driver = this.dataSource.driver as PostgresDriver;
    const [client, release] = (await driver.obtainMasterConnection()) as [PoolClient, () => void];
    try {
      if (!this.prepared.has(client)) {
        await client.query(prepareSearchStatement(text));
        this.prepared.add(client);
      }
      const execute = executeSearchStatement(values, (literal) => client.escapeLiteral(literal));
      const started = Date.now();
      // A multi-statement query answers with one result per statement; the EXECUTE's is the last.
      const results = (await client.query(
        `${SEARCH_PLANNER_SETTINGS}; ${execute}`,
      )) as unknown as QueryResult<SearchMechanicsRow>[];
      this.logIfSlow(text, Date.now() - started);
      return results[results.length - 1].rows;
    } catch (error) {
      this.dataSource.logger.logQueryError(error as Error, text);
      throw new QueryFailedError(text, values, error as Error);
    } finally {
      release();
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
