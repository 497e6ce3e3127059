import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { metricProviders } from './metrics';

// prom-client's registry is process-wide: register default metrics once, however many apps a
// process (a test file) creates.
const prometheus = PrometheusModule.register({
  controller: MetricsController,
  path: '/metrics',
  defaultMetrics: { enabled: true },
});

@Global()
@Module({
  imports: [prometheus],
  providers: [...metricProviders, HttpMetricsMiddleware],
  exports: [...metricProviders, HttpMetricsMiddleware],
})
export class MetricsModule {}
