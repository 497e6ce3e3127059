import { type DataSource } from 'typeorm';
import { DisputeStoredFiles } from '../../src/bookings/persistence/dispute-stored-files';
import {
  DisputesPersonalData,
  ERASED_DESCRIPTION,
} from '../../src/bookings/persistence/disputes.personal-data';
import { type UserEntity } from '../../src/identity/persistence/user.entity';
import { insertBooking } from '../support/booking-factories';
import { createUser } from '../support/factories';
import { createMechanic } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const PHOTO = 'https://cdn.emecano.test/disputes/0b0e6a2e-6f64-4f7c-9d47-3b1f0e0a1c11.png';

/**
 * identity §2.1-14/15 for the disputes a user opened, and the orphaned-file sweep's question
 * (§7.11) for dispute photos.
 */
describe('disputes personal data (GDPR) and stored files', () => {
  const ctx = useTestApp();
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = ctx.testApp.dataSource;
  });

  const asUser = (id: string) => ({ id }) as UserEntity;
  const owner = () => ctx.testApp.app.get(DisputesPersonalData);

  async function dispute(status: string, description = 'The plate was wrong') {
    const buyer = await createUser(dataSource);
    const mechanic = await createMechanic(dataSource);
    const bookingId = await insertBooking(dataSource, buyer.id, mechanic.profileId, { status: 'disputed' });
    const [{ id }]: { id: string }[] = await dataSource.query(
      `INSERT INTO dispute_cases (booking_id, opened_by, reason, description, photo_urls, status)
       VALUES ($1, $2, 'wrong_info', $3, $4, $5) RETURNING id`,
      [bookingId, buyer.id, description, JSON.stringify([PHOTO]), status],
    );
    return { buyer, bookingId, id };
  }
  const row = async (id: string) =>
    (
      await dataSource.query('SELECT opened_by, description, photo_urls FROM dispute_cases WHERE id = $1', [
        id,
      ])
    )[0] as Record<string, unknown>;

  it('identity §2.1-15: the export lists the disputes the user opened, the description CSV-sanitised', async () => {
    const { buyer, bookingId, id } = await dispute('open', '=cmd|calc');

    const exported = await dataSource.transaction((manager) =>
      owner().export(manager, asUser(buyer.id), 1000),
    );

    expect(exported).toEqual({
      disputes: [
        {
          id,
          booking_id: bookingId,
          reason: 'wrong_info',
          description: "'=cmd|calc",
          photo_urls: [PHOTO],
          status: 'open',
          created_at: expect.stringMatching(/Z$/),
          resolved_at: null,
        },
      ],
    });
  });

  it('identity §2.1-14 (N16): erasure unlinks the opener; a settled dispute loses its words and photos, an open one keeps them for the admin', async () => {
    const open = await dispute('open');
    const settled = await dispute('resolved_mechanic');

    await dataSource.transaction(async (manager) => {
      await owner().erase(manager, asUser(open.buyer.id));
      await owner().erase(manager, asUser(settled.buyer.id));
    });

    expect(await row(open.id)).toEqual({
      opened_by: null,
      description: 'The plate was wrong',
      photo_urls: [PHOTO],
    });
    expect(await row(settled.id)).toEqual({
      opened_by: null,
      description: ERASED_DESCRIPTION,
      photo_urls: null,
    });
  });

  it('§7.11: the photos a dispute still lists are referenced; others are not', async () => {
    await dispute('open');
    const unknown = 'https://cdn.emecano.test/disputes/ffffffff-0000-4000-8000-000000000000.png';

    const referenced = await ctx.testApp.app.get(DisputeStoredFiles).referencedAmong([PHOTO, unknown]);

    expect([...referenced]).toEqual([PHOTO]);
  });
});
