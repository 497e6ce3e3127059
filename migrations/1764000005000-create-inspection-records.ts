import { type MigrationInterface, type QueryRunner } from 'typeorm';

const checklistValue = (column: string, values: readonly string[]) =>
  `CONSTRAINT ck_inspection_checklists_${column}_valid CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * What check-out records (bookings-payments §1.4–§1.6, messaging-reports §1.5–§1.7): the proof, the
 * checklist and the report, one of each per booking (UNIQUE), with the spec's foreign keys (RESTRICT
 * for the proof, CASCADE for the other two). Every rule the API applies has a constraint behind it,
 * so a bug can never store half a GPS pair (N13.25), a negative odometer, an unknown checklist value
 * or more than 10 additional photos. The URL indexes serve the orphaned-file sweep and the private
 * file route, which look rows up by stored URL.
 */
export class CreateInspectionRecords1764000005000 implements MigrationInterface {
  name = 'CreateInspectionRecords1764000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE validation_proofs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL
          CONSTRAINT fk_validation_proofs_booking_id REFERENCES bookings (id) ON DELETE RESTRICT
          CONSTRAINT uq_validation_proofs_booking_id UNIQUE,
        photo_plate_url varchar(500) NOT NULL,
        photo_odometer_url varchar(500) NOT NULL,
        entered_plate varchar(20) NOT NULL CONSTRAINT ck_validation_proof_plate_present CHECK (entered_plate <> ''),
        entered_odometer_km integer NOT NULL
          CONSTRAINT ck_validation_proof_odometer_positive CHECK (entered_odometer_km >= 0),
        gps_lat numeric(9,6) CONSTRAINT ck_validation_proof_gps_lat_range CHECK (gps_lat BETWEEN -90 AND 90),
        gps_lng numeric(9,6) CONSTRAINT ck_validation_proof_gps_lng_range CHECK (gps_lng BETWEEN -180 AND 180),
        -- jsonb rather than the original's json: the GIN index below answers "which row holds this URL".
        additional_photo_urls jsonb
          CONSTRAINT ck_validation_proof_additional_photos
            CHECK (jsonb_typeof(additional_photo_urls) = 'array'
                   AND jsonb_array_length(additional_photo_urls) BETWEEN 1 AND 10),
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        uploaded_by varchar(20) NOT NULL
          CONSTRAINT ck_validation_proof_uploaded_by_valid CHECK (uploaded_by IN ('mechanic', 'buyer')),
        CONSTRAINT ck_validation_proof_gps_both_or_neither CHECK ((gps_lat IS NULL) = (gps_lng IS NULL))
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_validation_proofs_photo_plate_url ON validation_proofs (photo_plate_url)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_validation_proofs_photo_odometer_url ON validation_proofs (photo_odometer_url)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_validation_proofs_additional_photo_urls ON validation_proofs USING gin (additional_photo_urls)',
    );

    const severity = ['ok', 'warning', 'critical'];
    await queryRunner.query(`
      CREATE TABLE inspection_checklists (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL
          CONSTRAINT fk_inspection_checklists_booking_id REFERENCES bookings (id) ON DELETE CASCADE
          CONSTRAINT uq_inspection_checklists_booking_id UNIQUE,
        brakes varchar(20) NOT NULL ${checklistValue('brakes', severity)},
        tires varchar(20) NOT NULL ${checklistValue('tires', severity)},
        fluids varchar(20) NOT NULL ${checklistValue('fluids', ['ok', 'low', 'empty'])},
        battery varchar(20) NOT NULL ${checklistValue('battery', ['ok', 'weak', 'dead'])},
        suspension varchar(20) NOT NULL ${checklistValue('suspension', ['ok', 'worn', 'broken'])},
        body varchar(20) NOT NULL ${checklistValue('body', ['good', 'average', 'bad'])},
        exhaust varchar(20) NOT NULL ${checklistValue('exhaust', ['ok', 'rust', 'hole'])},
        lights varchar(20) NOT NULL ${checklistValue('lights', ['ok', 'defect'])},
        test_drive_done boolean NOT NULL,
        test_drive_behavior varchar(20) ${checklistValue('test_drive_behavior', ['normal', 'suspect', 'dangerous'])},
        remarks text CONSTRAINT ck_inspection_checklists_remarks_length CHECK (char_length(remarks) <= 500),
        recommendation varchar(20) NOT NULL ${checklistValue('recommendation', ['buy', 'negotiate', 'avoid'])},
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL
          CONSTRAINT fk_reports_booking_id REFERENCES bookings (id) ON DELETE CASCADE
          CONSTRAINT uq_reports_booking_id UNIQUE,
        pdf_url varchar(500) NOT NULL,
        generated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX ix_reports_pdf_url ON reports (pdf_url)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE reports');
    await queryRunner.query('DROP TABLE inspection_checklists');
    await queryRunner.query('DROP TABLE validation_proofs');
  }
}
