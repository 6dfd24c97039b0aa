/**
 * A small PromQL scanner: finds every series selector in an expression with its metric name
 * and label matchers. It skips strings, durations, numbers, functions, keywords and the label
 * lists of `by`, `without`, `on`, `ignoring`, `group_left` and `group_right`. promtool proves
 * the expressions parse; this only needs to be right about names, which its own tests check.
 */

export interface LabelMatcher {
  label: string;
  op: string;
  value: string;
}

export interface Selector {
  /** The metric name before the braces, if any. */
  name?: string;
  matchers: LabelMatcher[];
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);
/** Aggregations may be followed by `by (...)` before their parenthesis. */
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);
const LABEL_LIST = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const IDENT = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
/** Numbers and durations: `0.95`, `1e-9`, `5m`, `1h30m`. */
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:[a-zA-Z]+\d*)*/y;

function skipString(expr: string, start: number): number {
  const quote = expr[start];
  let i = start + 1;
  while (i < expr.length && expr[i] !== quote) i += expr[i] === '\\' ? 2 : 1;
  return i + 1;
}

function readString(expr: string, start: number): string {
  return JSON.parse(
    `"${expr.slice(start + 1, skipString(expr, start) - 1).replaceAll('"', '\\"')}"`,
  ) as string;
}

function parseMatchers(expr: string, open: number): { matchers: LabelMatcher[]; end: number } {
  const matchers: LabelMatcher[] = [];
  let i = open + 1;
  for (;;) {
    while (/[\s,]/.test(expr[i] ?? '')) i++;
    if (expr[i] === '}') return { matchers, end: i + 1 };
    IDENT.lastIndex = i;
    const label = IDENT.exec(expr)?.[0];
    if (!label) throw new Error(`bad matcher at ${i} in ${expr}`);
    i += label.length;
    while (expr[i] === ' ') i++;
    const op = /^(=~|!~|!=|=)/.exec(expr.slice(i))?.[0];
    if (!op) throw new Error(`bad operator at ${i} in ${expr}`);
    i += op.length;
    while (expr[i] === ' ') i++;
    matchers.push({ label, op, value: readString(expr, i) });
    i = skipString(expr, i);
  }
}

export function selectors(expr: string): Selector[] {
  const found: Selector[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] ?? '';
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
    } else if (c === '[') {
      i = expr.indexOf(']', i) + 1;
    } else if (c === '{') {
      const { matchers, end } = parseMatchers(expr, i);
      found.push({ matchers });
      i = end;
    } else if (/[0-9.]/.test(c)) {
      NUMBER.lastIndex = i;
      i += Math.max(1, NUMBER.exec(expr)?.[0].length ?? 1);
    } else if (/[a-zA-Z_:]/.test(c)) {
      IDENT.lastIndex = i;
      const word = IDENT.exec(expr)?.[0] ?? '';
      i += word.length;
      let j = i;
      while (expr[j] === ' ') j++;
      if (LABEL_LIST.has(word)) {
        if (expr[j] === '(') i = expr.indexOf(')', j) + 1;
      } else if (KEYWORDS.has(word) || AGGREGATIONS.has(word) || expr[j] === '(') {
        // a keyword, or a function / aggregation name
      } else if (expr[j] === '{') {
        const { matchers, end } = parseMatchers(expr, j);
        found.push({ name: word, matchers });
        i = end;
      } else {
        found.push({ name: word, matchers: [] });
      }
    } else {
      i++;
    }
  }
  return found;
}

/** Metric names a selector can match: its name, or the alternatives of a `__name__` matcher. */
export function namesOf(selector: Selector): string[] {
  if (selector.name) return [selector.name];
  const byName = selector.matchers.find((m) => m.label === '__name__');
  if (!byName) return [];
  if (byName.op === '=') return [byName.value];
  if (byName.op === '=~' && /^[a-zA-Z0-9_:|]+$/.test(byName.value)) return byName.value.split('|');
  throw new Error(`cannot enumerate __name__${byName.op}"${byName.value}"`);
}

export function metricNames(expr: string): string[] {
  return [...new Set(selectors(expr).flatMap(namesOf))].sort();
}
