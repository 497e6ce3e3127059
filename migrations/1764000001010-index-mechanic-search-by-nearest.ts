import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * GET /mechanics (identity §2.2-16) scaled with the number of mechanics in the search box: every
 * profile in the box had its WGS-84 distance computed before the sort, so 5× the mechanics made the
 * search 5× slower. Each profile now also stores its place as a point on the unit sphere (a 3-D
 * `cube`, kept by PostgreSQL from city_lat/city_lng, null without them), indexed with GiST on the searchable profiles,
 * so the search can take them nearest first (the chord `<->` orders like the great-circle distance)
 * and compute the distance for about a page's worth only: see
 * src/mechanics/queries/search-mechanics/search-mechanics.sql.ts. The 2-D box index it replaces is
 * no longer used by any query.
 */
export class IndexMechanicSearchByNearest1764000001010 implements MigrationInterface {
  name = 'IndexMechanicSearchByNearest1764000001010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE mechanic_profiles ADD COLUMN search_location cube GENERATED ALWAYS AS (
        CASE WHEN city_lat IS NOT NULL AND city_lng IS NOT NULL THEN cube(ARRAY[
          cos(radians(city_lat::float8)) * cos(radians(city_lng::float8)),
          cos(radians(city_lat::float8)) * sin(radians(city_lng::float8)),
          sin(radians(city_lat::float8))]) END) STORED`);
    await queryRunner.query(`
      CREATE INDEX ix_mechanic_profiles_search_location_sphere ON mechanic_profiles USING gist (search_location)
        WHERE is_identity_verified AND is_active AND city_lat IS NOT NULL AND city_lng IS NOT NULL`);
    await queryRunner.query('DROP INDEX ix_mechanic_profiles_search_location');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX ix_mechanic_profiles_search_location ON mechanic_profiles
        USING gist (point(city_lng::float8, city_lat::float8))
        WHERE is_identity_verified AND is_active AND city_lat IS NOT NULL AND city_lng IS NOT NULL`);
    await queryRunner.query('ALTER TABLE mechanic_profiles DROP COLUMN search_location');
  }
}
