import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints a snippet as if it lived at `filePath`, and returns the rule ids that fired. */
const rulesFired = async (filePath: string, code: string): Promise<string[]> => {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
};

describe('layer rules (eslint.config.js)', () => {
  it.each([
    [
      'shared/ imports Node',
      'shared/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
    ],
    [
      'shared/ imports main/',
      'shared/x.ts',
      "import { createLogger } from '../main/services/logger';\nexport const a = createLogger;\n",
    ],
    ['shared/ imports electron', 'shared/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'renderer/ imports main/',
      'renderer/x.ts',
      "import { createLogger } from '../main/services/logger';\nexport const a = createLogger;\n",
    ],
    ['renderer/ imports Node', 'renderer/x.ts', "import { join } from 'path';\nexport const a = join;\n"],
    [
      'a main/ service imports electron',
      'main/services/x.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    ],
    [
      'main/ imports the renderer',
      'main/app/x.ts',
      "import { App } from '../../renderer/app';\nexport const a = App;\n",
    ],
  ])(
    'refuses: %s',
    async (_what, file, code) => {
      expect(await rulesFired(file, code)).toContain('no-restricted-imports');
    },
    30_000,
  );

  it.each([
    ['shared/ uses zod', 'shared/x.ts', "import { z } from 'zod';\nexport const a = z.string();\n"],
    [
      'main/app imports electron',
      'main/app/x.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    ],
    [
      'main/ipc imports electron',
      'main/ipc/x.ts',
      "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n",
    ],
    [
      'renderer/ imports shared/',
      'renderer/x.ts',
      "import { calls } from '../shared/contract/index';\nexport const a = calls;\n",
    ],
  ])(
    'allows: %s',
    async (_what, file, code) => {
      expect(await rulesFired(file, code)).not.toContain('no-restricted-imports');
    },
    30_000,
  );

  it('refuses Node and DOM globals in shared/', async () => {
    expect(await rulesFired('shared/x.ts', 'export const a = process.env;\n')).toContain(
      'no-restricted-globals',
    );
    expect(await rulesFired('shared/x.ts', 'export const a = window.location;\n')).toContain(
      'no-restricted-globals',
    );
  });

  describe('per-folder layers inside main/ (imports run downwards)', () => {
    const imp = (spec: string) => `import { x } from '${spec}';\nexport const a = x;\n`;
    it.each([
      ['the engine imports a run service', 'main/engine/x.ts', imp('../runs/run-service')],
      [
        'a deeper engine file imports the catalog',
        'main/engine/train/x.ts',
        imp('../../catalog/catalog-service'),
      ],
      ['the catalog imports the contract server', 'main/catalog/x.ts', imp('../contract-server/dispatcher')],
      ['a run file imports the contract server', 'main/runs/x.ts', imp('../contract-server/dispatcher')],
      ['core imports the catalog', 'main/core/x.ts', imp('../catalog/catalog-db')],
      ['the contract server imports the host', 'main/contract-server/x.ts', imp('../host/http-host')],
      ['security imports the engine', 'main/security/x.ts', imp('../engine/train/fit-loop')],
    ])(
      'refuses: %s',
      async (_what, file, code) => {
        expect(await rulesFired(file, code)).toContain('no-restricted-imports');
      },
      30_000,
    );
    it.each([
      ['a run file imports the fit loop', 'main/runs/x.ts', imp('../engine/train/fit-loop')],
      [
        'the engine imports shared/augment (a name like a domain folder)',
        'main/engine/train/x.ts',
        imp('../../../shared/augment/augment-config'),
      ],
      ['the contract server imports a run service', 'main/contract-server/x.ts', imp('../runs/run-service')],
      ['the catalog imports the logger', 'main/catalog/x.ts', imp('../core/logger')],
      [
        'the trainer entry imports the two-stage job',
        'main/trainer-process/x.ts',
        imp('../runs/two-stage-job'),
      ],
    ])(
      'allows: %s',
      async (_what, file, code) => {
        expect(await rulesFired(file, code)).not.toContain('no-restricted-imports');
      },
      30_000,
    );
  });
});
