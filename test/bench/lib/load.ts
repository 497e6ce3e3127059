/**
 * Shared by the benches of test/bench/: autocannon load runs against the built server, each request
 * from a client address of its own (the server trusts one proxy, TRUSTED_PROXY_COUNT=1), so that the
 * per-client rate limits never answer 429 during a run, and a Markdown formatting helper.
 */
// @ts-expect-error -- autocannon ships no type declarations; the subset used is typed below.
import autocannonUntyped from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called before each request is sent; returns the request to send. */
  setupRequest?: (request: LoadRequest) => LoadRequest;
  /** Called with each response (status, body as text). */
  onResponse?: (status: number, body: string) => void;
}

export interface Distribution {
  average: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  /** Requests per second over each whole second of the run; `total` requests in all. */
  requests: Distribution & { total: number };
  latency: Distribution;
  /** Of the whole run, in seconds; autocannon ends a run on its 1 s tick, so an `amount` run is rounded up. */
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

interface LoadRun extends PromiseLike<LoadResult> {
  stop(): void;
}

const autocannon = autocannonUntyped as (options: {
  url: string;
  connections: number;
  duration: number;
  amount?: number;
  timeout: number;
  requests: LoadRequest[];
}) => LoadRun;

/** A load run ends `durationS` after its start; this is how long we give it beyond that. */
const RUN_GRACE_MS = 30_000;

export interface LoadOptions {
  connections: number;
  /** The run's length; with `amount`, only its deadline (the run fails if it lasts longer). */
  durationS: number;
  /** If set, the run ends after exactly this many requests, spread evenly over the connections. */
  amount?: number;
  /** Per request, in seconds (autocannon's timeout). */
  timeoutS: number;
}

let clientCount = 0;

/** A client address never used before in this process: each request gets a fresh rate-limit bucket. */
export function nextClientIp(): string {
  const n = ++clientCount;
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * `durationS` (or `amount` requests) of `request` on `connections` connections, each request from a
 * new client address (after the request's own setupRequest, if any). Rejects if the run does not
 * end in time.
 */
export async function load(
  baseUrl: string,
  request: LoadRequest,
  { connections, durationS, amount, timeoutS }: LoadOptions,
): Promise<LoadResult> {
  const { setupRequest } = request;
  const instance = autocannon({
    url: baseUrl,
    connections,
    duration: durationS,
    ...(amount === undefined ? {} : { amount }),
    timeout: timeoutS,
    requests: [
      {
        ...request,
        setupRequest: (built) => {
          const prepared = setupRequest ? setupRequest(built) : built;
          return { ...prepared, headers: { ...prepared.headers, 'x-forwarded-for': nextClientIp() } };
        },
      },
    ],
  });
  let timer: NodeJS.Timeout | undefined;
  const overdue = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        instance.stop();
        reject(new Error(`${request.method} ${request.path}: the load run did not end in time`));
      },
      durationS * 1_000 + RUN_GRACE_MS,
    );
  });
  try {
    return await Promise.race([instance, overdue]);
  } finally {
    clearTimeout(timer);
  }
}

/** `status: count` of a run's responses, for messages. */
export function describeStatusCodes(result: LoadResult): string {
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code}: ${count}`)
    .join(', ');
  return codes || 'none';
}
