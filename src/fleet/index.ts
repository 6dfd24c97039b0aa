export { FleetBreakerLink, sharedState, UNUSED_LEASE_MS } from './breaker-link.js';
export { type FleetKeys, fleetKeys } from './fleet-keys.js';
export type { FleetLog } from './fleet-log.js';
export type { FleetProviderState, FleetStateCause, ReplicaSeen } from './fleet-mirror.js';
export { createFleetStore, FleetStore } from './fleet-store.js';
export type {
  FleetEvents,
  FleetFailure,
  FleetLease,
  FleetLeaseRequest,
  FleetSeed,
  FleetStats,
  FleetStoreOptions,
  FleetTrialOutcome,
  FleetTrip,
  FleetView,
} from './fleet-types.js';
export type { FleetCircuitState, FleetReason } from './fleet-wire.js';
export { FleetClientMissingError, REDIS_CLIENT_PACKAGE, REDIS_CLIENT_RANGE } from './redis-connection.js';
export { fleetOf, RegistryFleet, type StartFleetOptions, startFleet } from './registry-fleet.js';
