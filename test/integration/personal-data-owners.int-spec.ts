import { Injectable, Module } from '@nestjs/common';
import { type DataSource } from 'typeorm';
import { OwnsPersonalData, type PersonalDataOwner } from '../../src/identity/domain/personal-data';
import { PersonalDataOwners } from '../../src/identity/domain/personal-data-owners';
import { useTestApp } from '../support/test-app-context';

const UNCLAIMED_PROBE = 'probe_user_notes';
const CLAIMED_PROBE = 'probe_claimed_user_notes';

/** A stand-in module that owns one probe table, to show that a claimed table passes the check. */
@Injectable()
@OwnsPersonalData()
class ProbeNotesOwner implements PersonalDataOwner {
  readonly tables = [CLAIMED_PROBE];
  async erase(): Promise<void> {}
  async export(): Promise<Record<string, unknown>> {
    return {};
  }
}

@Module({ providers: [ProbeNotesOwner] })
class ProbeNotesModule {}

/**
 * Every `table.column` holding a foreign key to `users(id)` whose table no personal-data owner
 * claims. `users` itself is left out: the account services anonymise and export that row directly.
 */
async function unclaimedUserReferences(
  dataSource: DataSource,
  owners: PersonalDataOwners,
): Promise<string[]> {
  const references: { table_name: string; column_name: string }[] = await dataSource.query(`
    SELECT DISTINCT
           CASE WHEN ns.nspname = 'public' THEN src.relname ELSE ns.nspname || '.' || src.relname END AS table_name,
           att.attname AS column_name
      FROM pg_constraint con
      JOIN pg_class src ON src.oid = con.conrelid
      JOIN pg_namespace ns ON ns.oid = src.relnamespace
      JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY (con.conkey)
     WHERE con.contype = 'f'
       AND con.confrelid = 'public.users'::regclass
       AND con.conrelid <> 'public.users'::regclass
     ORDER BY 1, 2`);
  const claimed = new Set(owners.all().flatMap((owner) => owner.tables));
  return references
    .filter(({ table_name }) => !claimed.has(table_name))
    .map(({ table_name, column_name }) => `${table_name}.${column_name}`);
}

describe('personal-data owners', () => {
  const ctx = useTestApp({ imports: [ProbeNotesModule] });

  it('GDPR art. 17/20: every table referencing users is erased and exported by a personal-data owner', async () => {
    const owners = ctx.testApp.app.get(PersonalDataOwners);
    const { dataSource } = ctx.testApp;

    expect(await unclaimedUserReferences(dataSource, owners)).toEqual([]);

    // The check must be able to fail: a new table referencing users that no owner claims is reported,
    // while one that an owner claims is not.
    await dataSource.query(`CREATE TABLE ${UNCLAIMED_PROBE} (user_id uuid REFERENCES users(id))`);
    await dataSource.query(
      `CREATE TABLE ${CLAIMED_PROBE} (author_id uuid REFERENCES users(id), subject_id uuid REFERENCES users(id))`,
    );
    try {
      expect(owners.all().map((owner) => owner.tables)).toContainEqual([CLAIMED_PROBE]);
      expect(await unclaimedUserReferences(dataSource, owners)).toEqual([`${UNCLAIMED_PROBE}.user_id`]);
    } finally {
      await dataSource.query(`DROP TABLE ${UNCLAIMED_PROBE}, ${CLAIMED_PROBE}`);
    }
    expect(await unclaimedUserReferences(dataSource, owners)).toEqual([]);
  });
});
