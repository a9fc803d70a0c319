import { InvalidArgumentError, ping, type CallOptions, type EngineClient } from '@berth/engine-protocol';

/**
 * Refuses a BuildKit build (`version: '2'`) on an engine that has no BuildKit, before the
 * context is packed or sent. Podman answers `/_ping` with an empty `Builder-Version` and would
 * otherwise build with Buildah, ignoring the request, and never send BuildKit's status. Docker
 * Engines either name their default builder (`1`, `2`) or, like 20.10, send no header at all:
 * those build with BuildKit when asked.
 */
export async function ensureBuildkit(client: EngineClient, options: CallOptions): Promise<void> {
  const { builderVersion } = await ping(client, options);
  if (builderVersion === undefined || builderVersion.trim() !== '') return;
  throw new InvalidArgumentError('The engine has no BuildKit, so version: "2" cannot be honoured.', {
    argument: 'version',
    details: 'Its /_ping names no builder (Podman builds with Buildah). Build without version "2" on this engine.',
  });
}
