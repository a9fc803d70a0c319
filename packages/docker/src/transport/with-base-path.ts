import type { Transport } from '@berth/engine-protocol';
import { definedEntries } from '@berth/engine-protocol/internal';

/**
 * Wraps a transport so that every request path gets `basePath` in front, as the Docker client
 * does for `tcp://host:port/prefix` (an engine behind a reverse proxy under a sub-path).
 *
 * @example
 * ```ts
 * const proxied = withBasePath(tcpTransport({ host: 'tcp://proxy:80' }), '/docker');
 * // GET /v1.45/images/json goes out as GET /docker/v1.45/images/json
 * ```
 */
export function withBasePath(transport: Transport, basePath: string): Transport {
  const dispatcher = transport.dispatcher.compose((dispatch) => (options, handler) =>
    dispatch({ ...options, path: `${basePath}${options.path}` }, handler),
  );
  const describeError = transport.describeError?.bind(transport);
  return {
    type: transport.type,
    description: `${transport.description}${basePath}`,
    origin: transport.origin,
    dispatcher,
    ...definedEntries({ describeError }),
    close: () => transport.close(),
  };
}
