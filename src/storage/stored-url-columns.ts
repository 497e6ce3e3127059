import { type DataSource } from 'typeorm';

/** A column that records stored-file URLs: one URL per row, or a JSON array of them. */
export interface StoredUrlColumn {
  table: string;
  column: string;
  holds?: 'url' | 'json_array';
}

/**
 * The subset of `urls` that `columns` reference, in one statement: how a module's
 * StoredFileReferences answers the orphaned-file sweep. Table and column names are the module's
 * own constants, never input, so they are written into the SQL.
 */
export async function referencedIn(
  dataSource: DataSource,
  columns: readonly StoredUrlColumn[],
  urls: readonly string[],
): Promise<ReadonlySet<string>> {
  if (columns.length === 0 || urls.length === 0) return new Set();
  const selects = columns.map(({ table, column, holds }) =>
    holds === 'json_array'
      ? `SELECT url FROM ${table} CROSS JOIN LATERAL json_array_elements_text(${column}::json) AS url
          WHERE url = ANY($1::text[])`
      : `SELECT ${column} AS url FROM ${table} WHERE ${column} = ANY($1::text[])`,
  );
  const rows: { url: string }[] = await dataSource.query(selects.join('\nUNION\n'), [urls]);
  return new Set(rows.map((row) => row.url));
}
