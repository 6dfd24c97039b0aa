export { type FalRequestConfig, falRequestMiddleware } from './fal-client.js';
export { freePort } from './free-port.js';
export type { FakeProvider, FakeProviderOptions } from './options.js';
export { startFakeProvider } from './server.js';
export { runTimeline, type TimelineOptions, type TimelineStep } from './timeline.js';
export type {
  Behaviour,
  BehaviourFunction,
  BehaviourSpec,
  DelayBehaviour,
  ErrorBehaviour,
  ExtraHeaders,
  FakeRequest,
  FakeRequestWithBody,
  Flavor,
  HangBehaviour,
  OkBehaviour,
  ProviderName,
  RecordedRequest,
  ResetBehaviour,
  ResetMidBodyBehaviour,
  RouteName,
  SlowStreamBehaviour,
  StreamErrorBehaviour,
} from './types.js';
