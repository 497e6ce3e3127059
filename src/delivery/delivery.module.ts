import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DELIVERY_OPTIONS, type DeliveryOptions } from './delivery.options';
import { DeliveryQueue } from './delivery-queue';

@Global()
@Module({})
export class DeliveryModule {
  static forRoot(options: DeliveryOptions): DynamicModule {
    return {
      module: DeliveryModule,
      providers: [{ provide: DELIVERY_OPTIONS, useValue: options }, DeliveryQueue],
      exports: [DeliveryQueue],
    };
  }
}
