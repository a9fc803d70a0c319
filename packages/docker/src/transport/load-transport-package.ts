import { BerthError } from '@berth/engine-protocol';
import { MissingTransportPackageError } from '../errors/missing-transport-package-error.js';

/**
 * The optional transport packages, loaded only when an endpoint needs one.
 *
 * @example
 * ```ts
 * const name: TransportPackageName = '@berth/transport-tcp';
 * ```
 */
export type TransportPackageName = '@berth/transport-tcp' | '@berth/transport-ssh';

/**
 * Imports a transport package; replaceable so tests can simulate a missing one.
 *
 * @example
 * ```ts
 * const loader: TransportModuleLoader = (name) => import(name);
 * ```
 */
export type TransportModuleLoader = (packageName: TransportPackageName) => Promise<unknown>;

/**
 * The default loader: a runtime `import()` of the package, so a Unix-only application never
 * loads the TLS or SSH code (nor ssh2).
 *
 * @example
 * ```ts
 * const tcp = await importTransportModule('@berth/transport-tcp');
 * ```
 */
export const importTransportModule: TransportModuleLoader = (packageName) => import(packageName);

/**
 * Loads `packageName` with `loader` and returns its export `exportName` (a function). A package
 * that is not installed becomes a {@link MissingTransportPackageError} saying what to install;
 * any other failure (a broken install, a dependency of the package missing) a `BerthError`
 * with the original as `cause`.
 *
 * @example
 * ```ts
 * const tcpTransport = await loadTransportFactory('@berth/transport-tcp', 'tcpTransport', 'tcp://10.0.0.5:2376', importTransportModule);
 * ```
 */
export async function loadTransportFactory(
  packageName: TransportPackageName,
  exportName: string,
  endpoint: string,
  loader: TransportModuleLoader,
): Promise<(options: never) => unknown> {
  let loaded: unknown;
  try {
    loaded = await loader(packageName);
  } catch (error) {
    if (isPackageNotFound(error, packageName)) {
      throw new MissingTransportPackageError({ packageName, endpoint, cause: error });
    }
    throw new BerthError(`Could not load ${packageName} for ${endpoint}.`, { cause: error });
  }
  const factory = typeof loaded === 'object' && loaded !== null ? (loaded as Record<string, unknown>)[exportName] : undefined;
  if (typeof factory !== 'function') {
    throw new BerthError(`${packageName} does not export ${exportName}().`, {
      details: `Install a version of ${packageName} that matches @berth/docker.`,
    });
  }
  return factory as (options: never) => unknown;
}

/**
 * Whether `error` says that `packageName` itself (not one of its own dependencies) cannot be
 * found: Node's `ERR_MODULE_NOT_FOUND` names the package in quotes; CommonJS-style loaders and
 * bundlers use `MODULE_NOT_FOUND`.
 */
function isPackageNotFound(error: unknown, packageName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && (message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`));
}
