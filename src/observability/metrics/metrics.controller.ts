import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Response } from 'express';
import { register } from 'prom-client';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { MetricsKeyGuard } from './metrics-key.guard';

/** `GET /metrics`: the Prometheus text exposition of every metric (H-014 guard, 30 per minute). */
@ApiExcludeController()
@Controller()
export class MetricsController {
  @Get()
  @UseGuards(MetricsKeyGuard)
  @RateLimit('metrics')
  async index(@Res() response: Response): Promise<void> {
    const body = await register.metrics();
    // Written directly: Express's send() would reorder the content type's parameters.
    response.status(200).setHeader('Content-Type', register.contentType);
    response.end(body);
  }
}
