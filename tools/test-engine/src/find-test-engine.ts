// Locates the engine and registry that scripts/harness/engine.sh started, through the
// BERTH_TEST_* variables it writes. In CI (CI=true) a missing engine is an error, never a skip.

/**
 * The throwaway engine and registry of the harness.
 *
 * @example
 * ```ts
 * const engine: TestEngine | undefined = findTestEngine();
 * if (engine) console.log(engine.dockerHost, engine.registry);
 * ```
 */
export interface TestEngine {
  /** `unix:///…/docker.sock` */
  readonly dockerHost: string;
  /** Path of the engine's Unix socket. */
  readonly socketPath: string;
  /** `127.0.0.1:PORT` of the local registry. */
  readonly registry: string;
  /** A small local image every test may use: `berth-test/busybox:latest`. */
  readonly seedImage: string;
  /** The engine's maximum API version. */
  readonly apiVersion: string;
  /** The harness state folder. */
  readonly harnessDirectory: string;
}

let warned = false;

/**
 * The harness engine, or `undefined` (with one clear message) when none was started and this
 * is not CI. Throws under `CI=true`.
 *
 * @example
 * ```ts
 * const engine = findTestEngine();
 * describe.runIf(engine)('against the harness engine', () => {
 *   it('pings', async () => expect(await ping(unixClient(engine!.socketPath))).toBe('OK'));
 * });
 * ```
 */
export function findTestEngine(): TestEngine | undefined {
  const environment = process.env;
  const socketPath = environment['BERTH_TEST_DOCKER_SOCKET'];
  if (!socketPath) {
    const reason =
      'No test engine: BERTH_TEST_DOCKER_SOCKET is not set. Run the tests with `bash scripts/test.sh` ' +
      '(it starts a throwaway engine), or `eval "$(scripts/harness/engine.sh start)"` first.';
    if (environment['CI']) throw new Error(`${reason} In CI the integration tests must run.`);
    if (!warned) {
      warned = true;
      console.warn(`[berth] integration tests SKIPPED: ${reason}`);
    }
    return undefined;
  }
  return {
    dockerHost: environment['BERTH_TEST_DOCKER_HOST'] ?? `unix://${socketPath}`,
    socketPath,
    registry: required('BERTH_TEST_REGISTRY'),
    seedImage: environment['BERTH_TEST_SEED_IMAGE'] ?? 'berth-test/busybox:latest',
    apiVersion: environment['BERTH_TEST_ENGINE_API_VERSION'] ?? '',
    harnessDirectory: environment['BERTH_TEST_HARNESS_DIR'] ?? '',
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set although BERTH_TEST_DOCKER_SOCKET is: restart the harness.`);
  return value;
}
