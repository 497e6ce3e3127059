import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataOwners } from '../../domain/personal-data-owners';
import { sanitiseForCsv } from '../../domain/personal-data';
import { UserEntity } from '../../persistence/user.entity';
import { ExportMyDataQuery } from './export-my-data.query';

/** HEAD caps every list of the export at its newest 1000 items. */
export const EXPORT_LIST_LIMIT = 1_000;

/**
 * GDPR art. 20 (identity §2.1-15): the profile, then the sections each owning module contributes.
 * The buyer sections are laid out first, in the order of the spec's table, and each owner fills in
 * its own; the mechanic sections follow only for a user with a mechanic profile.
 */
@QueryHandler(ExportMyDataQuery)
export class ExportMyDataHandler implements IQueryHandler<ExportMyDataQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly owners: PersonalDataOwners,
  ) {}

  async execute({ userId }: ExportMyDataQuery): Promise<Record<string, unknown>> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const user = await manager.getRepository(UserEntity).findOneByOrFail({ id: userId });
      const sections: Record<string, unknown> = {
        bookings: [],
        reviews: [],
        messages: [],
        notifications: [],
      };
      for (const owner of this.owners.all())
        Object.assign(sections, await owner.export(manager, user, EXPORT_LIST_LIMIT));
      return {
        profile: {
          id: user.id,
          email: sanitiseForCsv(user.email),
          first_name: sanitiseForCsv(user.firstName),
          last_name: sanitiseForCsv(user.lastName),
          phone: sanitiseForCsv(user.phone),
          role: user.role,
          is_verified: user.isVerified,
          // Hand-built responses use +00:00 (identity §0).
          created_at: user.createdAt.toISOString().replace('Z', '+00:00'),
        },
        ...sections,
      };
    });
  }
}
