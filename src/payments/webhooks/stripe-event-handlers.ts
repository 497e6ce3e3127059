import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { markedProviders } from '../../common/discovery/marked-providers';
import { type EntityManager } from 'typeorm';
import { type StripeEvent } from '../domain/stripe-event';

/**
 * A module's reaction to Stripe events (§4.8-5). It runs inside the webhook's transaction, after the
 * event was claimed: whatever it writes commits with the deduplication row, and if it throws, both
 * roll back and Stripe redelivers. It must lock the rows it decides on and make no call outside the
 * database.
 */
export interface StripeEventHandler {
  handle(manager: EntityManager, event: StripeEvent): Promise<void>;
}

const StripeEventsMarker = DiscoveryService.createDecorator<string[]>();

/** Registers a provider as the handler of these event types, e.g. `@HandlesStripeEvents('account.updated')`. */
export const HandlesStripeEvents = (...types: [string, ...string[]]) => StripeEventsMarker(types);

/** Every `@HandlesStripeEvents` provider of the application, found at start, by event type. */
@Injectable()
export class StripeEventHandlers implements OnModuleInit {
  private readonly byType = new Map<string, StripeEventHandler[]>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const { instance, mark: types } of markedProviders<StripeEventHandler, string[]>(
      this.discovery,
      StripeEventsMarker,
    )) {
      for (const type of types) this.byType.set(type, [...(this.byType.get(type) ?? []), instance]);
    }
  }

  /** Unknown types are ignored (acknowledged), as Stripe expects of an endpoint that does not use them. */
  async dispatch(manager: EntityManager, event: StripeEvent): Promise<void> {
    for (const handler of this.byType.get(event.type) ?? []) await handler.handle(manager, event);
  }
}
