import type { UsageFormat } from '../usage/usage-format.js';

/**
 * Built-in providers and their API hosts. Names are OTel GenAI `gen_ai.provider.name` values
 * where the semantic conventions define one; the short names users type are aliases.
 */
export interface CatalogEntry {
  name: string;
  hosts: readonly string[];
  aliases: readonly string[];
  /** Cheap, unbilled probe for active health checks: path to GET on the first host. */
  probePath?: string;
  /** Environment variable holding the API key that the probe sends, when present. */
  apiKeyEnv?: string;
  /** Wire format of the provider's error bodies, which the local reply copies (src/intercept/synthetic-response.ts). */
  errorShape: 'openai' | 'anthropic' | 'google' | 'fal' | 'bedrock' | 'generic';
  /**
   * What the `*` of a wildcard host names, when each value is an endpoint with its own breaker
   * (docs/design.md, "Endpoints"): a cloud region, or a deployment (an Azure resource).
   */
  endpoints?: 'region' | 'deployment';
  /** Where its responses report token usage (docs/design.md, "Token usage and cost"); none: no body is read. */
  usage?: UsageFormat;
}

export const CATALOG: readonly CatalogEntry[] = [
  {
    name: 'openai',
    hosts: ['api.openai.com'],
    aliases: [],
    probePath: '/v1/models',
    apiKeyEnv: 'OPENAI_API_KEY',
    errorShape: 'openai',
    usage: 'openai',
  },
  {
    name: 'anthropic',
    hosts: ['api.anthropic.com'],
    aliases: [],
    probePath: '/v1/models',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    errorShape: 'anthropic',
    usage: 'anthropic',
  },
  {
    name: 'fal',
    hosts: ['fal.run', 'queue.fal.run', 'rest.alpha.fal.ai'],
    aliases: ['fal.ai', 'fal_ai'],
    errorShape: 'fal',
  },
  {
    name: 'gcp.gemini',
    hosts: ['generativelanguage.googleapis.com'],
    aliases: ['gemini', 'google', 'google-gemini'],
    probePath: '/v1beta/models',
    apiKeyEnv: 'GEMINI_API_KEY',
    errorShape: 'google',
    usage: 'gemini',
  },
  {
    name: 'gcp.vertex_ai',
    hosts: ['*-aiplatform.googleapis.com', 'aiplatform.googleapis.com'],
    aliases: ['vertex', 'vertex_ai', 'vertex-ai'],
    errorShape: 'google',
    usage: 'gemini',
    endpoints: 'region',
  },
  {
    name: 'azure.ai.openai',
    hosts: ['*.openai.azure.com'],
    aliases: ['azure', 'azure-openai', 'azure_openai'],
    errorShape: 'openai',
    usage: 'openai',
    endpoints: 'deployment',
  },
  {
    name: 'aws.bedrock',
    hosts: ['bedrock-runtime.*.amazonaws.com'],
    aliases: ['bedrock', 'aws-bedrock'],
    errorShape: 'bedrock',
    usage: 'bedrock',
    endpoints: 'region',
  },
  {
    name: 'mistral_ai',
    hosts: ['api.mistral.ai'],
    aliases: ['mistral'],
    probePath: '/v1/models',
    apiKeyEnv: 'MISTRAL_API_KEY',
    errorShape: 'openai',
    usage: 'openai',
  },
  {
    name: 'groq',
    hosts: ['api.groq.com'],
    aliases: [],
    probePath: '/openai/v1/models',
    apiKeyEnv: 'GROQ_API_KEY',
    errorShape: 'openai',
    usage: 'openai',
  },
  {
    name: 'cohere',
    hosts: ['api.cohere.com', 'api.cohere.ai'],
    aliases: [],
    probePath: '/v1/models',
    apiKeyEnv: 'CO_API_KEY',
    errorShape: 'generic',
  },
  {
    name: 'together',
    hosts: ['api.together.xyz'],
    aliases: ['together_ai', 'togetherai'],
    probePath: '/v1/models',
    apiKeyEnv: 'TOGETHER_API_KEY',
    errorShape: 'openai',
    usage: 'openai',
  },
  {
    name: 'openrouter',
    hosts: ['openrouter.ai'],
    aliases: [],
    probePath: '/api/v1/models',
    apiKeyEnv: 'OPENROUTER_API_KEY',
    errorShape: 'openai',
    usage: 'openai',
  },
  {
    name: 'deepseek',
    hosts: ['api.deepseek.com'],
    aliases: [],
    probePath: '/models',
    apiKeyEnv: 'DEEPSEEK_API_KEY',
    errorShape: 'openai',
    usage: 'openai',
  },
  {
    name: 'x_ai',
    hosts: ['api.x.ai'],
    aliases: ['xai', 'grok'],
    probePath: '/v1/models',
    apiKeyEnv: 'XAI_API_KEY',
    errorShape: 'openai',
    usage: 'openai',
  },
  { name: 'perplexity', hosts: ['api.perplexity.ai'], aliases: [], errorShape: 'openai', usage: 'openai' },
  {
    name: 'fireworks',
    hosts: ['api.fireworks.ai'],
    aliases: ['fireworks_ai'],
    probePath: '/inference/v1/models',
    apiKeyEnv: 'FIREWORKS_API_KEY',
    errorShape: 'openai',
    usage: 'openai',
  },
  {
    name: 'replicate',
    hosts: ['api.replicate.com'],
    aliases: [],
    probePath: '/v1/account',
    apiKeyEnv: 'REPLICATE_API_TOKEN',
    errorShape: 'generic',
  },
];
