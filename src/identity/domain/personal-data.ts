import { DiscoveryService } from '@nestjs/core';
import { type EntityManager } from 'typeorm';
import { type UserEntity } from '../persistence/user.entity';

/**
 * A module that stores personal data about users (GDPR): it says which tables hold it, erases it
 * inside the account-deletion transaction (art. 17) and contributes sections to the export
 * (art. 20). A test fails when a table referencing `users` is claimed by no owner.
 */
export interface PersonalDataOwner {
  readonly tables: readonly string[];
  erase(manager: EntityManager, user: UserEntity): Promise<void>;
  export(manager: EntityManager, user: UserEntity, limit: number): Promise<Record<string, unknown>>;
}

/** Marks a provider as a PersonalDataOwner so the account services find it. */
export const OwnsPersonalData = DiscoveryService.createDecorator<void>();

/** GDPR export values that a spreadsheet could execute get a leading quote (CSV injection). */
export function sanitiseForCsv<T>(value: T): T | string {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
