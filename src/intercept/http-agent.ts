import { errorMonitor } from 'node:events';
import http from 'node:http';
import { localAnswerError } from '../common/circuit-open-error.js';
import { logOnce } from '../common/log.js';
import { admitRequest, providerForHost } from '../gate/admission-gate.js';
import { announceLink, linkRequest } from '../gate/request-links.js';
import { RequestObservation } from '../gate/request-observation.js';
import { headersFromRecord } from '../outcome/headers.js';
import { getRegistry } from '../providers/global-registry.js';

type AddRequest = (this: http.Agent, req: http.ClientRequest, options: AgentRequestOptions) => void;
interface AgentRequestOptions {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
  defaultPort?: number;
  protocol?: string | null;
  signal?: AbortSignal;
}

const PATCHED = Symbol.for('provider-health.httpAgentPatched');
type PatchedPrototype = http.Agent & { [PATCHED]?: AddRequest };

/**
 * node:http / https (axios, older SDKs): patched at `Agent.prototype.addRequest`, the point
 * where a request asks for a socket. https.Agent inherits it. A rejected request fails with
 * CircuitOpenError through `req.onSocket(undefined, err)` before any socket is taken.
 */
export function installHttpAgentPatch(): void {
  const proto = http.Agent.prototype as PatchedPrototype;
  if (proto[PATCHED] !== undefined) return;
  const original = (proto as unknown as { addRequest: AddRequest }).addRequest;
  proto[PATCHED] = original;
  const patched: AddRequest = function addRequest(req, options) {
    observe(this, req, options, original);
  };
  (proto as unknown as { addRequest: AddRequest }).addRequest = patched;
}

export function uninstallHttpAgentPatch(): void {
  const proto = http.Agent.prototype as PatchedPrototype;
  const original = proto[PATCHED];
  if (original === undefined) return;
  (proto as unknown as { addRequest: AddRequest }).addRequest = original;
  delete proto[PATCHED];
}

function observe(
  agent: http.Agent,
  req: http.ClientRequest,
  options: AgentRequestOptions,
  original: AddRequest,
): void {
  try {
    const registry = getRegistry();
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = Number(
      options.port ?? options.defaultPort ?? (agent as { defaultPort?: number }).defaultPort ?? 80,
    );
    // The matcher brackets bare IPv6 hosts itself.
    const provider = providerForHost(registry, host, port);
    if (provider !== undefined) {
      const observation = admitRequest(
        registry,
        provider,
        req.method,
        `${options.protocol ?? 'http:'}//${host}:${port}`,
        req.path,
        options.signal,
      );
      if (!(observation instanceof RequestObservation)) {
        const local = observation.reason === 'budget_exhausted' ? 'budget_exceeded' : 'rejected';
        linkRequest(req, local);
        announceLink(local);
        rejectLater(req, localAnswerError(observation));
        return;
      }
      linkRequest(req, observation);
      announceLink(observation);
      observation.transport = 'http';
      observation.requestHeaders = req;
      watch(req, observation);
    }
  } catch (error) {
    logOnce(
      'http.addRequest',
      'provider-health could not observe an http request; it passes through untouched',
      error,
    );
  }
  original.call(agent, req, options);
}

/**
 * Fails a rejected request before it has a socket: it emits 'error' and 'close' and never
 * touches the network. `onSocket` delivers on process.nextTick, which runs before the event
 * loop turns; a service retrying at once would then never let a timer or socket run while the
 * circuit is open. So the answer waits for the next turn (setImmediate), as a refused connection
 * would. A caller that destroyed the request meanwhile gets what Node gives it without the
 * plugin: its own error, or "socket hang up".
 */
function rejectLater(req: http.ClientRequest, error: Error): void {
  setImmediate(() => {
    (req as unknown as { onSocket(socket: undefined, err: Error | undefined): void }).onSocket(
      undefined,
      req.destroyed ? undefined : error,
    );
  });
}

/**
 * Follows the request to its end. The request's own `emit` is observed rather than listened to:
 * a 'response' listener of ours would change what Node does with an unread body, and an
 * 'upgrade' listener would keep a socket Node otherwise destroys. Observing the emit also puts
 * our listeners on the response ahead of everyone's (instrumentation-http's included), so the
 * request is classified before a span or an app sees its end.
 */
function watch(req: http.ClientRequest, observation: RequestObservation): void {
  req.once('timeout', () => {
    observation.timedOut = true;
  });
  // Node never calls destroy() on a request itself (a reset sets `destroyed` directly): a call is
  // the caller letting go, and the error that follows is theirs, not the provider's.
  const destroy = req.destroy;
  req.destroy = function callerDestroy(this: http.ClientRequest, error?: Error) {
    if (!observation.finished) observation.callerAborted = true;
    return destroy.call(this, error);
  } as typeof req.destroy;
  // errorMonitor, not 'error': an app without an error listener must still see its crash, as
  // it would without the plugin.
  req.once(errorMonitor, (error: Error) => observation.finish(error));
  let responded = false;
  const emit = req.emit;
  req.emit = function observedEmit(this: http.ClientRequest, event: string | symbol, ...args: unknown[]) {
    if (event === 'response' && !responded) {
      responded = true;
      followResponse(args[0] as http.IncomingMessage, observation);
    } else if (event === 'upgrade') {
      responded = true;
      observation.onUpgrade((args[0] as http.IncomingMessage).statusCode ?? 101);
    }
    return emit.call(this, event, ...args);
  } as typeof req.emit;
  req.once('close', () => {
    // Closed with neither response nor error: the caller destroyed it.
    if (!responded) observation.finish(abortError());
  });
}

function followResponse(res: http.IncomingMessage, observation: RequestObservation): void {
  observation.onResponseStart(res.statusCode ?? 0, () => headersFromRecord(res.headers));
  if (observation.capturingBody) captureBody(res, observation);
  res.once(errorMonitor, (error: Error) => observation.finish(error));
  res.once('end', () => observation.finish());
  // Closed before its end without an error of its own: the app stopped reading (destroy()),
  // like a fetch abort. A reset mid-body arrives first as an error, through the monitor above.
  res.once('close', () => {
    if (!res.complete) observation.finish(res.errored ?? abortError());
  });
}

/** Reads error bodies without consuming them: the parser pushes each chunk through `push`. */
function captureBody(res: http.IncomingMessage, observation: RequestObservation): void {
  const push = res.push;
  res.push = function capture(chunk: unknown, encoding?: BufferEncoding) {
    if (chunk !== null && (typeof chunk === 'string' || chunk instanceof Uint8Array))
      observation.onBodyChunk(chunk);
    return push.call(this, chunk, encoding);
  };
}

function abortError(): Error {
  const error = new Error('request aborted by the caller');
  error.name = 'AbortError';
  return error;
}
