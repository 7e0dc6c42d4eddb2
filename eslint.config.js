// Layer rules (see ../shared/docs/house-style.md §1), enforced here rather than described in prose:
//  - shared/   imports nothing from main/, renderer/, Node, the DOM's runtime or electron
//  - renderer/ imports only shared/ (plus React); never main/, Node or electron
//  - main/     never imports renderer/; only main/app and main/ipc may import electron
//  - inside main/, imports run downwards only (MAIN_LAYERS below): entry points (app, ipc, host,
//    cli, trainer-process) → contract-server (adapters, wiring) → domain services (catalog, runs,
//    augment, demo, report, services) → engine → low-level (security, runtime) → core (logger,
//    job registry)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'Only main/app and main/ipc may import electron.' };
const noRenderer = { group: ['**/renderer/**'], message: 'main/ never imports the renderer.' };

const ENTRY = ['app', 'ipc', 'host', 'cli', 'trainer-process'];
const ADAPTERS = ['contract-server'];
const DOMAIN = ['catalog', 'catalog-store', 'runs', 'augment', 'demo', 'report', 'services'];
const ENGINE = ['engine'];
const LOW = ['security', 'runtime'];
/**
 * Per-folder layers of main/: each folder may import only folders below it. The regex matches a
 * relative import climbing into one of the forbidden sibling folders (`../catalog/…`,
 * `../../runs/…`), never shared/ (`../../shared/augment/…` climbs into shared first).
 */
const MAIN_LAYERS = [
  { folders: ADAPTERS, above: ENTRY },
  { folders: DOMAIN, above: [...ENTRY, ...ADAPTERS] },
  { folders: ENGINE, above: [...ENTRY, ...ADAPTERS, ...DOMAIN] },
  { folders: LOW, above: [...ENTRY, ...ADAPTERS, ...DOMAIN, ...ENGINE] },
  { folders: ['core'], above: [...ENTRY, ...ADAPTERS, ...DOMAIN, ...ENGINE, ...LOW] },
];
const climbInto = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'bench-results/**', '**/*.wasm'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'shared/ is pure TypeScript: no Node.' })),
            noElectron,
          ],
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', 'react', 'react-dom', 'react/*'],
              message: 'shared/ depends on nothing but zod.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The renderer has no Node: go through the contract.',
            })),
            noElectron,
          ],
          patterns: [
            {
              group: ['**/main/**', '**/main'],
              message: 'The renderer talks to main only through shared/contract.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**', 'main/ipc/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer] }],
    },
  },
  ...MAIN_LAYERS.map(({ folders, above }) => ({
    files: folders.map((f) => `main/${f}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            noRenderer,
            {
              regex: climbInto(above),
              message: `main/${folders.join(', main/')} may not import ${above.join(', ')}: main/ imports run downwards (eslint.config.js MAIN_LAYERS).`,
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['main/app/**/*.ts', 'main/ipc/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noRenderer] }],
    },
  },
);
