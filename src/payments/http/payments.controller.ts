import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { type Request } from 'express';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { CurrentMechanic, CurrentUser, RequireRole } from '../../identity/auth/auth.decorators';
import { type MechanicAccountState } from '../../identity/domain/mechanic-accounts';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { OnboardMechanicCommand } from '../commands/onboard-mechanic/onboard-mechanic.command';
import { ProcessStripeWebhookCommand } from '../commands/process-stripe-webhook/process-stripe-webhook.command';
import { GetMechanicDashboardQuery } from '../queries/get-mechanic-dashboard/get-mechanic-dashboard.query';
import { STRIPE_WEBHOOK_PATH } from './stripe-webhook.route';

/** bookings-payments §3.14–§3.16. */
@ApiTags('payments')
@Controller()
export class PaymentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** D9: open to a mechanic still onboarding (inactive, not yet verified). */
  @Post('payments/onboard-mechanic')
  @HttpCode(200)
  @RequireRole('mechanic_onboarding')
  @RateLimit('stripe_onboarding')
  onboard(@CurrentMechanic() mechanic: MechanicAccountState, @CurrentUser() user: UserEntity) {
    return this.commands.execute(new OnboardMechanicCommand(mechanic.profileId, user.email));
  }

  @Get('payments/mechanic-dashboard')
  @RequireRole('mechanic')
  @RateLimit('stripe_dashboard')
  dashboard(@CurrentMechanic() mechanic: MechanicAccountState) {
    return this.queries.execute(new GetMechanicDashboardQuery(mechanic.profileId));
  }

  /** Unauthenticated: the Stripe signature is the authentication. `configureHttp` keeps the body raw. */
  @Post(STRIPE_WEBHOOK_PATH.slice(1))
  @HttpCode(200)
  @RateLimit('stripe_webhook')
  webhook(@Req() request: Request) {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    return this.commands.execute(
      new ProcessStripeWebhookCommand(rawBody, request.header('stripe-signature')),
    );
  }
}
