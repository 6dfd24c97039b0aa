export { isUsageFormat, USAGE_FORMATS, type UsageFormat, type UsageOperation } from './usage-format.js';
export { type BodyKind, bodyKindOf, HEAD_BYTES, TAIL_BYTES, UsageReader } from './usage-reader.js';
export { modelFromPath, type UsageRoute, usageRouteOf } from './usage-route.js';
