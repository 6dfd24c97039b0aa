import { createRequire } from 'node:module';

/**
 * Packages are loaded when a feature first needs them, never at start-up for a feature the user
 * did not turn on (docs/design.md, "Dependencies"): yaml for a YAML config file, ws for a
 * WebSocket client of the health server, each OpenTelemetry exporter for the protocol chosen.
 * Synchronous on purpose: the preload decides before the application's first line runs.
 * Both builds load the packages' CommonJS entry, which is what Node gives an ES module importing
 * them too (the OpenTelemetry packages declare no `import` condition), so there is one copy.
 */
const requireFromHere = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): T {
  return requireFromHere(id) as T;
}

/** An optional peer dependency the feature in use needs and the application did not install. */
export class MissingPackageError extends Error {
  readonly code = 'ERR_PROVIDER_HEALTH_MISSING_PACKAGE';

  constructor(
    readonly packageName: string,
    feature: string,
    options?: ErrorOptions,
  ) {
    super(
      `${feature} needs the package ${packageName}, which is not installed: npm install ${packageName}`,
      options,
    );
    this.name = 'MissingPackageError';
  }
}

/**
 * Loads an optional peer dependency, or throws one MissingPackageError naming it. Only the
 * package itself being absent is reported that way; a failure inside it is rethrown as is.
 */
export function requireOptional<T>(packageName: string, feature: string): T {
  try {
    return requireFromHere(packageName) as T;
  } catch (error) {
    if (isNotFound(error, packageName)) throw new MissingPackageError(packageName, feature, { cause: error });
    throw error;
  }
}

function isNotFound(error: unknown, packageName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${packageName}'`);
}
