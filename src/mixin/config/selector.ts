/**
 * `--selector`: extra label matchers (`job="checkout",namespace="prod"`) put on every series
 * selector of every rule, alert and panel. Parsed and checked here so that a typo is reported
 * by the CLI, not by Prometheus once the rules are loaded.
 */
import { ATTR, prometheusLabel } from '../../telemetry/metric-names.js';
import { badValue } from './usage-error.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export type Matcher = readonly [label: string, op: MatchOp, value: string];

const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const OP = /=~|!~|!=|=/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  '"': '"',
  "'": "'",
  '`': '`',
  n: '\n',
  t: '\t',
  r: '\r',
};

/**
 * Labels the rules and dashboards split series by, or that only the plugin sets: selecting on
 * them would change what an alert means rather than which service it watches.
 */
export const RESERVED_LABELS: readonly string[] = [
  'instance',
  'le',
  ...Object.values(ATTR).map(prometheusLabel),
  'otel_scope_name',
  'otel_scope_version',
];

const ACCEPTED =
  'label matchers such as job="checkout" or job=~"checkout|search",namespace="prod" ' +
  '(=, !=, =~, !~; values in double, single or back quotes)';

class SyntaxProblem extends Error {}

/** Where parsing stopped, for messages: the rest of the text. */
const at = (text: string, i: number): string =>
  i >= text.length ? 'at the end' : `at ${JSON.stringify(text.slice(i))}`;

function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  if (quote !== '"' && quote !== "'" && quote !== '`')
    throw new SyntaxProblem(`a quoted value ${at(text, start)}`);
  let value = '';
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    const c = text[i] ?? '';
    if (c === '\\' && quote !== '`') {
      const next = text[i + 1] ?? '';
      const escaped = ESCAPES[next];
      if (escaped === undefined)
        throw new SyntaxProblem(`a known escape (\\\\, \\", \\n, \\t) ${at(text, i)}`);
      value += escaped;
      i += 2;
    } else {
      value += c;
      i += 1;
    }
  }
  if (i >= text.length) throw new SyntaxProblem(`a closing ${quote}`);
  return { value, end: i + 1 };
}

function skipSpaces(text: string, i: number): number {
  let j = i;
  while (/\s/.test(text[j] ?? '')) j++;
  return j;
}

function parseMatchers(body: string): Matcher[] {
  const matchers: Matcher[] = [];
  let i = skipSpaces(body, 0);
  while (i < body.length) {
    LABEL.lastIndex = i;
    const label = LABEL.exec(body)?.[0];
    if (!label) throw new SyntaxProblem(`a label name ${at(body, i)}`);
    i = skipSpaces(body, i + label.length);
    OP.lastIndex = i;
    const op = OP.exec(body)?.[0] as MatchOp | undefined;
    if (!op) throw new SyntaxProblem(`=, !=, =~ or !~ after ${label}`);
    i = skipSpaces(body, i + op.length);
    const { value, end } = readString(body, i);
    matchers.push([label, op, value]);
    i = skipSpaces(body, end);
    if (i < body.length) {
      if (body[i] !== ',') throw new SyntaxProblem(`a comma ${at(body, i)}`);
      i = skipSpaces(body, i + 1);
    }
  }
  return matchers;
}

/** Parses `a="b",c=~"d"` (braces optional). Throws a UsageError naming `option` and the value. */
export function parseSelector(option: string, value: unknown): Matcher[] {
  if (typeof value !== 'string') throw badValue(option, value, ACCEPTED);
  let body = value.trim();
  if (body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1);
  let matchers: Matcher[];
  try {
    matchers = parseMatchers(body);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    throw badValue(option, value, `expected ${error.message}; accepted: ${ACCEPTED}`);
  }
  if (matchers.length === 0) throw badValue(option, value, `no matcher; accepted: ${ACCEPTED}`);
  for (const [label] of matchers) {
    if (label.startsWith('__'))
      throw badValue(option, value, `${label} is reserved by Prometheus; accepted: ${ACCEPTED}`);
    if (RESERVED_LABELS.includes(label))
      throw badValue(
        option,
        value,
        `${label} is a label the rules split by or the plugin sets; select the service with job or a label your relabelling adds (namespace, cluster, …)`,
      );
  }
  return matchers;
}

/** `job="checkout",namespace="prod"`: the canonical text of matchers, as PromQL reads it. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  return matchers.map(([label, op, value]) => `${label}${op}${JSON.stringify(value)}`).join(',');
}

/** Label names of a selector other than `job`, in order: they join `job` wherever rules group by it. */
export function extraIdentityLabels(matchers: readonly Matcher[]): string[] {
  return [...new Set(matchers.map(([label]) => label))].filter((label) => label !== 'job');
}
