// The every-transport suites' user: the ways to reach the harness engine as the variables a user
// would export (Unix socket, TCP with mutual TLS, SSH), and a Docker made from nothing else.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestEngine } from '@berth/test-engine';
import { createDocker, type Docker } from '../../src/create-docker.js';
import type { SshHarness, TlsHarness } from './harness-extras.js';

export type Environment = Record<string, string>;

/** How to reach the harness engine through one transport: the variables a user would export. */
export interface TransportCase {
  readonly name: string;
  readonly available: boolean;
  readonly kind: 'unix' | 'tcp' | 'ssh';
  /** DOCKER_HOST and friends; `home` is the user's home folder (for ~/.ssh). */
  environment(home: string): Promise<Environment>;
}

/** The three transports; one is `available` when its part of the harness runs. */
export function everyTransport(
  engine: TestEngine | undefined,
  tlsHarness: TlsHarness | undefined,
  sshHarness: SshHarness | undefined,
): readonly TransportCase[] {
  return [
    {
      name: 'the Unix socket',
      available: engine !== undefined,
      kind: 'unix',
      environment: async () => ({ DOCKER_HOST: engine!.dockerHost }),
    },
    {
      name: 'TCP with mutual TLS',
      available: tlsHarness !== undefined,
      kind: 'tcp',
      environment: async () => ({
        DOCKER_HOST: tlsHarness!.host,
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: tlsHarness!.certificates,
      }),
    },
    {
      name: 'SSH',
      available: sshHarness !== undefined,
      kind: 'ssh',
      environment: async (home) => {
        // The user's ~/.ssh/config names the key and known_hosts, as it would on a workstation.
        await mkdir(join(home, '.ssh'), { recursive: true });
        await writeFile(
          join(home, '.ssh', 'config'),
          `Host 127.0.0.1\n  IdentityFile ${sshHarness!.identity}\n  UserKnownHostsFile ${sshHarness!.knownHosts}\n`,
        );
        return { DOCKER_HOST: `${sshHarness!.host}${engine!.socketPath}` };
      },
    },
  ];
}

/** Runs `use` with a Docker made from `environment` alone, and closes it. */
export async function withDocker<T>(environment: Environment, use: (docker: Docker) => Promise<T>): Promise<T> {
  const docker = await createDocker({ environment });
  try {
    return await use(docker);
  } finally {
    await docker.close();
  }
}
