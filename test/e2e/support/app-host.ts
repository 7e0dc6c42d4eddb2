import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HostProcess {
  /** `origin/#token=…`: a reusable address for tests that open many pages (built from the launch). */
  url: string;
  /** The one-time address the host printed; spent already unless `keepLaunch` was asked for. */
  launchUrl: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the real app in browser mode (`sonofuse start --browser --no-open`) as a child process,
 * exactly as a user would, and resolves once it prints its URL.
 */
export const startAppHost = async (
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
  options: { keepLaunch?: boolean } = {},
): Promise<HostProcess> => {
  // Every host gets its own data folder unless the test chooses one: never the user's catalog.
  const dataDir = env.SONOFUSE_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'sonofuse-e2e-data-'));
  const child = spawn(
    process.execPath,
    ['main/cli/bin.mjs', 'start', '--browser', '--no-open', ...extraArgs],
    {
      env: { ...process.env, ...env, SONOFUSE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /SonoFuse browser mode: (http:\/\/127\.0\.0\.1:\d+\/#launch=[0-9a-f]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`host exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  // Trade the printed one-time code for the token as the page would, so tests can open many pages.
  let token = '';
  if (!options.keepLaunch) {
    const response = await fetch(`${parsed.origin}/session`, {
      method: 'POST',
      headers: { Origin: parsed.origin, 'x-sonofuse-launch': parsed.hash.replace('#launch=', '') },
    });
    token = ((await response.json()) as { value: { token: string } }).value.token;
  }
  return {
    url: `${parsed.origin}/#token=${token}`,
    launchUrl: url,
    origin: parsed.origin,
    token,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
};
