import { DEFAULT_TEXT, fakeId, jsonReply, type Reply } from './reply.js';
import type { AnswerInput } from './request-body.js';
import { field } from './request-body.js';

function prediction(id: string, input: AnswerInput, done: boolean): Record<string, unknown> {
  const text = input.text ?? DEFAULT_TEXT;
  const version = field(input.body, 'version');
  return {
    id,
    model: 'fake/model',
    version: typeof version === 'string' ? version : 'fake-version',
    input: field(input.body, 'input') ?? {},
    logs: '',
    output: done ? [text] : null,
    error: null,
    status: done ? 'succeeded' : 'starting',
    created_at: new Date().toISOString(),
    urls: {
      get: `https://api.replicate.com/v1/predictions/${id}`,
      cancel: `https://api.replicate.com/v1/predictions/${id}/cancel`,
    },
  };
}

/** `POST /v1/predictions` (and the model and deployment forms): 201, status `starting`. */
export function replicateCreate(input: AnswerInput): Reply {
  return jsonReply(201, prediction(fakeId('p'), input, false), input.headers);
}

/** `GET /v1/predictions/{id}`: the prediction, `succeeded`, with the text as its output. */
export function replicateGet(input: AnswerInput, path: string): Reply {
  const id = path.split('?')[0]?.split('/').at(-1) ?? fakeId('p');
  return jsonReply(200, prediction(id, input, true), input.headers);
}
