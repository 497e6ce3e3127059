import { type DiscoverableDecorator, type DiscoveryService } from '@nestjs/core';

/**
 * The providers of the application that carry `marker` (a `DiscoveryService.createDecorator()`),
 * with the value each was marked with: how modules plug into a shared mechanism (GDPR owners,
 * private-file owners, jobs) without the mechanism importing them.
 */
export function markedProviders<T, V>(
  discovery: DiscoveryService,
  marker: DiscoverableDecorator<V>,
): { instance: T; mark: V }[] {
  return discovery
    .getProviders({ metadataKey: marker.KEY })
    .filter((wrapper) => wrapper.instance)
    .map((wrapper) => ({
      instance: wrapper.instance as T,
      mark: discovery.getMetadataByDecorator(marker, wrapper) as V,
    }));
}
