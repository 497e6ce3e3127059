import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { MechanicAccounts } from '../domain/mechanic-accounts';
import { type AuthenticatedRequest } from './authenticated-request';
import { admitMechanic } from './mechanic-admission';

/**
 * `mechanic` is the strict guard; `mechanic_onboarding` also lets a new mechanic, inactive until an
 * admin approves them, complete the profile and upload documents (N1).
 */
export type RoleRequirement = 'buyer' | 'verified_buyer' | 'admin' | 'mechanic' | 'mechanic_onboarding';
export const ROLE_REQUIREMENT = 'emecano:role-requirement';

/** Runs after JwtAuthGuard; the messages of identity §2.0.1. */
@Injectable()
export class RoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly clock: Clock,
    private readonly mechanics: MechanicAccounts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<RoleRequirement | undefined>(ROLE_REQUIREMENT, [
      context.getHandler(),
      context.getClass(),
    ]);
    const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
    const user = auth?.user;
    if (!requirement || !auth || !user) return Boolean(user);
    if (requirement === 'admin') {
      if (user.role !== 'admin') throw new DomainError('access_denied', 'Admin access required');
      return true;
    }
    if (requirement === 'mechanic' || requirement === 'mechanic_onboarding') {
      if (user.role !== 'mechanic') {
        throw new DomainError('access_denied', 'Only mechanics can access this resource');
      }
      const account = await this.mechanics.accountState(user.id);
      auth.mechanic = admitMechanic(account, requirement === 'mechanic_onboarding', this.clock.now());
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
