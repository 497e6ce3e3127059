import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * messaging-reports §1.3 and §1.4, in the later version's end state (§8 "Schema hygiene"): a review
 * outlives its author (reviewer nullable, ON DELETE SET NULL) but not its booking, and the database
 * backs invariants 8 and 10 (one review per reviewer per booking, rating 1..5, one code per mechanic,
 * globally unique codes, uses_count ≥ 0). The mechanic aggregates and `referred_by` already live on
 * mechanic_profiles (1764000001000).
 *
 * Indexes: the unique (booking_id, reviewer_id) also answers "has this booking a review" (its leading
 * column), so no separate booking_id index. (reviewee_id, created_at, id) serves the public listing,
 * the profile's 5 latest and the aggregate recomputation; a mechanic's public reviews and a buyer's
 * private ones never share a reviewee, so a partial index would not be smaller. reviewer_id serves the
 * GDPR erasure and export.
 */
export class CreateReviewsAndReferralCodes1764000009100 implements MigrationInterface {
  name = 'CreateReviewsAndReferralCodes1764000009100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL CONSTRAINT fk_reviews_booking_id REFERENCES bookings (id) ON DELETE CASCADE,
        reviewer_id uuid CONSTRAINT fk_reviews_reviewer_id REFERENCES users (id) ON DELETE SET NULL,
        reviewee_id uuid NOT NULL CONSTRAINT fk_reviews_reviewee_id REFERENCES users (id) ON DELETE RESTRICT,
        rating integer NOT NULL CONSTRAINT ck_review_rating_range CHECK (rating >= 1 AND rating <= 5),
        comment text CONSTRAINT ck_review_comment_length CHECK (char_length(comment) <= 500),
        is_public boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_review_booking_reviewer UNIQUE (booking_id, reviewer_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_reviews_reviewee_id_created_at ON reviews (reviewee_id, created_at DESC, id DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_reviews_reviewer_id_created_at ON reviews (reviewer_id, created_at DESC)',
    );

    await queryRunner.query(`
      CREATE TABLE referral_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(20) NOT NULL CONSTRAINT uq_referral_codes_code UNIQUE,
        mechanic_id uuid NOT NULL
          CONSTRAINT fk_referral_codes_mechanic_id REFERENCES mechanic_profiles (id) ON DELETE CASCADE
          CONSTRAINT uq_referral_codes_mechanic_id UNIQUE,
        uses_count integer NOT NULL DEFAULT 0 CONSTRAINT ck_referral_uses_count_positive CHECK (uses_count >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE referral_codes');
    await queryRunner.query('DROP TABLE reviews');
  }
}
