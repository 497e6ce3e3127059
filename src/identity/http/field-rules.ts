import { Transform } from 'class-transformer';
import {
  isEmail,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { applyDecorators } from '@nestjs/common';

/** Special-use and reserved names (RFC 6761 and friends): never a real mailbox. */
const RESERVED_DOMAIN = /(^|\.)(local|localhost|test|example|invalid|internal|onion|home\.arpa)$/i;

/**
 * identity §2.1 e-mail rule: `Name <a@b.fr>` reduced to the address, trimmed, domain lower-cased
 * (local part kept as typed), local part ≤ 64, whole ≤ 254, no special-use domain.
 */
export function normaliseEmail(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  return at < 0 ? trimmed : `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

function isUsableEmail(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 254 || !isEmail(value, { require_tld: true })) return false;
  const at = value.lastIndexOf('@');
  return at <= 64 && !RESERVED_DOMAIN.test(value.slice(at + 1));
}

export const EmailField = () =>
  applyDecorators(
    Transform(({ value }) => normaliseEmail(value)),
    ValidateBy(
      { name: 'isEmail', validator: { validate: isUsableEmail } },
      { message: 'value is not a valid email address' },
    ),
  );

const PASSWORD_POLICY_MESSAGE =
  'Le mot de passe doit contenir au moins une majuscule, une minuscule et un chiffre';

/** identity §2.1: 8–128 characters with an upper-case letter, a lower-case letter and a digit (Unicode). */
export const NewPasswordField = () =>
  applyDecorators(
    IsString(),
    MinLength(8),
    MaxLength(128),
    Matches(/^(?=.*\p{Lu})(?=.*\p{Ll})(?=.*\p{Nd}).*$/su, { message: PASSWORD_POLICY_MESSAGE }),
  );

/** A password being checked, not set: at least 1 character, at most 128. */
export const PasswordField = () => applyDecorators(IsString(), IsNotEmpty(), MaxLength(128));

export const PhoneField = (options?: ValidationOptions) =>
  applyDecorators(
    IsString(options),
    Matches(/^\+?[0-9]{10,15}$/, {
      message: 'Le numéro de téléphone doit contenir 10 à 15 chiffres',
      ...options,
    }),
  );

/**
 * HEAD name rule: trimmed; empty becomes null; otherwise 3–100 letters (accents included), spaces,
 * hyphens and apostrophes. `label` is "Le prénom" or "Le nom".
 */
export const NameField = (label: 'Le prénom' | 'Le nom') =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim() || null : value)),
    ValidateIf((_, value) => value !== null && value !== undefined),
    IsString({ message: `${label} doit être une chaîne de caractères` }),
    MinLength(3, { message: `${label} doit contenir au moins 3 caractères` }),
    MaxLength(100, { message: `${label} ne peut pas dépasser 100 caractères` }),
    Matches(/^[\p{L}\s'’-]+$/u, {
      message: `${label} ne peut contenir que des lettres, espaces, tirets et apostrophes`,
    }),
  );
