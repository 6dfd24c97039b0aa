import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      register: 'instrumentation/register.ts',
    },
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'src/index.ts' } },
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    // Everything but the CLI, which the second build writes at the same time.
    clean: ['!cli.js'],
    splitting: false,
    shims: true,
  },
  {
    // `npx provider-health`: its own entry, loaded by neither the preload nor the main entry. The
    // Grafana foundation SDK, a devDependency, is bundled into it, so installing provider-health
    // never installs the SDK. The SDK is CommonJS, which esbuild cannot tree-shake: minified, the
    // file is about 0.5 MB (1.1 MB plain).
    entry: { cli: 'src/mixin/cli.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    sourcemap: false,
    minify: true,
    clean: false,
    splitting: false,
  },
]);
