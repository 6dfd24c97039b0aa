import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a user gets it: `npm pack`, then a fresh application that installs only the
 * tarball (its dependencies come from the npm registry, or npm's cache when it has them).
 * Checked: publint and arethetypeswrong on the tarball; one version of every package and the
 * install's size; a TypeScript project in CommonJS with skipLibCheck false; the optional
 * peers' clear errors when they are missing.
 */
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'node_modules/.bin');
// 30 packages and 33 MiB for the OpenTelemetry set, plus tldts-icann and tldts-core (3 MiB: the
// public-suffix list that refuses a host pattern such as `*.co.uk`, src/config/public-suffix.ts).
const MAX_PACKAGES = 32;
const MAX_INSTALL_MIB = 38;

let work: string;
let tarball: string;
let app: string;

async function npm(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return run('npm', args, { cwd, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Installs into `dir`. Packages in npm's cache are not fetched again. Without retries first, so
 * an unreachable registry fails in seconds (npm's default retries and back-off take minutes);
 * a failure while `npm ping` still answers is taken as a passing fault and tried once more with
 * npm's retries. Otherwise the test fails saying what it needs.
 */
async function install(dir: string, specs: string[]): Promise<void> {
  const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', ...specs];
  try {
    await npm([...args, '--fetch-retries=0'], dir);
    return;
  } catch (error) {
    const reachable = await npm(['ping', '--fetch-retries=0'], dir).then(
      () => true,
      () => false,
    );
    if (reachable) {
      await npm(args, dir);
      return;
    }
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(
      `npm could not install ${specs.join(' ')} into a fresh application and the registry does not answer npm ping: this test needs the npm registry (${
        process.env.npm_config_registry ?? 'https://registry.npmjs.org/'
      }) or npm's cache to hold these packages.\n${stderr.split('\n').slice(-15).join('\n')}`,
    );
  }
}

function node(args: string[], cwd: string, env: Record<string, string> = {}) {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(PROVIDER_HEALTH_|OTEL_)/.test(key) && key !== 'NODE_OPTIONS') clean[key] = value;
  return run(process.execPath, args, {
    cwd,
    env: { ...clean, PROVIDER_HEALTH_SERVER: 'off', OTEL_EXPORTER_PROMETHEUS_PORT: 'off', ...env },
    timeout: 30_000,
  });
}

/** Disk usage as du counts it (allocated blocks), and the bytes of the files. */
function sizeOf(dir: string): { diskBytes: number; fileBytes: number } {
  let diskBytes = 0;
  let fileBytes = 0;
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    diskBytes += stat.blocks * 512;
    if (stat.isFile()) fileBytes += stat.size;
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return { diskBytes, fileBytes };
}

beforeAll(async () => {
  for (const file of ['dist/index.cjs', 'dist/index.d.cts', 'dist/register.cjs', 'dist/mollitia.d.cts'])
    if (!existsSync(resolve(ROOT, file))) throw new Error(`${file} is missing: run npm run build first`);
  work = mkdtempSync(join(tmpdir(), 'provider-health-pack-'));
  const packed = await npm(['pack', '--json', '--pack-destination', work], ROOT);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  tarball = join(work, filename);
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  await install(app, [tarball]);
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('passes publint (strict) and arethetypeswrong (all resolutions, node10 included)', async () => {
    const publint = await run(resolve(BIN, 'publint'), ['run', tarball, '--strict'], { timeout: 120_000 });
    expect(publint.stdout).toContain('All good!');
    // attw exits non-zero on any problem; its table then says which entry and resolution.
    const attw = await run(resolve(BIN, 'attw'), [tarball, '--format', 'table-flipped'], {
      timeout: 120_000,
    });
    expect(attw.stdout).toContain('No problems found');
  }, 240_000);

  it('carries no embedded sources in its source maps, and no undici or mollitia types in the main entry', async () => {
    const dist = join(app, 'node_modules/provider-health/dist');
    for (const map of readdirSync(dist).filter((name) => name.endsWith('.map'))) {
      const parsed = JSON.parse(readFileSync(join(dist, map), 'utf8')) as { sourcesContent?: unknown[] };
      expect(parsed.sourcesContent, map).toBeUndefined();
    }
    for (const types of ['index.d.ts', 'index.d.cts']) {
      const text = readFileSync(join(dist, types), 'utf8');
      expect(text, types).not.toMatch(/from ['"](undici|mollitia)['"]/);
    }
  });
});

describe('a fresh application that installs only provider-health', () => {
  it(`gets one version of every package, at most ${MAX_PACKAGES} packages and ${MAX_INSTALL_MIB} MiB, and no undici or mollitia`, async () => {
    const { stdout } = await npm(['ls', '--all', '--parseable', '--long'], app);
    // `path:name@version[:...]`, the application itself first.
    const installed = stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(':')[1] ?? line);
    const names = installed.map((spec) => spec.slice(0, spec.lastIndexOf('@')));
    const twice = names.filter((name, index) => names.indexOf(name) !== index);
    expect(twice, `installed more than once: ${twice.join(', ')}`).toEqual([]);
    expect(installed.length, installed.join('\n')).toBeLessThanOrEqual(MAX_PACKAGES);
    expect(names).not.toContain('undici');
    expect(names).not.toContain('mollitia');
    expect(names.filter((name) => name.includes('grpc'))).toEqual([]);
    const { diskBytes, fileBytes } = sizeOf(join(app, 'node_modules'));
    process.stdout.write(
      `fresh install: ${installed.length} packages, ${(diskBytes / 2 ** 20).toFixed(1)} MiB on disk, ${(fileBytes / 2 ** 20).toFixed(1)} MiB of files\n`,
    );
    expect(diskBytes / 2 ** 20).toBeLessThanOrEqual(MAX_INSTALL_MIB);
  });

  it('runs the preload under --require and --import, and the API under require()', async () => {
    const script =
      "const { getProvider } = require('provider-health'); console.log(getProvider('openai').breaker.state)";
    for (const flag of ['--require', '--import']) {
      const { stdout, stderr } = await node([flag, 'provider-health/register', '-e', script], app);
      expect(stdout.trim(), stderr).toBe('closed');
    }
  });

  it('names the optional peer to install when providerBreaker() or OTLP over gRPC needs one', async () => {
    const breaker = await node(
      [
        '-e',
        "try { require('provider-health/mollitia').providerBreaker('openai') } catch (e) { console.log(e.message) }",
      ],
      app,
    );
    expect(breaker.stdout.trim()).toBe(
      'providerBreaker() needs the package mollitia, which is not installed: npm install mollitia',
    );
    const grpc = await node(
      ['--require', 'provider-health/register', '-e', 'setTimeout(() => {}, 100)'],
      app,
      {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
      },
    );
    expect(grpc.stderr).toContain(
      'needs the package @opentelemetry/exporter-trace-otlp-grpc, which is not installed: npm install @opentelemetry/exporter-trace-otlp-grpc',
    );
    expect(grpc.stderr).toContain('npm install @opentelemetry/exporter-metrics-otlp-grpc');
  });

  it('type-checks in a CommonJS TypeScript project with skipLibCheck false, with and without mollitia', async () => {
    const project = join(work, 'ts-cjs');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'ts-cjs', private: true, type: 'commonjs' }),
    );
    cpSync(join(app, 'node_modules'), join(project, 'node_modules'), { recursive: true });
    // @types/node from this repository: the declarations name node:http types, as any service has.
    cpSync(resolve(ROOT, 'node_modules/@types/node'), join(project, 'node_modules/@types/node'), {
      recursive: true,
    });
    cpSync(resolve(ROOT, 'node_modules/undici-types'), join(project, 'node_modules/undici-types'), {
      recursive: true,
    });
    const compilerOptions = {
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['main.ts'] }));
    writeFileSync(
      join(project, 'main.ts'),
      [
        "import { execute, getProvider, isCircuitOpenError, wrapDispatcher, type HealthStatus } from 'provider-health';",
        "import 'provider-health/register';",
        "const status: HealthStatus | undefined = getProvider('openai')?.getHealthStatus();",
        'const wrapped = wrapDispatcher({ dispatch: (_options: object, _handler: object) => true });',
        "void execute('openai', async () => 1).catch((error: unknown) => isCircuitOpenError(error));",
        'console.log(status, wrapped);',
      ].join('\n'),
    );
    const tsc = resolve(BIN, 'tsc');
    const withoutMollitia = await run(tsc, ['-p', project]).catch((error: { stdout?: string }) => error);
    expect((withoutMollitia as { stdout?: string }).stdout ?? '').toBe('');

    // mollitia's own types are ES module types, which a CommonJS file cannot import itself (TS1479,
    // mollitia's to fix); ours read them through resolution-mode, so this file compiles.
    cpSync(resolve(ROOT, 'node_modules/mollitia'), join(project, 'node_modules/mollitia'), {
      recursive: true,
    });
    writeFileSync(
      join(project, 'main.ts'),
      [
        "import { providerBreaker, type ProviderBreakerModule } from 'provider-health/mollitia';",
        "const module: ProviderBreakerModule = providerBreaker('openai');",
        'console.log(module.name, module.provider.name, module.active);',
      ].join('\n'),
    );
    const withMollitia = await run(tsc, ['-p', project]).catch((error: { stdout?: string }) => error);
    expect((withMollitia as { stdout?: string }).stdout ?? '').toBe('');
  }, 120_000);
});
