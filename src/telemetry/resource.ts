import type { Resource, ResourceDetector } from '@opentelemetry/resources';
import {
  type Env,
  type ResourceDetectorName,
  resourceAttributesFromEnv,
  resourceDetectors,
} from './otel-env.js';
import { otelResources } from './otel-packages.js';

/**
 * The resource of the plugin's own MeterProvider and TracerProvider, built as the OpenTelemetry SDK
 * builds it: the SDK's default attributes, then the detectors `OTEL_NODE_RESOURCE_DETECTORS`
 * names (by default process, host and `service.instance.id`), then `OTEL_RESOURCE_ATTRIBUTES` and
 * `OTEL_SERVICE_NAME` (read from `env`), which win over anything detected.
 */
export function pluginResource(env: Env): Resource {
  const resources = otelResources();
  const detectors: Record<Exclude<ResourceDetectorName, 'env'>, ResourceDetector> = {
    host: resources.hostDetector,
    os: resources.osDetector,
    process: resources.processDetector,
    serviceinstance: resources.serviceInstanceIdDetector,
  };
  const wanted = resourceDetectors(env);
  const detected = resources.detectResources({
    detectors: wanted.flatMap((name) => (name === 'env' ? [] : [detectors[name]])),
  });
  const resource = resources.defaultResource().merge(detected);
  return wanted.includes('env')
    ? resource.merge(resources.resourceFromAttributes(resourceAttributesFromEnv(env)))
    : resource;
}
