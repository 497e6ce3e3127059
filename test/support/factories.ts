import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import jwt from 'jsonwebtoken';
import { type DataSource } from 'typeorm';
import { type UserRole } from '../../src/identity/persistence/user.entity';
import { TEST_JWT_SECRET } from './config';

/** The acceptance fixtures' password; its cost-12 hash is computed once per test file. */
export const FIXTURE_PASSWORD = 'password123';
let fixtureHash: Promise<string> | undefined;

export interface UserFixture {
  id: string;
  email: string;
  password: string;
  role: UserRole;
}

/** A `users` row as `SELECT *` returns it (the columns tests read). */
export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  is_verified: boolean;
  is_active: boolean;
  expo_push_token: string | null;
  password_changed_at: Date | null;
  verification_code: string | null;
  verification_code_expires_at: Date | null;
  verification_code_attempts: number;
  photo_url: string | null;
  created_at: Date;
}

export interface UserOverrides {
  email?: string;
  role?: UserRole;
  isVerified?: boolean;
  isActive?: boolean;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  passwordChangedAt?: Date | null;
  expoPushToken?: string | null;
}

/** Inserts a user with SQL, as the acceptance fixtures do (verified buyer by default). */
export async function createUser(
  dataSource: DataSource,
  overrides: UserOverrides = {},
): Promise<UserFixture> {
  fixtureHash ??= bcrypt.hash(FIXTURE_PASSWORD, 12);
  const email = overrides.email ?? `user-${randomUUID().slice(0, 8)}@emecano-test.fr`;
  const role = overrides.role ?? 'buyer';
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO users (email, password_hash, role, is_verified, is_active, phone, first_name, last_name,
                        password_changed_at, expo_push_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      email,
      await fixtureHash,
      role,
      overrides.isVerified ?? true,
      overrides.isActive ?? true,
      overrides.phone ?? null,
      overrides.firstName ?? null,
      overrides.lastName ?? null,
      overrides.passwordChangedAt ?? null,
      overrides.expoPushToken ?? null,
    ],
  );
  return { id: rows[0].id, email, password: FIXTURE_PASSWORD, role };
}

/**
 * [FORGE] a token signed with the test secret: by default a valid access token for `sub`. Pass
 * `undefined` for a claim to leave it out; `secret` to sign with another key.
 */
export function forgeToken(claims: Record<string, unknown>, secret: string = TEST_JWT_SECRET): string {
  const now = Math.floor(Date.now() / 1000);
  const defaults = { type: 'access', jti: randomUUID(), iat: now, exp: now + 900, iss: 'emecano' };
  const merged = Object.fromEntries(
    Object.entries({ ...defaults, ...claims }).filter(([, value]) => value !== undefined),
  );
  return jwt.sign(merged, secret, { algorithm: 'HS256' });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
