/**
 * Manual use: `npx tsx fake-provider/cli.ts --flavor openai --port 4010 [--host 127.0.0.1]
 * [--default '{"status":529}'] [--fal-pending-polls 2]`. Prints the base URL; Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startFakeProvider } from './server.js';
import type { Behaviour, Flavor } from './types.js';

const FLAVORS: readonly Flavor[] = [
  'openai',
  'anthropic',
  'fal',
  'cohere',
  'google',
  'replicate',
  'bedrock',
  'multi',
];

function isFlavor(value: string): value is Flavor {
  return (FLAVORS as readonly string[]).includes(value);
}

const { values } = parseArgs({
  options: {
    flavor: { type: 'string', default: 'multi' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    default: { type: 'string' },
    'fal-pending-polls': { type: 'string', default: '0' },
  },
});

if (!isFlavor(values.flavor)) {
  console.error(`--flavor must be one of ${FLAVORS.join(', ')}`);
  process.exit(2);
}

const fake = await startFakeProvider({
  flavor: values.flavor,
  host: values.host,
  port: Number(values.port),
  falPendingPolls: Number(values['fal-pending-polls']),
});
if (values.default !== undefined) fake.setDefault(JSON.parse(values.default) as Behaviour);

const hint: Record<Flavor, string> = {
  openai: `OPENAI_BASE_URL=${fake.url}/v1`,
  anthropic: `ANTHROPIC_BASE_URL=${fake.url}`,
  fal: `fal requestMiddleware → ${fake.url} (queue: ${fake.url}/queue)`,
  cohere: `CohereClientV2({ environment: '${fake.url}' })`,
  google: `GoogleGenAI httpOptions.baseUrl ${fake.url}; Vertex gRPC (insecure) at ${fake.h2Url}`,
  replicate: `Replicate({ baseUrl: '${fake.url}/v1' })`,
  bedrock: `BedrockRuntimeClient endpoint ${fake.h2Url} (HTTP/2) or ${fake.url} (NodeHttpHandler)`,
  multi: `OPENAI_BASE_URL=${fake.url}/v1 ANTHROPIC_BASE_URL=${fake.url}`,
};
console.log(fake.url);
console.error(
  `fake-provider (${fake.flavor}) listening, HTTP/2 and gRPC at ${fake.h2Url}; ${hint[fake.flavor]}`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}
