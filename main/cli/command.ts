/** Streams a command writes to; injected so tests can capture output without spawning. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTty: boolean;
}

/** One `sonofuse <name>` subcommand. `run` resolves to the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad command-line usage: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const processIo = (): CliIo => ({
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: Boolean(process.stdout.isTTY),
});
