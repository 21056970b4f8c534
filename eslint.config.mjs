// Lint: keeps the architecture honest. src/core and src/shared are pure (no vscode, no Node I/O
// in core), and webview code never sees the extension API.
import tseslint from 'typescript-eslint';

// Static imports are covered by no-restricted-imports; these catch import('vscode') and require('vscode').
const vscodeOnlyInVscode = [
  { selector: "ImportExpression[source.value='vscode']", message: 'Load vscode only in src/vscode.' },
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']",
    message: 'Load vscode only in src/vscode.',
  },
];
// Schemas take zod from src/core/schema/zod.ts: zod/mini with its English messages. Classic zod is 70 KiB more in
// every bundle that names it, and its `z` object is all of zod (locales, JSON Schema), which defeats tree shaking.
const zodThroughSchemaModule = {
  selector: 'ImportDeclaration[source.value=/^zod(\\/|$)/]',
  message: "Import zod as `import * as z from '<…>/core/schema/zod'` (zod/mini, English messages).",
};
const restrictedSyntax = ['error', ...vscodeOnlyInVscode, zodThroughSchemaModule];

const noVscode = {
  paths: [{ name: 'vscode', message: 'src/core is pure TypeScript: put VS Code code in src/vscode.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.tools/**', 'test-results/**', 'media/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/node/**/*.ts', 'src/webview/**/*.ts', 'src/cli.ts'],
    rules: { 'no-restricted-syntax': restrictedSyntax },
  },
  {
    // The VS Code layer is bundled too: the zod rule holds there as well.
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    rules: { 'no-restricted-syntax': ['error', zodThroughSchemaModule] },
  },
  {
    files: ['src/core/schema/zod.ts'],
    rules: { 'no-restricted-syntax': ['error', ...vscodeOnlyInVscode] },
  },
  {
    // Node I/O (files, processes, sockets, Postgres) lives in src/node, where it runs and is tested without VS Code;
    // the VS Code layer reaches it through src/node's classes and functions.
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['pg', 'undici'].map((name) => ({ name, message: 'Put network and database I/O in src/node.' })),
          patterns: [
            {
              group: [
                'node:fs',
                'node:fs/*',
                'fs',
                'fs/*',
                'node:child_process',
                'child_process',
                'node:net',
                'net',
                'node:tls',
                'tls',
              ],
              message: 'Put file, process and socket I/O in src/node.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noVscode,
          patterns: [
            { group: ['**/vscode/**', '**/node/**'], message: 'src/core may not depend on the vscode or node layers.' },
            {
              group: ['node:fs', 'node:child_process', 'node:net', 'fs', 'child_process', 'net'],
              message: 'src/core does no I/O: pass an interface in.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/node/**/*.ts', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/node and the CLI run outside VS Code.' }],
          patterns: [{ group: ['**/vscode/**'], message: 'src/node may not depend on the vscode layer.' }],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      // Values from servers, databases and runbooks reach the page as text (el() in src/webview/shared/dom.ts);
      // nothing there parses a string as HTML or code.
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'srcdoc', 'createContextualFragment'].map((property) => ({
          property,
          message: 'Set text with textContent (el() in src/webview/shared/dom.ts), never HTML.',
        })),
        { object: 'document', property: 'write', message: 'Build elements with el(), never HTML.' },
        { object: 'document', property: 'writeln', message: 'Build elements with el(), never HTML.' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webview code runs in the browser.' }],
          patterns: [
            { group: ['**/vscode/**', '**/node/**', '**/core/**'], message: 'Webview code only uses src/shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
);
