import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../../common/errors/domain-error';
import { type AuthenticatedRequest } from './authenticated-request';

export type RoleRequirement = 'buyer' | 'verified_buyer' | 'admin';
export const ROLE_REQUIREMENT = 'emecano:role-requirement';

/** Runs after JwtAuthGuard; the messages of identity §2.0.1. */
@Injectable()
export class RoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const requirement = this.reflector.getAllAndOverride<RoleRequirement | undefined>(ROLE_REQUIREMENT, [
      context.getHandler(),
      context.getClass(),
    ]);
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().auth?.user;
    if (!requirement || !user) return Boolean(user);
    if (requirement === 'admin') {
      if (user.role !== 'admin') throw new DomainError('access_denied', 'Admin access required');
      return true;
    }
    if (user.role !== 'buyer') throw new DomainError('access_denied', 'Only buyers can access this resource');
    if (requirement === 'verified_buyer' && !user.isVerified) {
      throw new DomainError(
        'email_not_verified',
        'Email verification required. Please verify your email before proceeding.',
      );
    }
    return true;
  }
}
