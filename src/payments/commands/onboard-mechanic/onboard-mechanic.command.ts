import { Command } from '@nestjs/cqrs';

export interface OnboardingLink {
  onboarding_url: string;
}

export class OnboardMechanicCommand extends Command<OnboardingLink> {
  constructor(
    readonly profileId: string,
    readonly email: string,
  ) {
    super();
  }
}
