import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { PERSONAL_DATA_OWNER, type PersonalDataOwner } from './personal-data';

/** Every `@OwnsPersonalData()` provider of the application. */
@Injectable()
export class PersonalDataOwners implements OnModuleInit {
  private owners: PersonalDataOwner[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.owners = this.discovery
      .getProviders()
      .filter(
        (wrapper) =>
          wrapper.metatype && wrapper.instance && this.reflector.get(PERSONAL_DATA_OWNER, wrapper.metatype),
      )
      .map((wrapper) => wrapper.instance as PersonalDataOwner);
  }

  all(): readonly PersonalDataOwner[] {
    return this.owners;
  }
}
