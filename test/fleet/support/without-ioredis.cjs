/**
 * `node --require ./test/fleet/support/without-ioredis.cjs`, before the plugin's own preload: the
 * process cannot find ioredis, as in a service that never installed it (an optional peer
 * dependency). Resolution is sent to a package that does not exist, so the error is Node's own
 * ERR_MODULE_NOT_FOUND, for `import()` as for `require()`.
 */
const Module = require('node:module');

Module.register(
  `data:text/javascript,${encodeURIComponent(`
    export function resolve(specifier, context, next) {
      return next(specifier === 'ioredis' ? 'ioredis-is-not-installed' : specifier, context);
    }
  `)}`,
);
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === 'ioredis' ? 'ioredis-is-not-installed' : request, ...rest);
};
