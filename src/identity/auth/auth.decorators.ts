import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { type MechanicAccountState } from '../domain/mechanic-accounts';
import { type TokenClaims } from '../domain/token.service';
import { type UserEntity } from '../persistence/user.entity';
import { type AuthenticatedRequest } from './authenticated-request';
import { JwtAuthGuard } from './jwt-auth.guard';
import { ROLE_REQUIREMENT, RoleGuard, type RoleRequirement } from './role.guard';

/** Any authenticated, active user with a live access token. */
export const Authenticated = () => applyDecorators(UseGuards(JwtAuthGuard), ApiBearerAuth());

/** An authenticated user who also meets a role requirement. */
export const RequireRole = (requirement: RoleRequirement) =>
  applyDecorators(
    SetMetadata(ROLE_REQUIREMENT, requirement),
    UseGuards(JwtAuthGuard, RoleGuard),
    ApiBearerAuth(),
  );

function authentication(context: ExecutionContext) {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw new Error('@CurrentUser() used on a route without @Authenticated()');
  return auth;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): UserEntity => authentication(context).user,
);

/** The verified claims of the presented access token (for revoking it). */
export const CurrentToken = createParamDecorator(
  (_: unknown, context: ExecutionContext): TokenClaims => authentication(context).claims,
);

/** The caller's mechanic profile, on routes guarded by `@RequireRole('mechanic' | 'mechanic_onboarding')`. */
export const CurrentMechanic = createParamDecorator(
  (_: unknown, context: ExecutionContext): MechanicAccountState => {
    const mechanic = authentication(context).mechanic;
    if (!mechanic) throw new Error('@CurrentMechanic() used on a route without a mechanic guard');
    return mechanic;
  },
);
