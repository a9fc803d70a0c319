import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEndpoint, type ResolveEndpointOptions } from '../../src/resolution/resolve-endpoint.js';
import type { ResolvedEndpoint } from '../../src/resolution/resolved-endpoint.js';
// sha256Hex is computed independently of the code under test (node's crypto on the name).
import { makeTemporaryDirectory, sha256Hex as sha, writeConfigDirectory } from '../helpers/docker-config-fixture.js';

// Config directories written once for the whole table.
interface Paths {
  root: string;
  /** Contexts of every kind, currentContext "unix-context", ca/cert/key at its root. */
  main: string;
  /** Nothing at all. */
  bare: string;
  /** currentContext "default". */
  currentDefault: string;
  /** currentContext names a context that does not exist. */
  currentMissing: string;
  /** config.json is not JSON. */
  brokenConfig: string;
  /** $HOME/.docker: currentContext "home-context". */
  homeDocker: string;
  home: string;
  /** DOCKER_CERT_PATH folders. */
  certsFull: string;
  certsCaOnly: string;
  /** cert.pem and key.pem, no ca.pem. */
  certsClientOnly: string;
  certsEmpty: string;
}

let paths: Paths;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const temporary = await makeTemporaryDirectory('resolve');
  cleanup = temporary.remove;
  const root = temporary.path;
  paths = {
    root,
    main: join(root, 'main'),
    bare: join(root, 'bare'),
    currentDefault: join(root, 'current-default'),
    currentMissing: join(root, 'current-missing'),
    brokenConfig: join(root, 'broken-config'),
    home: join(root, 'home'),
    homeDocker: join(root, 'home', '.docker'),
    certsFull: join(root, 'certs-full'),
    certsCaOnly: join(root, 'certs-ca-only'),
    certsClientOnly: join(root, 'certs-client-only'),
    certsEmpty: join(root, 'certs-empty'),
  };
  await writeConfigDirectory(paths.main, {
    currentContext: 'unix-context',
    rootTlsFiles: ['ca.pem', 'cert.pem', 'key.pem'],
    contexts: {
      'unix-context': { host: 'unix:///tmp/context.sock' },
      'remote-tls': { host: 'tcp://10.0.0.5:2376', tlsFiles: ['ca.pem', 'cert.pem', 'key.pem'] },
      'skip-verify': { host: 'tcp://10.0.0.6', skipTlsVerify: true },
      'plain-tcp': { host: 'tcp://10.0.0.7' },
      'ca-only': { host: 'tcp://10.0.0.8', tlsFiles: ['ca.pem'] },
      'cert-without-key': { host: 'tcp://10.0.0.9:2376', tlsFiles: ['cert.pem'] },
      'ssh-box': { host: 'ssh://me@box:2222/run/docker.sock' },
      'empty-host': { host: '' },
      'no-host-field': {},
      'no-docker-endpoint': { rawMeta: JSON.stringify({ Name: 'no-docker-endpoint', Endpoints: {} }) },
      'broken-meta': { rawMeta: '{"Name": "broken-meta", ' },
      'bad-host': { host: 'bogus://somewhere' },
      'unicode ☃': { host: 'tcp://10.0.0.10:2375' },
    },
  });
  await writeConfigDirectory(paths.bare, {});
  await writeConfigDirectory(paths.currentDefault, { currentContext: 'default' });
  await writeConfigDirectory(paths.currentMissing, { currentContext: 'gone' });
  await writeConfigDirectory(paths.brokenConfig, { rawConfig: '{"currentContext": ' });
  await writeConfigDirectory(paths.homeDocker, {
    currentContext: 'home-context',
    contexts: { 'home-context': { host: 'unix:///tmp/home.sock' } },
  });
  await writeConfigDirectory(paths.certsFull, { rootTlsFiles: ['ca.pem', 'cert.pem', 'key.pem'] });
  await writeConfigDirectory(paths.certsCaOnly, { rootTlsFiles: ['ca.pem'] });
  await writeConfigDirectory(paths.certsClientOnly, { rootTlsFiles: ['cert.pem', 'key.pem'] });
  await writeConfigDirectory(paths.certsEmpty, {});
});

afterAll(async () => {
  await cleanup();
});

type ConfigName = 'main' | 'bare' | 'currentDefault' | 'currentMissing' | 'brokenConfig' | 'none';
type Expected = ResolvedEndpoint | { error: RegExp; argument?: string };

