import { isHostName, splitHostPort, WILDCARD_LABEL } from './host.js';

/**
 * A provider host pattern as users write it, compiled: `api.openai.com`, `127.0.0.1:4010`,
 * `[::1]:8080`, `*.llm.internal` (a leading `*` is one or more labels), `*-aiplatform.googleapis.com`
 * (a `*` at one end of a label), `bedrock-runtime.*.amazonaws.com` (an inner `*` is one label).
 * Without a port a pattern matches the host on any port. Configuration validates with
 * `compileHostPattern` and the host matcher takes its result, so the two can never disagree.
 */
export interface HostPattern {
  /** Normalised text: lowercased, one trailing dot dropped, IPv6 bracketed (`[::1]:4010`). */
  readonly source: string;
  /** Host part, lowercased; IPv6 in brackets as URL origins carry it. */
  readonly host: string;
  readonly port: number | undefined;
  readonly wildcard: boolean;
  /** For wildcard patterns: the labels after the last one holding `*`, as `.googleapis.com`; the index key. */
  readonly fixedSuffix: string;
  readonly regex: RegExp | undefined;
}

export class HostPatternError extends Error {
  override readonly name = 'HostPatternError';
}

export const HOST_PATTERN_ACCEPTED =
  'a host pattern: a hostname (api.example.com), an IPv4 address or a [bracketed] IPv6 address, ' +
  'optionally with :port, where * may be a whole label (*.example.com) or one end of a label ' +
  '(*-aiplatform.googleapis.com), followed by a registrable domain (example.com or example.co.uk, ' +
  'not com or co.uk); not a URL';

// Patterns come from the catalog and from configuration, a few dozen at most: each is parsed once.
const compiled = new Map<string, HostPattern>();
const MAX_CACHED = 1024;

/** Parses and validates one pattern; throws HostPatternError saying what is wrong. */
export function compileHostPattern(text: string): HostPattern {
  const cached = compiled.get(text);
  if (cached !== undefined) return cached;
  const pattern = parse(text);
  if (compiled.size < MAX_CACHED) compiled.set(text, pattern);
  return pattern;
}

function parse(text: string): HostPattern {
  const split = splitHostPort(text.trim());
  if (split === undefined) throw new HostPatternError(`not host, host:port or [IPv6]:port: "${text}"`);
  // Port 0 is "any free port" when listening; as a destination it never occurs.
  if (split.port === 0) throw new HostPatternError(`port 0 in "${text}"`);
  const portSuffix = split.port === undefined ? '' : `:${split.port}`;
  if (split.ipv6) {
    const host = `[${split.host}]`;
    return fixed(`${host}${portSuffix}`, host, split.port);
  }
  const host = split.host.endsWith('.') ? split.host.slice(0, -1) : split.host;
  if (!isHostName(host, true)) throw new HostPatternError(`not a host name: "${text}"`);
  const source = `${host}${portSuffix}`;
  if (!host.includes('*')) return fixed(source, host, split.port);
  const labels = host.split('.');
  let last = -1;
  labels.forEach((label, i) => {
    if (label.includes('*')) last = i;
  });
  // At least two fixed labels after the last `*`: `*`, `api.*` or `*.com` would turn calls to
  // any domain into provider calls (github.com would be "openai"), and the matcher indexes
  // wildcard patterns by their fixed suffix. Whether those labels are a registrable domain
  // rather than a public suffix (co.uk) is checked where users' patterns come in (src/config).
  const fixedLabels = labels.slice(last + 1);
  if (fixedLabels.length < 2)
    throw new HostPatternError(`"${text}" needs a fixed domain of at least two labels after its last *`);
  const body = labels
    .map((label, i) => {
      if (label === '*') return i === 0 ? '((?:[^.]+\\.)*[^.]+)' : '([^.]+)';
      if (!WILDCARD_LABEL.test(label) && label.includes('*'))
        throw new HostPatternError(`a * stands for a whole label or one end of one: "${text}"`);
      return label.split('*').map(escapeRegex).join('([^.]*)');
    })
    .join('\\.');
  return {
    source,
    host,
    port: split.port,
    wildcard: true,
    fixedSuffix: `.${fixedLabels.join('.')}`,
    regex: new RegExp(`^${body}$`),
  };
}

function fixed(source: string, host: string, port: number | undefined): HostPattern {
  return { source, host, port, wildcard: false, fixedSuffix: '', regex: undefined };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `pattern` matches a request to `host` (lowercased, IPv6 bracketed) on `port`. */
export function patternMatches(pattern: HostPattern, host: string, port: number): boolean {
  if (pattern.port !== undefined && pattern.port !== port) return false;
  return pattern.regex === undefined ? pattern.host === host : pattern.regex.test(host);
}

/**
 * What a wildcard pattern's `*` matched in `host` (several, joined by `.`): the region of
 * `bedrock-runtime.*.amazonaws.com`, the resource of `*.openai.azure.com`. Undefined for a fixed
 * pattern or no match.
 */
export function wildcardPart(pattern: HostPattern, host: string): string | undefined {
  const match = pattern.regex?.exec(host);
  if (match === null || match === undefined || match.length < 2) return undefined;
  const parts = match.slice(1).filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? undefined : parts.join('.');
}
