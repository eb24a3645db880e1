import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // This file extends the workspace config by path; the boundary rule is meant for source, not for it.
    files: ['eslint.config.mjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
