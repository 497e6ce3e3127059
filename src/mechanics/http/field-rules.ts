import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { Matches, ValidateBy } from 'class-validator';

function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export const DateField = () =>
  ValidateBy(
    { name: 'isDateString', validator: { validate: isCalendarDate } },
    { message: 'Input should be a valid date in the format YYYY-MM-DD' },
  );

/** A time of day, `HH:MM` or `HH:MM:SS`, normalised to `HH:MM:SS` as PostgreSQL returns it. */
export const TimeField = () =>
  applyDecorators(
    Transform(({ value }) =>
      typeof value === 'string' && /^\d{2}:\d{2}$/.test(value) ? `${value}:00` : value,
    ),
    Matches(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, {
      message: 'Input should be a valid time in the format HH:MM:SS',
    }),
  );

/** A number sent as a query-string or multipart text value. */
export const NumberFromText = () =>
  Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value));
