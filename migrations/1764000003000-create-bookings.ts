import { type MigrationInterface, type QueryRunner } from 'typeorm';

const STATUSES = `'pending_acceptance', 'confirmed', 'awaiting_mechanic_code', 'check_in_done', 'check_out_done',
  'validated', 'completed', 'cancelled', 'disputed'`;

/**
 * bookings-payments §1.1 with the later columns (HEAD 033: refuse_reason, proposed_time, a 64-hex
 * check-in code), D12's release_due_at and N13.15's payment_authorized_at, and a constraint behind
 * every invariant of §10 that a row can express (named with the invariant in the comments).
 * booking_transitions is the append-only history that recordTransition writes with every status change.
 */
export class CreateBookings1764000003000 implements MigrationInterface {
  name = 'CreateBookings1764000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        buyer_id uuid NOT NULL CONSTRAINT fk_bookings_buyer_id REFERENCES users (id) ON DELETE RESTRICT,
        mechanic_id uuid NOT NULL
          CONSTRAINT fk_bookings_mechanic_id REFERENCES mechanic_profiles (id) ON DELETE RESTRICT,
        availability_id uuid
          CONSTRAINT fk_bookings_availability_id REFERENCES availabilities (id) ON DELETE SET NULL,
        status varchar(30) NOT NULL DEFAULT 'pending_acceptance'
          CONSTRAINT ck_bookings_status_valid CHECK (status IN (${STATUSES})),
        vehicle_type varchar(20) NOT NULL
          CONSTRAINT ck_bookings_vehicle_type_valid CHECK (vehicle_type IN ('car', 'motorcycle', 'utility')),
        vehicle_brand varchar(100) NOT NULL,
        vehicle_model varchar(100) NOT NULL,
        vehicle_year integer NOT NULL,
        vehicle_plate varchar(20),
        meeting_address text NOT NULL,
        meeting_lat numeric(9, 6) NOT NULL CONSTRAINT ck_bookings_meeting_lat_range CHECK (meeting_lat BETWEEN -90 AND 90),
        meeting_lng numeric(9, 6) NOT NULL
          CONSTRAINT ck_bookings_meeting_lng_range CHECK (meeting_lng BETWEEN -180 AND 180),
        distance_km numeric(6, 2) NOT NULL DEFAULT 0 CONSTRAINT ck_bookings_distance_positive CHECK (distance_km >= 0),
        obd_requested boolean NOT NULL DEFAULT false,
        -- I-12: amounts >= 0, commission rate in [0, 1].
        base_price numeric(10, 2) NOT NULL CONSTRAINT ck_booking_base_price_positive CHECK (base_price >= 0),
        travel_fees numeric(10, 2) NOT NULL DEFAULT 0.00
          CONSTRAINT ck_booking_travel_fees_positive CHECK (travel_fees >= 0),
        total_price numeric(10, 2) NOT NULL CONSTRAINT ck_booking_total_price_positive CHECK (total_price >= 0),
        commission_rate numeric(5, 4) NOT NULL
          CONSTRAINT ck_booking_commission_rate_range CHECK (commission_rate >= 0 AND commission_rate <= 1),
        commission_amount numeric(10, 2) NOT NULL
          CONSTRAINT ck_booking_commission_amount_positive CHECK (commission_amount >= 0),
        mechanic_payout numeric(10, 2) NOT NULL
          CONSTRAINT ck_booking_mechanic_payout_positive CHECK (mechanic_payout >= 0),
        -- I-9: one booking per PaymentIntent (N13.3: UNIQUE, not just an index).
        stripe_payment_intent_id varchar(255) CONSTRAINT uq_bookings_stripe_payment_intent_id UNIQUE,
        payment_authorized_at timestamptz,
        -- I-8 / H-002: only the HMAC-SHA256 of the code, as 64 lowercase hex characters, never the code.
        check_in_code varchar(64) CONSTRAINT ck_bookings_check_in_code_is_hmac CHECK (check_in_code ~ '^[0-9a-f]{64}$'),
        check_in_code_attempts integer NOT NULL DEFAULT 0
          CONSTRAINT ck_bookings_check_in_code_attempts_positive CHECK (check_in_code_attempts >= 0),
        check_in_code_generated_at timestamptz,
        check_in_at timestamptz,
        check_out_at timestamptz,
        payment_released_at timestamptz,
        release_due_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        cancelled_at timestamptz,
        refuse_reason varchar(30) CONSTRAINT ck_bookings_refuse_reason_valid
          CHECK (refuse_reason IN ('not_available', 'too_far', 'wrong_vehicle', 'other')),
        proposed_time varchar(5) CONSTRAINT ck_bookings_proposed_time_format CHECK (proposed_time ~ '^\\d{2}:\\d{2}$'),
        -- N13.5: one cancelled_by CHECK, not two.
        cancelled_by varchar(10) CONSTRAINT ck_booking_cancelled_by_valid CHECK (cancelled_by IN ('buyer', 'mechanic')),
        refund_percentage integer
          CONSTRAINT ck_booking_refund_percentage_range CHECK (refund_percentage >= 0 AND refund_percentage <= 100),
        refund_amount numeric(10, 2) CONSTRAINT ck_booking_refund_amount_positive CHECK (refund_amount >= 0),
        reminder_24h_sent boolean NOT NULL DEFAULT false,
        reminder_2h_sent boolean NOT NULL DEFAULT false,
        mechanic_lat numeric(9, 6) CONSTRAINT ck_bookings_mechanic_lat_range CHECK (mechanic_lat BETWEEN -90 AND 90),
        mechanic_lng numeric(9, 6) CONSTRAINT ck_bookings_mechanic_lng_range CHECK (mechanic_lng BETWEEN -180 AND 180),
        mechanic_location_updated_at timestamptz,
        -- I-12 (§6, D4): the price is its parts, and payout + commission is the price.
        CONSTRAINT ck_bookings_total_integrity CHECK (total_price = base_price + travel_fees),
        CONSTRAINT ck_bookings_payout_integrity CHECK (mechanic_payout + commission_amount = total_price),
        -- I-6: a refund never exceeds the price; the amount and its percentage come together.
        CONSTRAINT ck_bookings_refund_within_price CHECK (refund_amount <= total_price),
        CONSTRAINT ck_bookings_refund_fields_together CHECK ((refund_amount IS NULL) = (refund_percentage IS NULL)),
        -- I-13: no completion without money released.
        CONSTRAINT ck_bookings_completed_has_payment_released
          CHECK (status <> 'completed' OR payment_released_at IS NOT NULL),
        -- I-2: a cancelled booking says when; only a cancelled one carries cancellation fields.
        CONSTRAINT ck_bookings_cancelled_has_cancelled_at CHECK (status <> 'cancelled' OR cancelled_at IS NOT NULL),
        CONSTRAINT ck_bookings_cancellation_fields_only_when_cancelled CHECK (
          status = 'cancelled' OR (cancelled_by IS NULL AND refuse_reason IS NULL AND proposed_time IS NULL)),
        -- N13.25: a position is a pair.
        CONSTRAINT ck_bookings_mechanic_position_pair CHECK ((mechanic_lat IS NULL) = (mechanic_lng IS NULL))
      )`);
    // I-1: one live booking per slot, whatever the handlers do.
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_bookings_live_availability ON bookings (availability_id)
        WHERE status <> 'cancelled' AND availability_id IS NOT NULL`);
    await queryRunner.query('CREATE INDEX ix_bookings_buyer_id ON bookings (buyer_id)');
    await queryRunner.query('CREATE INDEX ix_bookings_mechanic_id ON bookings (mechanic_id)');
    await queryRunner.query('CREATE INDEX ix_bookings_status ON bookings (status)');
    await queryRunner.query('CREATE INDEX ix_bookings_availability_id ON bookings (availability_id)');
    await queryRunner.query(
      'CREATE INDEX ix_bookings_buyer_status_created ON bookings (buyer_id, status, created_at)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_bookings_mechanic_status_created ON bookings (mechanic_id, status, created_at)',
    );
    await queryRunner.query('CREATE INDEX ix_booking_buyer_created ON bookings (buyer_id, created_at)');
    await queryRunner.query('CREATE INDEX ix_booking_mechanic_created ON bookings (mechanic_id, created_at)');
    await queryRunner.query('CREATE INDEX ix_booking_status_updated ON bookings (status, updated_at)');
    // The release job's claim (D12): validated bookings by due time.
    await queryRunner.query(`
      CREATE INDEX ix_bookings_release_due ON bookings (release_due_at) WHERE status = 'validated'`);

    await queryRunner.query(`
      CREATE TABLE booking_transitions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        booking_id uuid NOT NULL
          CONSTRAINT fk_booking_transitions_booking_id REFERENCES bookings (id) ON DELETE RESTRICT,
        from_status varchar(30) CONSTRAINT ck_booking_transitions_from_valid CHECK (from_status IN (${STATUSES})),
        to_status varchar(30) NOT NULL CONSTRAINT ck_booking_transitions_to_valid CHECK (to_status IN (${STATUSES})),
        event varchar(40) NOT NULL,
        actor_role varchar(10) NOT NULL
          CONSTRAINT ck_booking_transitions_actor_role CHECK (actor_role IN ('buyer', 'mechanic', 'admin', 'system')),
        actor_id uuid CONSTRAINT fk_booking_transitions_actor_id REFERENCES users (id) ON DELETE RESTRICT,
        machine_version integer NOT NULL CONSTRAINT ck_booking_transitions_machine_version CHECK (machine_version > 0),
        at timestamptz NOT NULL,
        -- People are recorded by id; the system (jobs, webhooks) has none.
        CONSTRAINT ck_booking_transitions_actor_id CHECK ((actor_role = 'system') = (actor_id IS NULL))
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_booking_transitions_booking ON booking_transitions (booking_id, id)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_booking_transitions_actor ON booking_transitions (actor_id) WHERE actor_id IS NOT NULL',
    );
    // Append-only: history is never rewritten, whoever holds the connection.
    await queryRunner.query(`
      CREATE FUNCTION booking_transitions_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'booking_transitions is append-only' USING ERRCODE = 'restrict_violation';
      END
      $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_booking_transitions_append_only BEFORE UPDATE OR DELETE ON booking_transitions
        FOR EACH ROW EXECUTE FUNCTION booking_transitions_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE booking_transitions');
    await queryRunner.query('DROP FUNCTION booking_transitions_append_only()');
    await queryRunner.query('DROP TABLE bookings');
  }
}
