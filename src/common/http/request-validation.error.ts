import { type ValidationError } from 'class-validator';

export type ParameterLocation = 'body' | 'query' | 'path';

/** One entry of a FastAPI-style 422 body, the shape the existing clients parse. */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
}

/** Thrown for a request whose body, query or path does not match its schema; answered as 422. */
export class RequestValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super('Request validation failed');
    this.name = 'RequestValidationError';
  }

  static fromClassValidator(errors: ValidationError[], location: ParameterLocation): RequestValidationError {
    return new RequestValidationError(errors.flatMap((error) => toIssues(error, [location])));
  }
}

/** class-validator constraint names → the pydantic error types the clients already know. */
const ISSUE_TYPES: Record<string, string> = {
  isDefined: 'missing',
  isNotEmpty: 'missing',
  isString: 'string_type',
  isInt: 'int_type',
  isNumber: 'float_type',
  isBoolean: 'bool_type',
  isEmail: 'value_error',
  isUuid: 'uuid_parsing',
  isEnum: 'enum',
  isIn: 'enum',
  minLength: 'string_too_short',
  maxLength: 'string_too_long',
  min: 'greater_than_equal',
  max: 'less_than_equal',
  matches: 'string_pattern_mismatch',
  isDateString: 'date_parsing',
  isIso8601: 'datetime_parsing',
  isArray: 'list_type',
  arrayMinSize: 'too_short',
  arrayMaxSize: 'too_long',
  whitelistValidation: 'extra_forbidden',
};

/** Constraints on the kind of a present value: when one fails, the range checks are meaningless. */
const TYPE_CONSTRAINTS = new Set(['isString', 'isInt', 'isNumber', 'isBoolean', 'isUuid', 'isArray']);

function toIssues(error: ValidationError, parentLoc: (string | number)[]): ValidationIssue[] {
  const loc = [...parentLoc, asLocPart(error.property)];
  const constraints = error.constraints ?? {};
  const missing = error.value === undefined || error.value === null;
  const issues: ValidationIssue[] = [];
  if (missing && 'isDefined' in constraints) {
    issues.push({ type: 'missing', loc, msg: 'Field required', input: null });
  } else {
    const failed = Object.entries(constraints);
    if (!missing)
      failed.sort(([a], [b]) => Number(TYPE_CONSTRAINTS.has(b)) - Number(TYPE_CONSTRAINTS.has(a)));
    if (failed.length > 0) {
      const [name, message] = failed[0];
      issues.push({
        type: ISSUE_TYPES[name] ?? 'value_error',
        loc,
        msg: message,
        input: error.value ?? null,
      });
    }
  }
  for (const child of error.children ?? []) issues.push(...toIssues(child, loc));
  return issues;
}

function asLocPart(property: string): string | number {
  return /^\d+$/.test(property) ? Number(property) : property;
}
