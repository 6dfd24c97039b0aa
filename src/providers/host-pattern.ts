/**
 * A host pattern as users write it: `api.openai.com`, `127.0.0.1:4010`, `[::1]:8080`,
 * `*.llm.internal` (any subdomain, one or more labels), `*-aiplatform.googleapis.com`
 * (a wildcard inside a label), `bedrock-runtime.*.amazonaws.com` (one label).
 * Without a port a pattern matches the host on any port.
 */
export interface HostPattern {
  source: string;
  host: string;
  port: number | undefined;
  wildcard: boolean;
  /** For wildcard patterns: the labels after the last one holding `*`, as `.googleapis.com`; the index key. */
  fixedSuffix: string;
  regex: RegExp | undefined;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9*._-]+)(?::(\d{1,5}))?$/;
const LABEL = /^(?:\*|[a-zA-Z0-9_](?:[a-zA-Z0-9*_-]*[a-zA-Z0-9*_])?|\*[a-zA-Z0-9_-]*|[a-zA-Z0-9_-]*\*)$/;

export function parseHostPattern(source: string): HostPattern {
  const match = HOST_PORT.exec(source.trim());
  if (match === null)
    throw new Error(`not a host pattern: "${source}" (expected host, host:port or *.domain)`);
  const host = (match[1] as string).toLowerCase();
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`port out of range in "${source}"`);
  const wildcard = host.includes('*');
  if (!wildcard) return { source, host, port, wildcard, fixedSuffix: '', regex: undefined };
  const labels = host.split('.');
  if (labels.some((label) => label === '' || !LABEL.test(label))) {
    throw new Error(`not a host pattern: "${source}" (a * stands for a whole label or part of one)`);
  }
  let last = -1;
  labels.forEach((label, i) => {
    if (label.includes('*')) last = i;
  });
  const fixed = labels.slice(last + 1);
  if (fixed.length === 0) throw new Error(`host pattern "${source}" needs a fixed domain after its last *`);
  const body = labels
    .map((label, i) => {
      if (label === '*') return i === 0 ? '(?:[^.]+\\.)*[^.]+' : '[^.]+';
      return label.split('*').map(escapeRegex).join('[^.]*');
    })
    .join('\\.');
  return { source, host, port, wildcard, fixedSuffix: `.${fixed.join('.')}`, regex: new RegExp(`^${body}$`) };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function patternMatches(pattern: HostPattern, host: string, port: number): boolean {
  if (pattern.port !== undefined && pattern.port !== port) return false;
  return pattern.regex === undefined ? pattern.host === host : pattern.regex.test(host);
}
