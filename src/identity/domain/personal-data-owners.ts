import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { markedProviders } from '../../common/discovery/marked-providers';
import { OwnsPersonalData, type PersonalDataOwner } from './personal-data';

/** Every `@OwnsPersonalData()` provider of the application. */
@Injectable()
export class PersonalDataOwners implements OnModuleInit {
  private owners: PersonalDataOwner[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.owners = markedProviders<PersonalDataOwner, void>(this.discovery, OwnsPersonalData).map(
      ({ instance }) => instance,
    );
  }

  all(): readonly PersonalDataOwner[] {
    return this.owners;
  }
}
