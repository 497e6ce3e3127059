import { type ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { type ValidationError } from 'class-validator';
import { type ParameterLocation, RequestValidationError } from './request-validation.error';

const LOCATIONS: Partial<Record<ArgumentMetadata['type'], ParameterLocation>> = {
  body: 'body',
  query: 'query',
  param: 'path',
};

/**
 * class-validator through Nest's ValidationPipe, answering in the FastAPI 422 shape with the
 * location of each failing field. Unknown fields are dropped, as pydantic does.
 */
const BODY_MAY_BE_OMITTED = 'emecano:body-may-be-omitted';

/** On a request class whose fields are all optional: a request without a body is validated as `{}`. */
export const BodyMayBeOmitted = (): ClassDecorator => (target) =>
  Reflect.defineMetadata(BODY_MAY_BE_OMITTED, true, target);

function bodyMayBeOmitted(metatype: object): boolean {
  return Reflect.getMetadata(BODY_MAY_BE_OMITTED, metatype) === true;
}

@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      exceptionFactory: (errors: ValidationError[]) => errors,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const location = LOCATIONS[metadata.type];
    if (!location || !this.toValidate(metadata)) return value;
    if (
      metadata.type === 'body' &&
      value === undefined &&
      metadata.metatype &&
      bodyMayBeOmitted(metadata.metatype)
    ) {
      value = {};
    }
    if (metadata.type === 'body' && (value === undefined || value === null)) {
      throw new RequestValidationError([
        { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
      ]);
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new RequestValidationError([
        {
          type: 'model_attributes_type',
          loc: [location],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          input: value,
        },
      ]);
    }
    try {
      return await super.transform(value, metadata);
    } catch (errors) {
      if (Array.isArray(errors))
        throw RequestValidationError.fromClassValidator(errors as ValidationError[], location);
      throw errors;
    }
  }
}
