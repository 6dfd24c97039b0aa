/**
 * Label values for the promtool tests' input series that the user's selector matches: the
 * generated tests feed the generated rules, so their series must pass the same matchers.
 */

import { formatMatchers, type Matcher } from '../config/selector.js';
import { badValue } from '../config/usage-error.js';
import type { Mixin } from '../mixin.js';

/** A type, not an interface, so that it spreads into label records. */
export type Labels = Record<string, string>;

export interface TestTargets {
  /** The service labels every test series carries: `job` and the selector's other labels. */
  service: Labels;
  /** One instance of the service: a scrape target, or an OTLP replica. */
  at(instance: string): Labels;
  /** The labels `absent()` of the selector returns: those of its equality matchers. */
  absentLabels: Labels;
}

const DEFAULT_JOB = 'checkout';
const FALLBACK = 'mixin-test';

/** Compiles a PromQL (RE2) regex as JavaScript, anchored as PromQL anchors it; undefined if JS cannot. */
function anchored(regex: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${regex})$`, 'u');
  } catch {
    return undefined;
  }
}

/** The literal alternatives of a regex such as `checkout|search`. */
function literalAlternatives(regex: string): string[] {
  return regex.split('|').filter((part) => part !== '' && !/[\\^$.*+?()[\]{}|]/.test(part));
}

function matches(value: string, [, op, operand]: Matcher): boolean | undefined {
  if (op === '=') return value === operand;
  if (op === '!=') return value !== operand;
  const regex = anchored(operand);
  if (regex === undefined) return undefined;
  return op === '=~' ? regex.test(value) : !regex.test(value);
}

function sampleValue(label: string, matchers: readonly Matcher[], selectorText: string): string {
  const candidates = [
    ...matchers.flatMap(([, op, value]) =>
      op === '=' ? [value] : op === '=~' ? literalAlternatives(value) : [],
    ),
    ...(label === 'job' ? [DEFAULT_JOB] : []),
    FALLBACK,
  ];
  for (const candidate of candidates) {
    if (candidate === '') continue;
    // A regex JavaScript cannot read (RE2's (?i), \pN…) is trusted only for its literal alternatives.
    const verdicts = matchers.map(
      (m) => matches(candidate, m) ?? (m[1] === '=~' ? literalAlternatives(m[2]).includes(candidate) : false),
    );
    if (verdicts.every(Boolean)) return candidate;
  }
  throw badValue(
    '--selector',
    selectorText,
    `no value of ${label} to put in the promtool tests matches it; use = or a regex with a literal alternative (job=~"checkout|search")`,
  );
}

export function testTargets(m: Mixin): TestTargets {
  const selectorText = formatMatchers(m.selector);
  const byLabel = new Map<string, Matcher[]>();
  for (const matcher of m.selector) byLabel.set(matcher[0], [...(byLabel.get(matcher[0]) ?? []), matcher]);
  const service: Labels = { job: sampleValue('job', byLabel.get('job') ?? [], selectorText) };
  for (const label of m.service)
    if (label !== 'job') service[label] = sampleValue(label, byLabel.get(label) ?? [], selectorText);
  const absentLabels: Labels = {};
  for (const [label, op, value] of m.selector) if (op === '=') absentLabels[label] = value;
  return {
    service,
    at: (instance) => ({ ...service, instance: `${instance}:9464` }),
    absentLabels,
  };
}
