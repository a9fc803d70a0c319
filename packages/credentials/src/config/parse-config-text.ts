import { type RegistryAuthConfig } from '@berth/engine-protocol';
import { jsonSyntaxLocationSuffix } from '@berth/engine-protocol/internal';
import { DockerConfigError } from '../errors/docker-config-error.js';
import { isPlainObject, parseAuthEntries } from './parse-auth-entries.js';

/**
 * What Berth reads from one config document.
 *
 * @example
 * ```ts
 * const parsed: ParsedConfigDocument = parseConfigText(text, path, 'config.json');
 * ```
 */
export interface ParsedConfigDocument {
  /** Credentials, keyed as written. */
  readonly auths: Record<string, RegistryAuthConfig>;
  /** `credsStore`, when set. */
  readonly credentialsStore: string | undefined;
  /** `credHelpers`. */
  readonly credentialHelpers: Record<string, string>;
  /** Skipped entries and ignored settings. */
  readonly warnings: string[];
}

/**
 * Which layout the text follows.
 *
 * @example
 * ```ts
 * const kind: ConfigDocumentKind = 'dockercfg';
 * ```
 */
export type ConfigDocumentKind = 'config.json' | 'dockercfg' | 'environment';

/**
 * Parses JSON text without ever quoting it: V8's messages may include a slice of the input,
 * which here is full of credentials. Only the position survives.
 *
 * @example
 * ```ts
 * parseJsonText('{"auths": {}}', '/home/me/.docker/config.json'); // { auths: {} }
 * ```
 */
export function parseJsonText(text: string, source: string): unknown {
  const content = text.replace(/^\uFEFF/, '');
  // An empty file is an empty config, as for the CLI.
  if (content.trim() === '') return {};
  try {
    return JSON.parse(content) as unknown;
  } catch {
    // The SyntaxError is dropped on purpose: its message may quote the content.
    const where = jsonSyntaxLocationSuffix(content);
    throw new DockerConfigError(`${source} is not valid JSON${where}.`, {
      source,
      details: 'Fix or remove the file; Berth does not guess credentials from a broken config. The content is not shown because it may hold passwords.',
    });
  }
}

/**
 * Parses a Docker config document: `config.json` (`auths`, `credsStore`, `credHelpers`), the
 * legacy `~/.dockercfg` (a flat `{registry: {auth, email}}` map, or the newer `{"auths": …}`
 * layout), or `DOCKER_AUTH_CONFIG` (only its `auths` count, as in the CLI). Unknown keys are
 * ignored; broken entries are skipped with a warning; malformed JSON or a non-object document
 * throws a `DockerConfigError` naming the source.
 *
 * @example
 * ```ts
 * const parsed = parseConfigText(await readFile(path, 'utf8'), path, 'config.json');
 * console.log(parsed.credentialsStore, Object.keys(parsed.auths));
 * ```
 */
export function parseConfigText(text: string, source: string, kind: ConfigDocumentKind): ParsedConfigDocument {
  const document = parseJsonText(text, source);
  if (!isPlainObject(document)) {
    throw new DockerConfigError(`${source} must hold a JSON object, not ${Array.isArray(document) ? 'an array' : typeof document}.`, { source });
  }
  if (kind === 'dockercfg' && !isPlainObject(document['auths'])) {
    const { entries, warnings } = parseAuthEntries(document, source);
    return { auths: entries, credentialsStore: undefined, credentialHelpers: {}, warnings };
  }
  const { entries, warnings } = parseAuthEntries(document['auths'], source);
  if (kind !== 'config.json') {
    if (document['credsStore'] !== undefined || document['credHelpers'] !== undefined) {
      warnings.push(`${source}: "credsStore" and "credHelpers" are ignored here; only "auths" is read.`);
    }
    return { auths: entries, credentialsStore: undefined, credentialHelpers: {}, warnings };
  }

  let credentialsStore: string | undefined;
  const store = document['credsStore'];
  if (typeof store === 'string') {
    if (store !== '') credentialsStore = store;
  } else if (store !== undefined && store !== null) {
    warnings.push(`${source}: "credsStore" is not a string; ignored.`);
  }

  const credentialHelpers: Record<string, string> = {};
  const helpers = document['credHelpers'];
  if (isPlainObject(helpers)) {
    for (const [registry, helper] of Object.entries(helpers)) {
      if (typeof helper === 'string' && helper !== '') credentialHelpers[registry] = helper;
      else warnings.push(`${source}: credHelpers[${JSON.stringify(registry)}] is not a helper name; skipped.`);
    }
  } else if (helpers !== undefined && helpers !== null) {
    warnings.push(`${source}: "credHelpers" is not an object; ignored.`);
  }
  return { auths: entries, credentialsStore, credentialHelpers, warnings };
}
