#!/usr/bin/env node
// berth-images: a docker-style images CLI on @berth/docker. The engine is chosen like the docker
// CLI chooses it (-H, --context, DOCKER_HOST, DOCKER_CONTEXT, the current context, the default
// socket). Ctrl-C aborts the running operation: the engine cancels it, nothing is left behind, and
// the process ends by itself once every connection is closed (exit code 130); a second Ctrl-C
// exits at once.
import { runCli } from './cli/run-cli.js';
import { interruptedExitCode } from './cli/cli-error.js';
import { commands } from './commands/index.js';

const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(interruptedExitCode);
  interrupt.abort();
});

process.exitCode = await runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, environment: process.env, cwd: process.cwd(), signal: interrupt.signal },
  commands,
);
// stdin is only read by some commands; an unread terminal stdin must not keep the process alive.
process.stdin.unref?.();
