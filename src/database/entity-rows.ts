import { type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';

/**
 * An entity built from a row read with plain SQL (`SELECT *`), as TypeORM's `find` would have built
 * it: each mapped column's value prepared from the entity's metadata (dates, transformers). For the
 * hot statements that do more in one round trip than the query builder can express; columns the
 * entity does not map are left out.
 */
export function entityFromRow<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const entity = metadata.create(manager.queryRunner, { fromDeserializer: true }) as T;
  for (const column of metadata.columns)
    column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
  return entity;
}