interface Row {
  name: string;
  /** Which directory DOCKER_CONFIG points at ('none': unset, so $HOME/.docker). */
  config: ConfigName;
  environment?: (p: Paths) => Record<string, string>;
  options?: (p: Paths) => Omit<ResolveEndpointOptions, 'environment'>;
  expected: (p: Paths) => Expected;
}

const defaultSocket = { kind: 'unix', socketPath: '/var/run/docker.sock', dockerHost: 'unix:///var/run/docker.sock' } as const;
const tlsFrom = (directory: string, verify: boolean) => ({
  verify,
  caFile: join(directory, 'ca.pem'),
  certificateFile: join(directory, 'cert.pem'),
  keyFile: join(directory, 'key.pem'),
});
const contextTls = (p: Paths, name: string) => join(p.main, 'contexts', 'tls', sha(name), 'docker');

const rows: Row[] = [
  // --- the order of the rules ---------------------------------------------------------------
  {
    name: 'nothing configured: the default socket',
    config: 'bare',
    expected: () => ({ ...defaultSocket, source: 'default', context: 'default' }),
  },
  {
    name: 'DOCKER_HOST unix socket',
    config: 'bare',
    environment: () => ({ DOCKER_HOST: 'unix:///tmp/a.sock' }),
    expected: () => ({ kind: 'unix', socketPath: '/tmp/a.sock', dockerHost: 'unix:///tmp/a.sock', source: 'DOCKER_HOST', context: 'default' }),
  },
  {
    name: 'DOCKER_HOST beats DOCKER_CONTEXT',
    config: 'main',
    environment: () => ({ DOCKER_HOST: 'tcp://10.1.1.1:2375', DOCKER_CONTEXT: 'ssh-box' }),
    expected: () => ({ kind: 'tcp', host: '10.1.1.1', port: 2375, dockerHost: 'tcp://10.1.1.1:2375', source: 'DOCKER_HOST', context: 'default' }),
  },
  {
    name: 'DOCKER_HOST beats currentContext',
    config: 'main',
    environment: () => ({ DOCKER_HOST: 'unix:///tmp/env.sock' }),
    expected: () => ({ kind: 'unix', socketPath: '/tmp/env.sock', dockerHost: 'unix:///tmp/env.sock', source: 'DOCKER_HOST', context: 'default' }),
  },
  {
    name: 'DOCKER_HOST of white space only still wins, as the default socket (the CLI tests non-empty)',
    config: 'main',
    environment: () => ({ DOCKER_HOST: '   ', DOCKER_CONTEXT: 'ssh-box' }),
    expected: () => ({ ...defaultSocket, source: 'DOCKER_HOST', context: 'default' }),
  },
  {
    name: 'DOCKER_CONTEXT beats currentContext',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'ssh-box' }),
    expected: () => ({
      kind: 'ssh',
      url: 'ssh://me@box:2222/run/docker.sock',
      user: 'me',
      host: 'box',
      port: 2222,
      socketPath: '/run/docker.sock',
      dockerHost: 'ssh://me@box:2222/run/docker.sock',
      source: 'DOCKER_CONTEXT',
      context: 'ssh-box',
    }),
  },
  {
    name: 'currentContext of config.json',
    config: 'main',
    expected: () => ({
      kind: 'unix',
      socketPath: '/tmp/context.sock',
      dockerHost: 'unix:///tmp/context.sock',
      source: 'config currentContext',
      context: 'unix-context',
    }),
  },
  {
    name: 'currentContext "default" is the default socket',
    config: 'currentDefault',
    expected: () => ({ ...defaultSocket, source: 'config currentContext', context: 'default' }),
  },
  {
    name: 'DOCKER_CONTEXT=default is the default socket even with currentContext set',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'default' }),
    expected: () => ({ ...defaultSocket, source: 'DOCKER_CONTEXT', context: 'default' }),
  },
  {
    name: 'host option beats DOCKER_HOST and DOCKER_CONTEXT',
    config: 'main',
    environment: () => ({ DOCKER_HOST: 'unix:///tmp/env.sock', DOCKER_CONTEXT: 'ssh-box' }),
    options: () => ({ host: 'tcp://option-host:1234' }),
    expected: () => ({ kind: 'tcp', host: 'option-host', port: 1234, dockerHost: 'tcp://option-host:1234', source: 'option', context: 'default' }),
  },
  {
    name: 'context option beats DOCKER_HOST',
    config: 'main',
    environment: () => ({ DOCKER_HOST: 'unix:///tmp/env.sock' }),
    options: () => ({ context: 'plain-tcp' }),
    expected: () => ({ kind: 'tcp', host: '10.0.0.7', port: 2375, dockerHost: 'tcp://10.0.0.7:2375', source: 'option', context: 'plain-tcp' }),
  },
  {
    name: 'context option "default" takes DOCKER_HOST, as --context default does',
    config: 'main',
    environment: () => ({ DOCKER_HOST: 'unix:///tmp/env.sock' }),
    options: () => ({ context: 'default' }),
    expected: () => ({ kind: 'unix', socketPath: '/tmp/env.sock', dockerHost: 'unix:///tmp/env.sock', source: 'DOCKER_HOST', context: 'default' }),
  },
  {
    name: 'context option "default" without DOCKER_HOST ignores currentContext',
    config: 'main',
    options: () => ({ context: 'default' }),
    expected: () => ({ ...defaultSocket, source: 'option', context: 'default' }),
  },
  {
    name: 'host and context options together are refused',
    config: 'main',
    options: () => ({ host: 'unix:///tmp/x.sock', context: 'plain-tcp' }),
    expected: () => ({ error: /either host or context/, argument: 'context' }),
  },
  {
    name: 'blank options count as not given',
    config: 'bare',
    environment: () => ({ DOCKER_HOST: 'unix:///tmp/env.sock' }),
    options: () => ({ host: '  ', context: '' }),
    expected: () => ({ kind: 'unix', socketPath: '/tmp/env.sock', dockerHost: 'unix:///tmp/env.sock', source: 'DOCKER_HOST', context: 'default' }),
  },
  // --- missing or broken contexts ---------------------------------------------------------------
  {
    name: 'missing DOCKER_CONTEXT names the context and the variable',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'gone' }),
    expected: () => ({ error: /Docker context "gone" does not exist[\s\S]*Chosen by: DOCKER_CONTEXT/, argument: 'DOCKER_CONTEXT' }),
  },
  {
    name: 'missing currentContext names the context and config.json',
    config: 'currentMissing',
    expected: () => ({ error: /Docker context "gone" does not exist[\s\S]*Chosen by: currentContext/, argument: 'currentContext' }),
  },
  {
    name: 'missing context option',
    config: 'main',
    options: () => ({ context: 'nowhere' }),
    expected: () => ({ error: /Docker context "nowhere" does not exist/, argument: 'context' }),
  },
  {
    name: 'context without a docker endpoint',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'no-docker-endpoint' }),
    expected: () => ({ error: /"no-docker-endpoint" has no docker endpoint/, argument: 'DOCKER_CONTEXT' }),
  },
  {
    name: 'context whose meta.json is not JSON',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'broken-meta' }),
    expected: () => ({ error: /"broken-meta" has a meta.json that is not JSON/ }),
  },
  {
    name: 'context with a malformed Host names the context',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'bad-host' }),
    expected: () => ({ error: /Host of Docker context "bad-host" "bogus:\/\/somewhere" has an unsupported scheme/ }),
  },
  {
    name: 'context with an empty Host uses the default socket',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'empty-host' }),
    expected: () => ({ ...defaultSocket, source: 'DOCKER_CONTEXT', context: 'empty-host' }),
  },
  {
    name: 'context without a Host field uses the default socket',
    config: 'main',
    options: () => ({ context: 'no-host-field' }),
    expected: () => ({ ...defaultSocket, source: 'option', context: 'no-host-field' }),
  },
  {
    name: 'context names are hashed as UTF-8',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'unicode ☃' }),
    expected: () => ({ kind: 'tcp', host: '10.0.0.10', port: 2375, dockerHost: 'tcp://10.0.0.10:2375', source: 'DOCKER_CONTEXT', context: 'unicode ☃' }),
  },
  {
    name: 'config.json that is not JSON is an error when it must be read',
    config: 'brokenConfig',
    expected: (p) => ({ error: new RegExp(`${escape(join(p.brokenConfig, 'config.json'))} is not valid JSON`), argument: 'DOCKER_CONFIG' }),
  },
  {
    name: 'config.json that is not JSON is not read when DOCKER_HOST decides',
    config: 'brokenConfig',
    environment: () => ({ DOCKER_HOST: 'tcp://h:1' }),
    expected: () => ({ kind: 'tcp', host: 'h', port: 1, dockerHost: 'tcp://h:1', source: 'DOCKER_HOST', context: 'default' }),
  },
  // --- TLS of contexts ----------------------------------------------------------------------
  {
    name: 'context with CA, cert and key verifies and presents the certificate',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'remote-tls' }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.0.0.5',
      port: 2376,
      tls: tlsFrom(contextTls(p, 'remote-tls'), true),
      dockerHost: 'tcp://10.0.0.5:2376',
      source: 'DOCKER_CONTEXT',
      context: 'remote-tls',
    }),
  },
  {
    name: 'context with SkipTLSVerify and no files: TLS without verification on port 2376',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'skip-verify' }),
    expected: () => ({
      kind: 'tcp',
      host: '10.0.0.6',
      port: 2376,
      tls: { verify: false },
      dockerHost: 'tcp://10.0.0.6:2376',
      source: 'DOCKER_CONTEXT',
      context: 'skip-verify',
    }),
  },
  {
    name: 'context with only a CA: verified TLS, no client certificate, port 2376',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'ca-only' }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.0.0.8',
      port: 2376,
      tls: { verify: true, caFile: join(contextTls(p, 'ca-only'), 'ca.pem') },
      dockerHost: 'tcp://10.0.0.8:2376',
      source: 'DOCKER_CONTEXT',
      context: 'ca-only',
    }),
  },
  {
    name: 'context with a cert but no key: TLS on, no client certificate',
    config: 'main',
    environment: () => ({ DOCKER_CONTEXT: 'cert-without-key' }),
    expected: () => ({
      kind: 'tcp',
      host: '10.0.0.9',
      port: 2376,
      tls: { verify: true },
      dockerHost: 'tcp://10.0.0.9:2376',
      source: 'DOCKER_CONTEXT',
      context: 'cert-without-key',
    }),
  },
  {
    name: 'a stored context ignores the TLS variables',
    config: 'main',
    environment: (p) => ({ DOCKER_CONTEXT: 'plain-tcp', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.certsFull }),
    expected: () => ({ kind: 'tcp', host: '10.0.0.7', port: 2375, dockerHost: 'tcp://10.0.0.7:2375', source: 'DOCKER_CONTEXT', context: 'plain-tcp' }),
  },
  // --- TLS variables of the default context --------------------------------------------------
  {
    name: 'DOCKER_TLS_VERIFY=1: verified TLS, default port 2376, files from DOCKER_CERT_PATH',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.certsFull }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.1.1.1',
      port: 2376,
      tls: tlsFrom(p.certsFull, true),
      dockerHost: 'tcp://10.1.1.1:2376',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
  {
    name: 'DOCKER_TLS_VERIFY=0 still means TLS WITH verification',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS_VERIFY: '0', DOCKER_CERT_PATH: p.certsFull }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.1.1.1',
      port: 2376,
      tls: tlsFrom(p.certsFull, true),
      dockerHost: 'tcp://10.1.1.1:2376',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
  {
    name: 'DOCKER_TLS=1 alone: TLS without verification, the client certificate but not the CA (the CLI reads it only to verify)',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS: '1', DOCKER_CERT_PATH: p.certsFull }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.1.1.1',
      port: 2376,
      tls: { verify: false, certificateFile: join(p.certsFull, 'cert.pem'), keyFile: join(p.certsFull, 'key.pem') },
      dockerHost: 'tcp://10.1.1.1:2376',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
  {
    name: 'regression: DOCKER_TLS without verification does not require ca.pem',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS: '1', DOCKER_CERT_PATH: p.certsEmpty }),
    expected: () => ({
      kind: 'tcp',
      host: '10.1.1.1',
      port: 2376,
      tls: { verify: false },
      dockerHost: 'tcp://10.1.1.1:2376',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
  {
    name: 'regression: DOCKER_TLS without verification still presents cert.pem and key.pem when there is no ca.pem',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS: '1', DOCKER_CERT_PATH: p.certsClientOnly }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.1.1.1',
      port: 2376,
      tls: { verify: false, certificateFile: join(p.certsClientOnly, 'cert.pem'), keyFile: join(p.certsClientOnly, 'key.pem') },
      dockerHost: 'tcp://10.1.1.1:2376',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
  {
    name: 'DOCKER_TLS_VERIFY with only cert.pem and key.pem is refused: verification needs ca.pem',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.certsClientOnly }),
    expected: (p) => ({ error: new RegExp(`CA certificate ${escape(join(p.certsClientOnly, 'ca.pem'))} does not exist`), argument: 'DOCKER_CERT_PATH' }),
  },
  {
    name: 'DOCKER_TLS and DOCKER_TLS_VERIFY together: verification wins',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS: '1', DOCKER_TLS_VERIFY: 'yes', DOCKER_CERT_PATH: p.certsFull }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.1.1.1',
      port: 2376,
      tls: tlsFrom(p.certsFull, true),
      dockerHost: 'tcp://10.1.1.1:2376',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
  {
    name: 'empty DOCKER_TLS_VERIFY and DOCKER_TLS mean no TLS',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1', DOCKER_TLS_VERIFY: '', DOCKER_TLS: '', DOCKER_CERT_PATH: p.certsFull }),
    expected: () => ({ kind: 'tcp', host: '10.1.1.1', port: 2375, dockerHost: 'tcp://10.1.1.1:2375', source: 'DOCKER_HOST', context: 'default' }),
  },
  {
    name: 'DOCKER_CERT_PATH defaults to the config directory',
    config: 'main',
    environment: () => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS_VERIFY: '1' }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.1.1.1',
      port: 2376,
      tls: tlsFrom(p.main, true),
      dockerHost: 'tcp://10.1.1.1:2376',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
  {
    name: 'empty DOCKER_CERT_PATH also means the config directory',
    config: 'main',
    environment: () => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '' }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.1.1.1',
      port: 2376,
      tls: tlsFrom(p.main, true),
      dockerHost: 'tcp://10.1.1.1:2376',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
  {
    name: 'cert path with only ca.pem: no client certificate',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.certsCaOnly }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.1.1.1',
      port: 2376,
      tls: { verify: true, caFile: join(p.certsCaOnly, 'ca.pem') },
      dockerHost: 'tcp://10.1.1.1:2376',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
  {
    name: 'cert path without ca.pem is refused, naming the file',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'tcp://10.1.1.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.certsEmpty }),
    expected: (p) => ({ error: new RegExp(`CA certificate ${escape(join(p.certsEmpty, 'ca.pem'))} does not exist`), argument: 'DOCKER_CERT_PATH' }),
  },
  {
    name: 'TLS on and no host at all: tcp://localhost:2376, as the CLI',
    config: 'bare',
    environment: (p) => ({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.certsFull }),
    expected: (p) => ({
      kind: 'tcp',
      host: 'localhost',
      port: 2376,
      tls: tlsFrom(p.certsFull, true),
      dockerHost: 'tcp://localhost:2376',
      source: 'default',
      context: 'default',
    }),
  },
  {
    name: 'DOCKER_CONTEXT=default with TLS on: tcp://localhost:2376',
    config: 'main',
    environment: (p) => ({ DOCKER_CONTEXT: 'default', DOCKER_TLS: '1', DOCKER_CERT_PATH: p.certsCaOnly }),
    expected: (p) => ({
      kind: 'tcp',
      host: 'localhost',
      port: 2376,
      tls: { verify: false },
      dockerHost: 'tcp://localhost:2376',
      source: 'DOCKER_CONTEXT',
      context: 'default',
    }),
  },
  {
    name: 'TLS variables do not apply to a Unix socket (and need no files)',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'unix:///tmp/a.sock', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.certsEmpty }),
    expected: () => ({ kind: 'unix', socketPath: '/tmp/a.sock', dockerHost: 'unix:///tmp/a.sock', source: 'DOCKER_HOST', context: 'default' }),
  },
  {
    name: 'TLS variables do not apply to SSH',
    config: 'bare',
    environment: (p) => ({ DOCKER_HOST: 'ssh://box', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.certsFull }),
    expected: () => ({ kind: 'ssh', url: 'ssh://box', host: 'box', dockerHost: 'ssh://box', source: 'DOCKER_HOST', context: 'default' }),
  },
  {
    name: 'TLS variables apply to the host option too',
    config: 'bare',
    environment: (p) => ({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.certsFull }),
    options: () => ({ host: '10.2.2.2' }),
    expected: (p) => ({
      kind: 'tcp',
      host: '10.2.2.2',
      port: 2376,
      tls: tlsFrom(p.certsFull, true),
      dockerHost: 'tcp://10.2.2.2:2376',
      source: 'option',
      context: 'default',
    }),
  },
  // --- other variables -------------------------------------------------------------------------
  {
    name: 'DOCKER_API_VERSION is passed on',
    config: 'bare',
    environment: () => ({ DOCKER_API_VERSION: '1.41' }),
    expected: () => ({ ...defaultSocket, source: 'default', context: 'default', apiVersion: '1.41' }),
  },
  {
    name: 'a malformed DOCKER_API_VERSION is refused',
    config: 'bare',
    environment: () => ({ DOCKER_API_VERSION: 'latest' }),
    expected: () => ({ error: /DOCKER_API_VERSION must look like "1.45"/, argument: 'DOCKER_API_VERSION' }),
  },
  {
    name: 'without DOCKER_CONFIG the config directory is $HOME/.docker',
    config: 'none',
    environment: (p) => ({ HOME: p.home }),
    expected: () => ({
      kind: 'unix',
      socketPath: '/tmp/home.sock',
      dockerHost: 'unix:///tmp/home.sock',
      source: 'config currentContext',
      context: 'home-context',
    }),
  },
  {
    name: 'the configDirectory option beats DOCKER_CONFIG',
    config: 'bare',
    options: (p) => ({ configDirectory: p.main }),
    expected: () => ({
      kind: 'unix',
      socketPath: '/tmp/context.sock',
      dockerHost: 'unix:///tmp/context.sock',
      source: 'config currentContext',
      context: 'unix-context',
    }),
  },
  {
    name: 'a malformed DOCKER_HOST is refused, naming the variable',
    config: 'bare',
    environment: () => ({ DOCKER_HOST: 'tcp://10.1.1.1:99999' }),
    expected: () => ({ error: /DOCKER_HOST "tcp:\/\/10.1.1.1:99999" has an invalid port/, argument: 'DOCKER_HOST' }),
  },
  {
    name: 'a malformed host option is refused, naming the option',
    config: 'bare',
    options: () => ({ host: 'fd://' }),
    expected: () => ({ error: /host "fd:\/\/" is a socket-activation address/, argument: 'host' }),
  },
  {
    name: 'npipe DOCKER_HOST resolves (refused later, when a transport is built)',
    config: 'bare',
    environment: () => ({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' }),
    expected: () => ({
      kind: 'npipe',
      pipePath: '//./pipe/docker_engine',
      dockerHost: 'npipe:////./pipe/docker_engine',
      source: 'DOCKER_HOST',
      context: 'default',
    }),
  },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('resolveEndpoint: the docker CLI order over a table of environments and contexts', () => {
  it('has at least 30 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const environment: Record<string, string> = { HOME: join(paths.root, 'no-home') };
    if (row.config !== 'none') environment['DOCKER_CONFIG'] = paths[row.config];
    Object.assign(environment, row.environment?.(paths));
    const expected = row.expected(paths);
    const attempt = resolveEndpoint({ ...row.options?.(paths), environment });
    if ('error' in expected) {
      const error = await attempt.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(expected.error);
      if (expected.argument !== undefined) expect((error as InvalidArgumentError).argument).toBe(expected.argument);
    } else {
      expect(await attempt).toStrictEqual(expected);
    }
  });
});

describe('resolveEndpoint defaults', () => {
  it('reads process.env when no environment is given', async () => {
    const saved = { host: process.env['DOCKER_HOST'], version: process.env['DOCKER_API_VERSION'] };
    process.env['DOCKER_HOST'] = 'tcp://from-process-env:4242';
    delete process.env['DOCKER_API_VERSION'];
    try {
      const endpoint = await resolveEndpoint();
      expect(endpoint).toMatchObject({ kind: 'tcp', host: 'from-process-env', port: 4242, source: 'DOCKER_HOST' });
    } finally {
      if (saved.host === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved.host;
      if (saved.version !== undefined) process.env['DOCKER_API_VERSION'] = saved.version;
    }
  });
});
