import { type EntityManager } from 'typeorm';
import { MechanicProfileEntity } from './mechanic-profile.entity';

/**
 * The one way commands lock a profile before deciding on it: slot creations of a mechanic queue
 * behind each other (exact 100-slot cap), and an upload cannot interleave with an admin verdict.
 */
export function lockProfile(manager: EntityManager, profileId: string): Promise<MechanicProfileEntity> {
  return manager.getRepository(MechanicProfileEntity).findOneOrFail({
    where: { id: profileId },
    lock: { mode: 'pessimistic_write' },
  });
}
