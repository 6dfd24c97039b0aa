/** The help text, built from the option, threshold and alert definitions so it cannot drift from them. */
import { ALERTS } from '../alerts/catalog.js';
import { durationSeconds, formatDuration } from '../config/durations.js';
import { DEFAULT_RUNBOOK_URL } from '../config/runbook-url.js';
import { acceptedRange, THRESHOLD_DEFINITIONS, THRESHOLD_NAMES } from '../config/thresholds.js';
import { DEFAULT_OUT } from '../render.js';

const pad = (text: string, width: number): string => text.padEnd(width);

/** Words of `text` in lines of at most `width` columns, each indented by `indent` spaces. */
function wrap(text: string, indent: number, width = 96): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.map((l) => `${' '.repeat(indent)}${l}`).join('\n');
}

function forRange(minFor: string | undefined, maxFor: string | undefined): string {
  const min = formatDuration(durationSeconds(minFor ?? '1m') ?? 60);
  const max = formatDuration(durationSeconds(maxFor ?? '1d') ?? 86_400);
  return `${min}-${max}`;
}

export function usage(): string {
  const thresholds = THRESHOLD_NAMES.map((name) => {
    const definition = THRESHOLD_DEFINITIONS[name];
    return `  ${name}=${definition.default}\n${wrap(`${definition.help}; ${acceptedRange(definition)}`, 6)}`;
  });
  const alerts = ALERTS.map(
    (a) =>
      `  ${pad(a.alert, 38)} ${pad(a.severity, 9)} ${pad(a.defaultFor, 5)} (${forRange(a.minFor, a.maxFor)})`,
  );
  return `Usage: provider-health <dashboards|alerts> [options]

  dashboards   write the Grafana dashboards (overview and provider drill-down)
  alerts       write the Prometheus recording and alerting rules, their promtool unit tests
               and an example Alertmanager configuration

Options:
  --naming builtin|otlp    metric names: builtin = the plugin's Prometheus exporter, scraped;
                           otlp = OTLP into Prometheus or a Collector (job = service.namespace/
                           service.name, instance = service.instance.id). Default: both, each
                           variant in its own files (-otlp)
  --selector MATCHERS      label matchers added to every query, e.g. 'job="checkout"' or
                           'job=~"checkout|search",namespace="prod"'; also enables the absence
                           alert for the services it names
  --runbook-url PATTERN    each alert's runbook_url; %s becomes the alert name in lower case
                           (default ${DEFAULT_RUNBOOK_URL})
  --threshold NAME=VALUE   an alert threshold (repeatable; names below)
  --for ALERT=DURATION     how long an alert's condition must hold before it fires (repeatable)
  --out DIR                where to write (default ./${DEFAULT_OUT.dashboards} or ./${DEFAULT_OUT.alerts})
  --config FILE            options from a JSON or YAML file with the same keys (naming, selector,
                           runbook-url, threshold and for as mappings, out relative to the file);
                           options on the command line win
  -h, --help               print this help

Thresholds (NAME=default):
${thresholds.join('\n')}

Alerts (severity, default for:, accepted for:):
${alerts.join('\n')}

Exit status: 0 files written, 1 a file could not be written, 2 a usage error.
`;
}
