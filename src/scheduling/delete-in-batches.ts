import { type DataSource } from 'typeorm';

/** A bounded batch keeps each purge transaction short however much is due. */
const BATCH_SIZE = 5_000;

export interface PurgeTarget {
  /** A table of this schema (a constant of the calling job, never user input). */
  table: string;
  /** Its primary key. */
  key: string;
  /** The rows to purge, as an SQL condition on `$1…` of `parameters`. */
  where: string;
}

/** `created_at` older than `$2` days before `$1` (now): the retention rule of the dated tables. */
export const OLDER_THAN_DAYS = 'created_at < $1::timestamptz - make_interval(days => $2)';

/**
 * One batch of a retention purge: deletes up to BATCH_SIZE rows matching `where` and says how many.
 * SKIP LOCKED lets several instances purge side by side without waiting on each other; the job
 * runner calls it again until a batch deletes nothing.
 */
export async function deleteOneBatch(
  dataSource: DataSource,
  { table, key, where }: PurgeTarget,
  parameters: unknown[],
): Promise<number> {
  const [, deleted]: [unknown, number] = await dataSource.query(
    `DELETE FROM ${table} WHERE ${key} IN (
       SELECT ${key} FROM ${table} WHERE ${where} LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
    parameters,
  );
  return deleted;
}
