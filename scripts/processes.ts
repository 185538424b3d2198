/** Starting and stopping the project's TypeScript entry points as child processes. */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../subgraphs/common/config.js';

/** Runs `entry` (a path from the repository root) with tsx, from the repository root. */
export function spawnEntry(
  entry: string,
  options: { args?: string[]; nodeArgs?: string[]; env?: NodeJS.ProcessEnv; stdio?: StdioOptions } = {},
): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(REPO_ROOT, entry), ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    // A parent's NODE_OPTIONS (jest's --experimental-vm-modules) is not the child's business.
    env: { ...(options.env ?? process.env), NODE_OPTIONS: '' },
    stdio: options.stdio ?? 'inherit',
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
  });
}
