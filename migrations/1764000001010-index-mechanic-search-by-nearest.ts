import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * GET /mechanics (identity §2.2-16) scaled with the number of mechanics in the search box: every
 * profile in the box had its WGS-84 distance computed before the sort, so 5× the mechanics made the
 * search 5× slower. This index stores each searchable profile as a point on the unit sphere (a 3-D
 * `cube`), so the search walks the mechanics nearest first (GiST k-nearest-neighbour on `<->`, the
 * chord, which orders like the great-circle distance) and stops after a page's worth: see
 * src/mechanics/queries/search-mechanics/search-mechanics.sql.ts, whose expression must stay
 * identical to this one. The 2-D box index it replaces is no longer used by any query.
 */
export class IndexMechanicSearchByNearest1764000001010 implements MigrationInterface {
  name = 'IndexMechanicSearchByNearest1764000001010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX ix_mechanic_profiles_search_sphere ON mechanic_profiles
        USING gist (cube(ARRAY[
          cos(radians(city_lat::float8)) * cos(radians(city_lng::float8)),
          cos(radians(city_lat::float8)) * sin(radians(city_lng::float8)),
          sin(radians(city_lat::float8))]))
        WHERE is_identity_verified AND is_active AND city_lat IS NOT NULL AND city_lng IS NOT NULL`);
    await queryRunner.query('DROP INDEX ix_mechanic_profiles_search_location');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX ix_mechanic_profiles_search_location ON mechanic_profiles
        USING gist (point(city_lng::float8, city_lat::float8))
        WHERE is_identity_verified AND is_active AND city_lat IS NOT NULL AND city_lng IS NOT NULL`);
    await queryRunner.query('DROP INDEX ix_mechanic_profiles_search_sphere');
  }
}
