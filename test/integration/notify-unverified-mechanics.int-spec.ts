import { type DataSource } from 'typeorm';
import { JobRunner } from '../../src/scheduling/job-runner';
import { FixedClock } from '../support/clock';
import { createMechanic, type MechanicFixture } from '../support/mechanic-factories';
import { useTestApps } from '../support/test-app-context';

const DAY_MS = 86_400_000;

describe('notify_unverified_mechanics (messaging §3.2.4)', () => {
  const clock = new FixedClock(new Date('2026-06-01T07:00:00.000Z'));
  const ctx = useTestApps(2, { clock });
  let dataSource: DataSource;

  beforeAll(() => {
    dataSource = ctx.apps[0].dataSource;
  });

  async function reminders(mechanic: MechanicFixture): Promise<{ title: string; data: unknown }[]> {
    return dataSource.query(
      "SELECT title, data FROM notifications WHERE user_id = $1 AND type = 'profile_verification'",
      [mechanic.id],
    );
  }

  const runEverywhere = () =>
    Promise.all(ctx.apps.map((app) => app.app.get(JobRunner).run('notify_unverified_mechanics')));

  it('JOB-22: reminds each mechanic without an identity document once, even with two instances running it at once', async () => {
    const onboarding = await Promise.all(
      Array.from({ length: 450 }, () =>
        createMechanic(dataSource, { isIdentityVerified: false, isActive: false }),
      ),
    );

    const handled = await runEverywhere();

    expect(handled[0] + handled[1]).toBe(onboarding.length);
    const [{ count }]: { count: number }[] = await dataSource.query(
      "SELECT count(DISTINCT user_id)::int AS count FROM notifications WHERE type = 'profile_verification'",
    );
    expect(count).toBe(onboarding.length);
    expect(await reminders(onboarding[0])).toEqual([
      { title: 'Verifiez votre profil', data: { type: 'profile_verification', action: 'verify_identity' } },
    ]);
  });

  it('JOB-22: leaves out verified mechanics, those who sent a document, suspended ones and deleted accounts', async () => {
    const skipped = await Promise.all([
      createMechanic(dataSource, { isIdentityVerified: true }),
      createMechanic(dataSource, { isIdentityVerified: false, identityDocumentUrl: 'identity/doc.jpg' }),
      createMechanic(dataSource, {
        isIdentityVerified: false,
        suspendedUntil: new Date(clock.now().getTime() + DAY_MS),
      }),
      createMechanic(dataSource, { isIdentityVerified: false, isActive: false }, { isActive: false }),
    ]);
    const suspensionOver = await createMechanic(dataSource, {
      isIdentityVerified: false,
      suspendedUntil: new Date(clock.now().getTime() - DAY_MS),
    });

    await runEverywhere();

    for (const mechanic of skipped) expect(await reminders(mechanic)).toEqual([]);
    expect(await reminders(suspensionOver)).toHaveLength(1);
  });

  it('JOB-22: reminds again only once seven days have passed', async () => {
    const mechanic = await createMechanic(dataSource, { isIdentityVerified: false });
    await runEverywhere();

    clock.advance(6 * DAY_MS);
    await runEverywhere();
    expect(await reminders(mechanic)).toHaveLength(1);

    clock.advance(DAY_MS);
    await runEverywhere();
    expect(await reminders(mechanic)).toHaveLength(2);
  });
});
