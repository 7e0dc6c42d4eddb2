import type { CliIo } from '../../main/cli/command';

/** A CliIo that records what a command prints. */
export const captureIo = (): CliIo & { stdout: string[]; stderr: string[] } => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, isTty: false, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
};
