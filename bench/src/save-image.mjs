// The image the save scenario exports: the seed image plus one layer of 50 MB of random bytes
// (random so that nothing along the way can compress it away).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Tag of the image built for the save scenario. */
export const SAVE_IMAGE = 'berth-bench/save-50mb:latest';
/** Bytes of the random layer. */
export const SAVE_LAYER_BYTES = 50 * 1024 * 1024;

/**
 * Builds {@link SAVE_IMAGE} with the classic builder and no network, through dockerode.
 *
 * @example
 * ```js
 * const id = await buildSaveImage(docker, 'berth-test/busybox:latest');
 * ```
 * @param {import('dockerode')} docker
 * @param {string} seedImage
 * @returns {Promise<string>} the image id
 */
export async function buildSaveImage(docker, seedImage) {
  const context = await mkdtemp(join(tmpdir(), 'berth-bench-'));
  try {
    await writeFile(
      join(context, 'Dockerfile'),
      `FROM ${seedImage}\nRUN head -c ${SAVE_LAYER_BYTES} /dev/urandom > /random.bin\n`,
    );
    const stream = await docker.buildImage(
      { context, src: ['Dockerfile'] },
      { t: SAVE_IMAGE, networkmode: 'none', version: '1', rm: true, forcerm: true },
    );
    /** @type {any[]} */
    const messages = await new Promise((resolve, reject) => {
      docker.modem.followProgress(stream, (/** @type {unknown} */ error, /** @type {any[]} */ output) =>
        error ? reject(error) : resolve(output),
      );
    });
    const failure = messages.find((message) => message.error || message.errorDetail);
    if (failure) throw new Error(`building ${SAVE_IMAGE} failed: ${failure.error ?? failure.errorDetail?.message}`);
    const built = messages.find((message) => message.aux?.ID);
    if (!built) throw new Error(`building ${SAVE_IMAGE} printed no image id`);
    return built.aux.ID;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
