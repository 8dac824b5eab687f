// ESLint for the sidebar's TypeScript: typescript-eslint's recommended rules with type
// information, formatting left to Prettier (eslint-config-prettier turns those rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['lib/', 'node_modules/', '../aigc_magic/labextension/', '*.mjs', '*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Lumino's signal.connect(this._method, this) passes `this` along explicitly
      '@typescript-eslint/unbound-method': 'off',
      eqeqeq: 'error',
      curly: 'error'
    }
  },
  {
    files: ['src/__tests__/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off'
    }
  },
  prettier
);
