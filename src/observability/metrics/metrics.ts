import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

/**
 * Every metric the service exposes, declared once (M-030). Modules inject them with
 * `@InjectMetric(METRIC.bookingsCreated)` and increment only after their transaction commits.
 */
export const METRIC = {
  httpRequests: 'emecano_http_requests_total',
  httpRequestDuration: 'emecano_http_request_duration_seconds',
  usersRegistered: 'emecano_users_registered_total',
  bookingsCreated: 'emecano_bookings_created_total',
  bookingsCancelled: 'emecano_bookings_cancelled_total',
  bookingsCompleted: 'emecano_bookings_completed_total',
  paymentsCaptured: 'emecano_payments_captured_total',
  paymentsRefunded: 'emecano_payments_refunded_total',
  disputesOpened: 'emecano_disputes_opened_total',
  stripeCallDuration: 'emecano_stripe_call_duration_seconds',
  schedulerJobRuns: 'emecano_scheduler_job_runs_total',
  schedulerJobRows: 'emecano_scheduler_job_rows_processed_total',
  schedulerJobDuration: 'emecano_scheduler_job_duration_seconds',
  pushDeliveries: 'emecano_push_deliveries_total',
} as const;

export const metricProviders = [
  makeCounterProvider({
    name: METRIC.httpRequests,
    help: 'HTTP requests by method, status class and route template',
    labelNames: ['method', 'status', 'handler'],
  }),
  makeHistogramProvider({
    name: METRIC.httpRequestDuration,
    help: 'HTTP request duration in seconds by method and route template',
    labelNames: ['method', 'handler'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  makeCounterProvider({
    name: METRIC.usersRegistered,
    help: 'Accounts created by registration',
    labelNames: ['role'],
  }),
  makeCounterProvider({
    name: METRIC.bookingsCreated,
    help: 'Bookings created',
    labelNames: ['status'],
  }),
  makeCounterProvider({
    name: METRIC.bookingsCancelled,
    help: 'Bookings cancelled, by who cancelled',
    labelNames: ['cancelled_by'],
  }),
  makeCounterProvider({ name: METRIC.bookingsCompleted, help: 'Bookings completed (payment released)' }),
  makeCounterProvider({ name: METRIC.paymentsCaptured, help: 'Successful PaymentIntent captures' }),
  makeCounterProvider({
    name: METRIC.paymentsRefunded,
    help: 'Refunds and cancellations that returned money',
  }),
  makeCounterProvider({
    name: METRIC.disputesOpened,
    help: 'Disputes opened, by reason',
    labelNames: ['reason'],
  }),
  makeHistogramProvider({
    name: METRIC.stripeCallDuration,
    help: 'Stripe API call duration in seconds by operation',
    labelNames: ['operation'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
  }),
  makeCounterProvider({
    name: METRIC.schedulerJobRuns,
    help: 'Scheduled job runs by job and outcome',
    labelNames: ['job_name', 'status'],
  }),
  makeCounterProvider({
    name: METRIC.schedulerJobRows,
    help: 'Items (bookings, rows, files) handled by scheduled job runs, by job',
    labelNames: ['job_name'],
  }),
  makeHistogramProvider({
    name: METRIC.schedulerJobDuration,
    help: 'Scheduled job run duration in seconds by job and outcome',
    labelNames: ['job_name', 'status'],
    buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
  }),
  makeCounterProvider({
    name: METRIC.pushDeliveries,
    help: 'Push notification deliveries by outcome',
    labelNames: ['outcome'],
  }),
];
