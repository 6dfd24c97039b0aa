/**
 * The service under observation: started with `--require provider-health/register` and nothing
 * else from the plugin, it calls OpenAI and Anthropic (both fakes) with plain fetch, one request
 * per provider every E2E_INTERVAL_MS, as a small chat backend would. It ignores every answer:
 * what the plugin measures and Prometheus scrapes is the point, not what the app does.
 */
/** @param {string} name */
const env = (name) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`e2e service: ${name} is not set`);
  return value;
};

const interval = Number(env('E2E_INTERVAL_MS'));
const json = { 'content-type': 'application/json' };
const messages = [{ role: 'user', content: 'Say hello' }];

/** @type {Record<string, () => Promise<Response>>} */
const calls = {
  openai: () =>
    fetch(`${env('E2E_OPENAI_URL')}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer e2e' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
    }),
  anthropic: () =>
    fetch(`${env('E2E_ANTHROPIC_URL')}/v1/messages`, {
      method: 'POST',
      headers: { ...json, 'x-api-key': 'e2e', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages }),
    }),
};

/** @param {() => Promise<Response>} call */
function loop(call) {
  const tick = () => {
    void call()
      // Read the body to its end: the plugin's request duration ends with the body.
      .then((response) => response.arrayBuffer())
      .catch(() => undefined)
      .finally(() => setTimeout(tick, interval));
  };
  tick();
}

for (const call of Object.values(calls)) loop(call);
process.on('SIGTERM', () => process.exit(0));
