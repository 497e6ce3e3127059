import { Expo } from 'expo-server-sdk';
import { Agent, type Dispatcher } from 'undici';

/**
 * The transport limits of messaging §3.2.3 (connect 5 s, read 10 s): a hung Expo call ends well
 * before the push queue's lease (PUSH_POLICY.expireInSeconds) runs out.
 */
const TIMEOUTS = { connect: { timeout: 5_000 }, headersTimeout: 10_000, bodyTimeout: 10_000 } as const;

/**
 * expo-server-sdk always calls https://exp.host (its base URL is fixed when the module loads); an
 * undici interceptor sends those requests to EXPO_PUSH_URL instead, so staging and the tests can
 * point one process at a local fake without touching the process environment.
 */
function expoDispatcher(baseUrl: string): Dispatcher {
  const target = new URL(baseUrl);
  const pathPrefix = target.pathname.replace(/\/$/, '');
  return new Agent(TIMEOUTS).compose(
    (dispatch) => (options, handler) =>
      dispatch({ ...options, origin: target.origin, path: `${pathPrefix}${options.path}` }, handler),
  );
}

export function createExpoClient(baseUrl: string): Expo {
  return new Expo({ httpAgent: expoDispatcher(baseUrl) });
}
