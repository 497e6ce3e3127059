import { type DataSource } from 'typeorm';
import { BookingsPersonalData } from '../../src/bookings/persistence/bookings.personal-data';
import { type UserEntity } from '../../src/identity/persistence/user.entity';
import { insertBooking } from '../support/booking-factories';
import { createUser } from '../support/factories';
import { createMechanic } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

/** identity §2.1-14 step 2 and §2.1-15 (bookings section), through the bookings' PersonalDataOwner. */
describe('bookings personal data (GDPR)', () => {
  const ctx = useTestApp();
  let dataSource: DataSource;
  let owner: BookingsPersonalData;

  beforeAll(async () => {
    dataSource = ctx.testApp.dataSource;
    owner = ctx.testApp.app.get(BookingsPersonalData);
  });

  const asUser = (id: string) => ({ id }) as UserEntity;

  it("the export lists the buyer's bookings with the §2.1-15 fields, CSV-sanitised", async () => {
    const buyer = await createUser(dataSource);
    const mechanic = await createMechanic(dataSource);
    const id = await insertBooking(dataSource, buyer.id, mechanic.profileId, {
      vehicle_brand: '=HYPERLINK()',
    });

    const exported = await dataSource.transaction((manager) => owner.export(manager, asUser(buyer.id), 1000));

    expect(exported).toEqual({
      bookings: [
        {
          id,
          status: 'pending_acceptance',
          vehicle_type: 'car',
          vehicle_brand: "'=HYPERLINK()",
          vehicle_model: '308',
          vehicle_year: 2019,
          total_price: '40.00',
          created_at: expect.stringMatching(/Z$/),
        },
      ],
    });
    // The mechanic's export has no bookings section content of theirs (the spec lists the buyer's).
    expect(
      await dataSource.transaction((manager) => owner.export(manager, asUser(mechanic.id), 1000)),
    ).toEqual({
      bookings: [],
    });
  });

  it('deletion is refused (409) while the user has an active booking, as buyer or as mechanic', async () => {
    for (const status of [
      'confirmed',
      'awaiting_mechanic_code',
      'check_in_done',
      'check_out_done',
      'validated',
    ] as const) {
      const buyer = await createUser(dataSource);
      const mechanic = await createMechanic(dataSource);
      await insertBooking(dataSource, buyer.id, mechanic.profileId, { status });
      for (const user of [buyer.id, mechanic.id]) {
        await expect(
          dataSource.transaction((manager) => owner.erase(manager, asUser(user))),
        ).rejects.toMatchObject({
          code: 'active_bookings',
          status: 409,
          detail: 'You have active bookings. Please complete or cancel them before deleting your account.',
        });
      }
    }
  });

  it('pending, finished and disputed bookings do not block the deletion', async () => {
    const buyer = await createUser(dataSource);
    const mechanic = await createMechanic(dataSource);
    await insertBooking(dataSource, buyer.id, mechanic.profileId, { status: 'pending_acceptance' });
    await insertBooking(dataSource, buyer.id, mechanic.profileId, {
      status: 'completed',
      payment_released_at: new Date(),
    });
    await insertBooking(dataSource, buyer.id, mechanic.profileId, { status: 'disputed' });
    await dataSource.transaction((manager) => owner.erase(manager, asUser(buyer.id)));
    await dataSource.transaction((manager) => owner.erase(manager, asUser(mechanic.id)));
  });
});
