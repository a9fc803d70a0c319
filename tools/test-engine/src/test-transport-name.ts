/**
 * Which transport the integration suites use, from `BERTH_TEST_TRANSPORT` (default `unix`).
 * Each suite maps the name to a transport with its own dev dependencies, so this helper
 * depends on no Berth package (and no package depends on itself through it).
 *
 * @example
 * ```ts
 * const transport = testTransportName() === 'tcp' ? tcpTransport({ host }) : unixTransport({ socketPath });
 * ```
 */
export function testTransportName(): string {
  return process.env['BERTH_TEST_TRANSPORT'] || 'unix';
}
