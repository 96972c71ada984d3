// The simulator inside a test process, behind msw: every request to a made-up endpoint is answered by
// the simulator's fetch function, with no port opened. Imported as `mirrorspec/msw`, so that only the
// projects that use it need msw installed.

import { type HttpHandler, http } from 'msw';
import type { Simulator } from './simulator.ts';

export interface MirrorspecHandlersOptions {
  /**
   * The base URL the application is configured with, e.g. `http://s3.mirrorspec.test`: a scheme and a
   * host (and port), no path. Requests to it are path-style; requests to `<bucket>.<host>` are
   * virtual-hosted, which the simulator reads as such when created with `virtualHostDomains: [<host>]`.
   */
  endpoint: string;
}

/** msw handlers that answer every request under `endpoint` (and its subdomains) from `simulator`. */
export function mirrorspecHandlers(simulator: Simulator, options: MirrorspecHandlersOptions): HttpHandler[] {
  const endpoint = new URL(options.endpoint);
  if (endpoint.pathname !== '/' || endpoint.search !== '' || endpoint.hash !== '') {
    throw new Error(`the endpoint must be a scheme and a host without a path, got '${options.endpoint}'`);
  }
  const served = (url: URL) =>
    url.protocol === endpoint.protocol &&
    url.port === endpoint.port &&
    (url.hostname === endpoint.hostname || url.hostname.endsWith(`.${endpoint.hostname}`));
  return [
    http.all(
      ({ request }) => served(new URL(request.url)),
      ({ request }) => {
        const url = new URL(request.url);
        // The target as the application's client sent it; its URL was parsed once already on the way here.
        return simulator.fetch(request, { target: url.pathname + url.search });
      },
    ),
  ];
}
