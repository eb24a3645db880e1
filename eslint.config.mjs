import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/coverage', '**/.nx', '**/.data', '**/tmp', '**/out-tsc'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [
            // type axis: what kind of project may lean on what
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:data-access', 'type:runtime'],
            },
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            // browser tests drive the built apps; they only make themselves a database and find free ports
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:data-access', 'type:runtime'] },
            // scope axis: an app's code stays with that app; shared code serves everyone
            { sourceTag: 'scope:mock-api', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:pipeline', onlyDependOnLibsWithTags: ['scope:shared'] },
            // the dashboard runs in a browser and knows the pipeline only by its HTTP API
            { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Decorated DTO properties need their type written out: it is what emitDecoratorMetadata records.
      '@typescript-eslint/no-inferrable-types': ['error', { ignoreProperties: true }],
    },
  },
  prettier,
];
