// The distribution reference grammar (github.com/distribution/reference), written out as
// anchored regular expressions so each part of a reference can be checked on its own and
// the error can say which part is wrong.

/** Lowercase letters and digits: the atoms of a path component. */
const alphanumeric = '[a-z0-9]+';

/** One `.`, one `_`, two `_`, or any number of `-` between atoms (never `___` or `..`). */
const separator = '(?:[._]|__|-+)';

/** One DNS-like label of a registry host; uppercase is allowed here, unlike in paths. */
const domainLabel = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';

/** Maximum length of a tag. */
export const TAG_MAXIMUM_LENGTH = 128;

/**
 * Maximum length of a repository name. Counted over the fully qualified name
 * (`docker.io/library/busybox`), as Engine 20.10–24 does; newer engines count the path only,
 * so this is the stricter, portable limit.
 */
export const NAME_MAXIMUM_LENGTH = 255;

/** The Docker Hub domain every familiar name is normalised to. */
export const DOCKER_HUB_DOMAIN = 'docker.io';

/** The legacy Docker Hub domain, normalised to {@link DOCKER_HUB_DOMAIN}. */
export const LEGACY_DOCKER_HUB_DOMAIN = 'index.docker.io';

/** Namespace of the official images on Docker Hub. */
export const OFFICIAL_NAMESPACE = 'library';

/** A single path component such as `busybox`, `my-app` or `a__b`. */
export const pathComponentPattern = new RegExp(`^${alphanumeric}(?:${separator}${alphanumeric})*$`);

/** A host name or IPv4 address (without port). */
export const domainNamePattern = new RegExp(`^${domainLabel}(?:\\.${domainLabel})*$`);

/** The inside of a bracketed IPv6 address: hex digits and colons, no zone identifier. */
export const ipv6AddressPattern = /^[a-fA-F0-9:]+$/;

/** A port number. */
export const portPattern = /^[0-9]+$/;

/** A tag: a word character, then up to 127 word characters, dots or dashes. */
export const tagPattern = new RegExp(`^[\\w][\\w.-]{0,${TAG_MAXIMUM_LENGTH - 1}}$`);

/** A digest as the reference grammar accepts it: `algorithm:hex` with at least 32 hex digits. */
export const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** A bare image ID (64 lowercase hex digits), which is never accepted as a repository name. */
export const identifierPattern = /^[a-f0-9]{64}$/;
