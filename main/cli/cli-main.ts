import { readVersion } from '../runtime/package-info';
import { processIo, UsageError, type CliCommand, type CliIo } from './command';
import { assistSimCommand } from './commands/assist-sim-command';
import { augmentPreviewCommand } from './commands/augment-preview-command';
import { benchCommand } from './commands/bench-command';
import { catalogCommand } from './commands/catalog-command';
import { demoCommand } from './commands/demo-command';
import { importCommand } from './commands/import-command';
import { infoCommand } from './commands/info-command';
import { runCommand } from './commands/run-command';
import { exportModelCommand, predictCommand } from './commands/predict-command';
import { startCommand } from './commands/start-command';

/** Every subcommand, in the order `sonofuse --help` lists them. Later issues add theirs here. */
export const cliCommands: CliCommand[] = [
  startCommand,
  infoCommand,
  demoCommand,
  importCommand,
  catalogCommand,
  runCommand,
  predictCommand,
  exportModelCommand,
  augmentPreviewCommand,
  assistSimCommand,
  benchCommand,
];

const help = (): string =>
  [
    'SonoFuse: offline fetal-ultrasound labeling and two-stage image+note fusion training.',
    '',
    'Usage: sonofuse <command> [options]',
    '',
    ...cliCommands.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`),
    '',
    '  --version        print the version',
    '  --help           this text; `sonofuse <command> --help` for a command',
  ].join('\n');

/** Runs the CLI and resolves to the exit code (never calls process.exit, so tests can call it). */
export const runCli = async (argv: string[], io: CliIo = processIo()): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.out(readVersion());
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  const command = cliCommands.find((c) => c.name === name);
  if (!command) {
    io.err(`sonofuse: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')) {
      io.err(`sonofuse ${command.name}: ${(error as Error).message}\nUsage: ${command.usage}`);
      return 2;
    }
    io.err(`sonofuse ${command.name}: ${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
};
