// Lint for all three parts. The import rules keep the core independent of Electron and the renderer.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.electron-native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The core runs under Node, Electron and tests alike: it never imports Electron or the renderer.
    files: ['src/**/*.ts', 'migrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/ must not depend on Electron; put it in electron/.' }],
          patterns: [
            { group: ['**/electron/**', 'electron/*'], message: 'src/ must not import from electron/.' },
            { group: ['**/renderer/**'], message: 'src/ must not import from renderer/.' },
          ],
        },
      ],
    },
  },
  {
    // The renderer knows the contract's types only: a value import from src/ would pull the core into the page.
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '!**/renderer/src/**'],
              allowTypeImports: true,
              message: 'The renderer may import only types from src/.',
            },
            { group: ['**/electron/**'], message: 'The renderer talks to Electron only through window.hearth.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);
