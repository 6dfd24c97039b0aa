/** Health endpoints, live events and the status page; see docs/design.md "Health endpoints". */
export { EventHub, type LiveSubscriber } from './event-hub.js';
export { createHealthHandler, type HealthHandler, type NextFunction } from './handler.js';
export { healthView, type OverallStatus, overallStatus, providerJson, providersView } from './health-json.js';
export type { ErrorCode } from './http-error.js';
export type { LiveEvent, SnapshotMessage, StatusMessage, TransitionMessage } from './live-event.js';
export type { HealthHandlerOptions, HealthServerOptions, HealthStatusCodes } from './options.js';
export { type RunningHealthServer, startHealthServer } from './server.js';
