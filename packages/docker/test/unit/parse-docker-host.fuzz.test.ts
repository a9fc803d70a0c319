// Seeded, bounded fuzzing of the DOCKER_HOST parser (issue 8): whatever the input, an address or
// an InvalidArgumentError, never another error, quickly; and a password placed where user info
// goes never appears in an error. BERTH_FUZZ_SEED replays another sequence.
import { InvalidArgumentError } from '@berth/engine-protocol';
import { everyRendering, seededRandom } from '@berth/test-engine';
import { describe, expect, it } from 'vitest';
import { formatDockerHost, parseDockerHost } from '../../src/index.js';

const seed = Number(process.env['BERTH_FUZZ_SEED'] ?? 20_260_108);
const perInputLimit = 1_000; // a hang detector (the CPU is shared), not a benchmark
const schemes = ['', 'unix://', 'tcp://', 'http://', 'https://', 'ssh://', 'npipe://', 'fd://', 'TCP://', 'weird://', '://'];
const alphabet = 'abc019.-_/:@[]?#% \\\u00e9';

function parse(input: string, tls: boolean): { error: unknown } {
  const started = performance.now();
  let error: unknown;
  try {
    const address = parseDockerHost(input, { tls, argument: 'DOCKER_HOST' });
    // What parses also formats, and the formatted form parses to the same address.
    expect(parseDockerHost(formatDockerHost(address), { tls })).toStrictEqual(address);
  } catch (caught) {
    error = caught;
    expect(caught, `seed ${seed}, input ${JSON.stringify(input)}`).toBeInstanceOf(InvalidArgumentError);
  }
  expect(performance.now() - started, `seed ${seed}, input of ${input.length} characters`).toBeLessThan(perInputLimit);
  return { error };
}

// Generous: the CPU is shared with other suites in CI; each input has its own bound above.
describe(`parseDockerHost under fuzzing (seed ${seed})`, { timeout: 60_000 }, () => {
  it('random addresses: an address or an InvalidArgumentError', () => {
    const random = seededRandom(seed);
    for (let index = 0; index < 4_000; index += 1) {
      parse(random.pick(schemes) + random.string(random.integer(0, 40), alphabet), random.integer(0, 1) === 1);
    }
  });

  it('never shows a password put where user info goes, whatever follows', () => {
    const random = seededRandom(seed + 1);
    for (let index = 0; index < 1_000; index += 1) {
      const secret = `S3cr${random.string(random.integer(4, 12), 'xyzXYZ789/?#@:%')}`;
      const scheme = random.pick(schemes.filter((scheme) => scheme !== '://'));
      const input = `${scheme}user:${secret}@${random.string(random.integer(0, 20), alphabet)}`;
      const { error } = parse(input, false);
      if (error === undefined) continue;
      const shown = everyRendering(error);
      expect(shown.includes(secret), `seed ${seed}: ${JSON.stringify(input)} shown as ${(error as Error).message}`).toBe(false);
    }
  });

  it('long inputs stay quick', () => {
    for (const length of [1_000, 100_000]) {
      parse(`tcp://${'a'.repeat(length)}:2375`, false);
      parse(`ssh://${'a@'.repeat(length / 2)}host`, false);
      parse(`unix://${'/a'.repeat(length / 2)}`, false);
      parse(`${'[:'.repeat(length / 2)}`, true);
    }
  });
});
