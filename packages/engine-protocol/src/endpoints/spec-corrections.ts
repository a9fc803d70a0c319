import type { BinaryData } from '../generated/index.js';
import type { RegistryAuthConfig } from '../request/registry-auth.js';

// The one place where Berth's endpoint types depart from the Engine API spec (spec/, v1.56).
// Everything else about a parameter's or a reply's type comes from the generated types
// (src/generated/, `pnpm generate`). Each entry says why; the wire facts behind them are
// checked against the daemon, which wins where it and the spec disagree.
//
// Not listed here, because the parameter kind of the definition already says it: list
// parameters (`t`, `extrahosts`, `names`, `platform`, `platforms`, `changes`) are repeated
// query keys, so each takes one value or several even where the spec types it as a single
// string; `filters`, platforms and registry credentials take structured values that the
// request pipeline encodes (the spec types them as the encoded string).

/**
 * A ulimit of a build's RUN steps (the `ulimits` parameter of `POST /build`).
 *
 * @example
 * ```ts
 * const nofile: BuildUlimit = { Name: 'nofile', Soft: 1024, Hard: 2048 };
 * ```
 */
export interface BuildUlimit {
  /** The limit's name, e.g. `nofile`. */
  readonly Name: string;
  /** Soft limit. */
  readonly Soft: number;
  /** Hard limit. */
  readonly Hard: number;
}

/**
 * Parameter types that correct or complete the Engine API spec, by operation id, then by the
 * parameter's name in the endpoint definition. A type here replaces the spec's type (or stands in
 * for a parameter the spec lacks) before the parameter kind applies its encoding (a `list`
 * takes one value or several).
 *
 * @example
 * ```ts
 * const labels: SpecParameterCorrections['ImageBuild']['labels'] = { team: 'a' };
 * ```
 */
export interface SpecParameterCorrections {
  /** `POST /build`. */
  ImageBuild: {
    /** The spec types these as JSON text; this is the value the text encodes. */
    buildargs: Readonly<Record<string, string>>;
    /** JSON text in the spec: a map of labels. */
    labels: Readonly<Record<string, string>>;
    /** JSON text in the spec: a list of image references. */
    cachefrom: readonly string[];
    /** Not in the spec, read by the daemon: Windows isolation technology. */
    isolation: string;
    /** Not in the spec, read by the daemon: ulimits of RUN steps. */
    ulimits: readonly BuildUlimit[];
    /** Not in the spec, read by the daemon: the id `POST /build/cancel` refers to. */
    buildid: string;
    /** Not in the spec, read by the daemon: the BuildKit session (`POST /session`) serving the build. */
    session: string;
  };
  /** `POST /build/prune`. */
  BuildPrune: {
    /** Gone from the v1.56 spec (renamed `reserved-space` in v1.48); engines before 1.48 know only this name. */
    'keep-storage': number;
  };
  /** `POST /build/cancel`: undocumented, not in the spec at all. */
  BuildCancel: {
    /** The `buildid` the build was started with. */
    id: string;
  };
  /** `POST /images/create`. */
  ImageCreate: {
    /** The spec says a string; an import uploads the root filesystem tarball as bytes. */
    body: BinaryData;
  };
  /** `POST /images/{name}/push`. */
  ImagePush: {
    /** The spec has no body; the daemon wants one, and `{}` is what the CLI sends. */
    body: Readonly<Record<string, never>>;
  };
  /** `GET /images/search`. */
  ImageSearch: {
    /** Not in the spec: the daemon forwards these credentials to the searched registry (`X-Registry-Auth`). */
    authConfig: RegistryAuthConfig;
  };
  /** `GET /distribution/{name}/json`. */
  DistributionInspect: {
    /** Not in the spec: the daemon uses these credentials to reach the registry (`X-Registry-Auth`). */
    authConfig: RegistryAuthConfig;
  };
  /** `POST /auth`. */
  SystemAuth: {
    /** The spec's `AuthConfig` lists three fields; the daemon reads all of {@link RegistryAuthConfig}. */
    authConfig: RegistryAuthConfig;
  };
}

/**
 * Reply types that correct the Engine API spec, by operation id: what `json()` of a successful
 * reply resolves to where the spec's success response is wrong or missing.
 *
 * @example
 * ```ts
 * const reply: SpecReplyCorrections['BuildCancel'] = undefined;
 * ```
 */
export interface SpecReplyCorrections {
  /** The spec documents an empty reply; the daemon streams progress messages (read them with `toJsonMessageStream`). */
  ImagePush: unknown;
  /** Not in the spec: an empty reply. */
  BuildCancel: undefined;
}
