import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** The package's entry points (package.json "exports"), each built as ESM and CommonJS with types. */
const entry = {
  index: 'src/index.ts',
  register: 'instrumentation/register.ts',
  mollitia: 'src/mollitia-module.ts',
};

/**
 * `provider-health/mollitia` calls the main entry's `execute()` and `getRegistry()` through the
 * package's own name rather than carrying a second copy of the plugin.
 */
const mainEntryByName: Plugin = {
  name: 'main-entry-by-name',
  setup(build) {
    build.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      args.importer.endsWith('src/mollitia-module.ts')
        ? { path: 'provider-health', external: true }
        : undefined,
    );
  },
};

export default defineConfig([
  {
    entry,
    format: ['esm', 'cjs'],
    dts: { entry },
    target: 'node20',
    platform: 'node',
    esbuildPlugins: [mainEntryByName],
    // The meter's and tracer's scope version (src/telemetry/scope.ts), without reading package.json at run time.
    define: { __PROVIDER_HEALTH_VERSION__: JSON.stringify(version) },
    // Maps name the lines of src/ for `node --enable-source-maps`, without carrying the sources:
    // those would be most of the package's size.
    sourcemap: true,
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
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
