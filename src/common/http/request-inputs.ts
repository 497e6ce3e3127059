import { type ArgumentMetadata, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { type Request } from 'express';

interface RouteArg {
  index: number;
  data?: string;
}

const VALIDATED_SOURCES: Partial<
  Record<RouteParamtypes, { type: ArgumentMetadata['type']; read: (req: Request) => unknown }>
> = {
  [RouteParamtypes.BODY]: { type: 'body', read: (req) => req.body },
  [RouteParamtypes.QUERY]: { type: 'query', read: (req) => req.query },
  [RouteParamtypes.PARAM]: { type: 'param', read: (req) => req.params },
};

/**
 * Runs `pipe` over the body, query and path arguments a route declares, exactly as Nest will when
 * it calls the handler. Used to validate a request before it may spend rate-limit quota.
 */
export async function validateRouteInputs(context: ExecutionContext, pipe: PipeTransform): Promise<void> {
  const controller = context.getClass();
  const handler = context.getHandler();
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<
    string,
    RouteArg
  >;
  const paramTypes = (Reflect.getMetadata('design:paramtypes', controller.prototype, handler.name) ??
    []) as unknown[];
  const request = context.switchToHttp().getRequest<Request>();
  // A multipart body is parsed later, by the route's upload interceptor; Nest's pipe validates its
  // fields when it calls the handler.
  const multipart = typeof request.is('multipart/form-data') === 'string' && request.body === undefined;
  for (const [key, arg] of Object.entries(args)) {
    const source = VALIDATED_SOURCES[Number(key.split(':')[0]) as RouteParamtypes];
    if (!source || (multipart && source.type === 'body')) continue;
    const whole = source.read(request) as Record<string, unknown> | undefined;
    const value = arg.data ? whole?.[arg.data] : whole;
    await pipe.transform(value, {
      type: source.type,
      data: arg.data,
      metatype: paramTypes[arg.index] as ArgumentMetadata['metatype'],
    });
  }
}
