import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * identity-platform §1.2–§1.4 with the HEAD schema sync of §10 (booleans and counters NOT NULL), plus
 * what the rewrite adds: an exclusion constraint so two slots of one mechanic can never overlap, even
 * under concurrency (N10), jsonb vehicle types so containment can use a GIN index, and the search
 * indexes and WGS-84 distance function of GET /mechanics (N12). The extensions come from 1764000000000.
 */
export class CreateMechanicProfilesAvailabilitiesDiplomas1764000001000 implements MigrationInterface {
  name = 'CreateMechanicProfilesAvailabilitiesDiplomas1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mechanic_profiles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL CONSTRAINT fk_mechanic_profiles_user_id REFERENCES users (id) ON DELETE RESTRICT,
        city varchar(100) NOT NULL DEFAULT '',
        city_lat numeric(9, 6) CONSTRAINT ck_mechanic_profiles_city_lat_range CHECK (city_lat BETWEEN -90 AND 90),
        city_lng numeric(9, 6) CONSTRAINT ck_mechanic_profiles_city_lng_range CHECK (city_lng BETWEEN -180 AND 180),
        max_radius_km integer NOT NULL DEFAULT 30,
        free_zone_km integer NOT NULL DEFAULT 10,
        accepted_vehicle_types jsonb NOT NULL DEFAULT '[]'::jsonb
          CONSTRAINT ck_mechanic_profiles_vehicle_types CHECK (
            jsonb_typeof(accepted_vehicle_types) = 'array'
            AND accepted_vehicle_types <@ '["car", "motorcycle", "utility"]'::jsonb),
        rating_avg numeric(4, 2) NOT NULL DEFAULT 0
          CONSTRAINT ck_mechanic_profiles_rating_avg_range CHECK (rating_avg >= 0 AND rating_avg <= 5),
        total_reviews integer NOT NULL DEFAULT 0,
        identity_document_url varchar(500),
        selfie_with_id_url varchar(500),
        cv_url varchar(500),
        photo_url varchar(500),
        is_identity_verified boolean NOT NULL DEFAULT false,
        has_cv boolean NOT NULL DEFAULT false,
        has_obd_diagnostic boolean NOT NULL DEFAULT false,
        stripe_account_id varchar(255),
        no_show_count integer NOT NULL DEFAULT 0
          CONSTRAINT ck_mechanic_no_show_count_positive CHECK (no_show_count >= 0),
        last_no_show_at timestamptz,
        suspended_until timestamptz,
        service_location varchar(20) NOT NULL DEFAULT 'mobile'
          CONSTRAINT ck_mechanic_profiles_service_location CHECK (service_location IN ('mobile', 'garage', 'both')),
        garage_address varchar(255),
        referred_by varchar(20),
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_mechanic_profiles_user_id UNIQUE (user_id),
        -- The API's range rule, kept true whatever writes the row.
        CONSTRAINT ck_mechanic_profiles_free_zone_within_radius CHECK (free_zone_km <= max_radius_km)
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_mechanic_profiles_stripe_account_id ON mechanic_profiles (stripe_account_id)',
    );
    // Search: the bounding box is a 2-D box query on the searchable profiles only.
    await queryRunner.query(`
      CREATE INDEX ix_mechanic_profiles_search_location ON mechanic_profiles
        USING gist (point(city_lng::float8, city_lat::float8))
        WHERE is_identity_verified AND is_active AND city_lat IS NOT NULL AND city_lng IS NOT NULL`);
    // Search: "vehicle_type in accepted_vehicle_types" as exact containment (HEAD, §10).
    await queryRunner.query(`
      CREATE INDEX ix_mechanic_profiles_vehicle_types ON mechanic_profiles
        USING gin (accepted_vehicle_types jsonb_path_ops)`);
    // The pending-verification list of the admin back-office, oldest first.
    await queryRunner.query(`
      CREATE INDEX ix_mechanic_profiles_pending_verification ON mechanic_profiles (created_at)
        WHERE identity_document_url IS NOT NULL AND NOT is_identity_verified`);

    await queryRunner.query(`
      CREATE TABLE availabilities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mechanic_id uuid NOT NULL
          CONSTRAINT fk_availabilities_mechanic_id REFERENCES mechanic_profiles (id) ON DELETE CASCADE,
        date date NOT NULL,
        start_time time NOT NULL,
        end_time time NOT NULL,
        is_booked boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_availability_mechanic_date_time UNIQUE (mechanic_id, date, start_time),
        CONSTRAINT ck_availabilities_end_after_start CHECK (end_time > start_time),
        -- N10: no two slots of a mechanic overlap, booked or not, however many requests race.
        -- Half-open ranges, so back-to-back slots (10-11, 11-12) are allowed, as in the reference.
        CONSTRAINT ex_availabilities_no_overlap EXCLUDE USING gist (
          mechanic_id WITH =, tsrange(date + start_time, date + end_time) WITH &&)
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_availability_mechanic_date ON availabilities (mechanic_id, date)',
    );
    // The next free slot of each search candidate: one index probe per mechanic.
    await queryRunner.query(`
      CREATE INDEX ix_availabilities_free_slots ON availabilities (mechanic_id, date, end_time)
        WHERE NOT is_booked`);

    await queryRunner.query(`
      CREATE TABLE diplomas (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mechanic_id uuid NOT NULL
          CONSTRAINT fk_diplomas_mechanic_id REFERENCES mechanic_profiles (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        year integer,
        document_url varchar(500),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX ix_diplomas_mechanic_id ON diplomas (mechanic_id)');

    // Geodesic distance on the WGS-84 ellipsoid (Vincenty's inverse formula, sub-millimetre), the
    // distance the original computed with geopy. The search ranks and filters by it.
    await queryRunner.query(`
      CREATE FUNCTION geodesic_distance_km(lat1 float8, lng1 float8, lat2 float8, lng2 float8)
      RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
      DECLARE
        a constant float8 := 6378137.0;
        f constant float8 := 1 / 298.257223563;
        b constant float8 := 6378137.0 * (1 - 1 / 298.257223563);
        big_l float8 := radians(lng2 - lng1);
        u1 float8 := atan((1 - f) * tan(radians(lat1)));
        u2 float8 := atan((1 - f) * tan(radians(lat2)));
        sin_u1 float8 := sin(u1);
        cos_u1 float8 := cos(u1);
        sin_u2 float8 := sin(u2);
        cos_u2 float8 := cos(u2);
        lambda float8 := radians(lng2 - lng1);
        previous float8;
        sin_lambda float8;
        cos_lambda float8;
        sin_sigma float8;
        cos_sigma float8;
        sigma float8;
        sin_alpha float8;
        cos2_alpha float8;
        cos_2sigma_m float8;
        c float8;
        u_sq float8;
        big_a float8;
        big_b float8;
        delta_sigma float8;
        iterations integer := 0;
      BEGIN
        LOOP
          sin_lambda := sin(lambda);
          cos_lambda := cos(lambda);
          sin_sigma := sqrt((cos_u2 * sin_lambda) ^ 2 + (cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lambda) ^ 2);
          IF sin_sigma = 0 THEN
            RETURN 0;
          END IF;
          cos_sigma := sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lambda;
          sigma := atan2(sin_sigma, cos_sigma);
          sin_alpha := cos_u1 * cos_u2 * sin_lambda / sin_sigma;
          cos2_alpha := 1 - sin_alpha ^ 2;
          cos_2sigma_m := CASE WHEN cos2_alpha = 0 THEN 0 ELSE cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha END;
          c := f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha));
          previous := lambda;
          lambda := big_l + (1 - c) * f * sin_alpha
            * (sigma + c * sin_sigma * (cos_2sigma_m + c * cos_sigma * (-1 + 2 * cos_2sigma_m ^ 2)));
          iterations := iterations + 1;
          -- Converges in a few steps except for nearly antipodal points, which no search reaches.
          EXIT WHEN abs(lambda - previous) < 1e-12 OR iterations >= 200;
        END LOOP;
        u_sq := cos2_alpha * (a ^ 2 - b ^ 2) / b ^ 2;
        big_a := 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)));
        big_b := u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)));
        delta_sigma := big_b * sin_sigma * (cos_2sigma_m + big_b / 4 * (cos_sigma * (-1 + 2 * cos_2sigma_m ^ 2)
          - big_b / 6 * cos_2sigma_m * (-3 + 4 * sin_sigma ^ 2) * (-3 + 4 * cos_2sigma_m ^ 2)));
        RETURN b * big_a * (sigma - delta_sigma) / 1000;
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION geodesic_distance_km(float8, float8, float8, float8)');
    await queryRunner.query('DROP TABLE diplomas');
    await queryRunner.query('DROP TABLE availabilities');
    await queryRunner.query('DROP TABLE mechanic_profiles');
  }
}
