import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When each scheduled job last succeeded and last failed, whichever instance ran it: what the
 * /health/scheduler check reports. One row per job name (decision D11), upserted after every run.
 */
export class CreateSchedulerJobStatus1764000008000 implements MigrationInterface {
  name = 'CreateSchedulerJobStatus1764000008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scheduler_job_status (
        job_name varchar(64) PRIMARY KEY,
        last_succeeded_at timestamptz,
        last_failed_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE scheduler_job_status');
  }
}
