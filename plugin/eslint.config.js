// Grafana's own ESLint rules for the plugin (as @grafana/create-plugin sets up), on top of
// typescript-eslint's recommended set; formatting is Prettier's alone.
import grafanaConfig from '@grafana/eslint-config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'test-artifacts/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  ...grafanaConfig,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
);
