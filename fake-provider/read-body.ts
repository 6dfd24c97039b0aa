// Bodies past this are drained but not parsed: nothing the fake answers depends on a large body.
const MAX_PARSED_BYTES = 8 * 1024 * 1024;

/** The request's JSON body; undefined when empty, too large or not JSON. */
export async function readJsonBody(req: AsyncIterable<unknown>): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size <= MAX_PARSED_BYTES) chunks.push(buf);
    }
  } catch {
    return undefined; // The client went away mid-body.
  }
  if (size === 0 || size > MAX_PARSED_BYTES) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
