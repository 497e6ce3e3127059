import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Extensions later modules rely on: UUIDs, exclusion constraints on slots, and distance search. */
export class EnableExtensions1764000000000 implements MigrationInterface {
  name = 'EnableExtensions1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS cube');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS earthdistance');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP EXTENSION IF EXISTS earthdistance');
    await queryRunner.query('DROP EXTENSION IF EXISTS cube');
    await queryRunner.query('DROP EXTENSION IF EXISTS btree_gist');
    await queryRunner.query('DROP EXTENSION IF EXISTS pgcrypto');
  }
}
