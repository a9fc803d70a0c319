import { DockerConfigError } from '../errors/docker-config-error.js';
import { DOCKER_HUB_REGISTRY } from '../registry/registry-key.js';
import { decodeAuth } from './parse-auth-entries.js';
import { parseConfigText, type ParsedConfigDocument } from './parse-config-text.js';

const emptyDocument = (warnings: string[]): ParsedConfigDocument => ({ auths: {}, credentialsStore: undefined, credentialHelpers: {}, warnings });

/**
 * Reads the legacy `~/.dockercfg` (used only when there is no `config.json`) in both of its
 * forms, and never throws: a legacy file must not break a pull.
 *
 * - JSON: the flat `{"<registry>": {"auth": …}}` map (or an `auths` object).
 * - The older text form, as old CLIs wrote and read it: `auth = <base64 user:password>` and
 *   `email = <address>` lines, for Docker Hub (`https://index.docker.io/v1/`).
 *
 * Anything else is ignored with a warning (which never quotes the content), as the current CLI
 * ignores a legacy file it cannot read.
 *
 * @example
 * ```ts
 * parseLegacyDockercfg('auth = dXNlcjpwYXNz\nemail = me@example.com\n', '/root/.dockercfg').auths;
 * // { 'https://index.docker.io/v1/': { username: 'user', password: 'pass', email: 'me@example.com' } }
 * ```
 */
export function parseLegacyDockercfg(text: string, source: string): ParsedConfigDocument {
  const content = text.replace(/^\uFEFF/, '');
  if (content.trim() === '' || content.trimStart().startsWith('{') || content.trimStart().startsWith('[')) {
    try {
      return parseConfigText(content, source, 'dockercfg');
    } catch (error) {
      if (!(error instanceof DockerConfigError)) throw error;
      return emptyDocument([`${source}: ${error.shortMessage} The legacy file is ignored.`]);
    }
  }
  return parseLegacyText(content, source);
}

function parseLegacyText(content: string, source: string): ParsedConfigDocument {
  const fields = new Map<string, string>();
  for (const line of content.split(/\r?\n/)) {
    const separator = line.indexOf('=');
    if (line.trim() === '') continue;
    if (separator === -1) return emptyDocument([`${source}: neither JSON nor "key = value" lines; the legacy file is ignored.`]);
    fields.set(line.slice(0, separator).trim().toLowerCase(), line.slice(separator + 1).trim());
  }
  const auth = fields.get('auth');
  if (auth === undefined || auth === '') return emptyDocument([`${source}: the legacy text form has no "auth = …" line; the legacy file is ignored.`]);
  const decoded = decodeAuth(auth);
  if (typeof decoded === 'string') return emptyDocument([`${source}: "auth" ${decoded}; the legacy file is ignored.`]);
  const email = fields.get('email');
  return {
    auths: {
      [DOCKER_HUB_REGISTRY]: {
        username: decoded.username,
        ...(decoded.password === '' ? {} : { password: decoded.password }),
        ...(email === undefined || email === '' ? {} : { email }),
      },
    },
    credentialsStore: undefined,
    credentialHelpers: {},
    warnings: [],
  };
}
