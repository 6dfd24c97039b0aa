/**
 * The Prometheus template subset the annotations use, written and rendered in one place: the
 * rules carry the templates, the promtool tests the texts Prometheus must render from them.
 * Rendering follows Prometheus' template functions (`humanize`, `humanizePercentage`,
 * `humanizeDuration`: Go's `%.4g`), for the values the test scenarios produce.
 */

export const label = (name: string): string => `{{ $labels.${name} }}`;
export const ifLabel = (name: string, body: string): string => `{{ if $labels.${name} }}${body}{{ end }}`;

export const VALUE = {
  number: '{{ $value | humanize }}',
  percentage: '{{ $value | humanizePercentage }}',
  duration: '{{ $value | humanizeDuration }}',
} as const;

/** Go's `fmt.Sprintf("%.4g", v)` for finite values. */
export function goG4(v: number): string {
  if (v === 0) return '0';
  const [mantissa = '', exponentText = '0'] = v.toExponential(3).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 4) {
    const digits = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    return `${digits}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(Number(v.toPrecision(4)));
}

const SI_UP = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SI_DOWN = ['', 'm', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

function humanize(v: number): string {
  let x = v;
  let i = 0;
  if (Math.abs(x) >= 1) {
    while (Math.abs(x) >= 1000 && i < SI_UP.length - 1) {
      x /= 1000;
      i++;
    }
    return `${goG4(x)}${SI_UP[i]}`;
  }
  if (x === 0) return '0';
  while (Math.abs(x) < 1 && i < SI_DOWN.length - 1) {
    x *= 1000;
    i++;
  }
  return `${goG4(x)}${SI_DOWN[i]}`;
}

function humanizeDuration(v: number): string {
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const total = Math.trunc(Math.abs(v));
    const [s, m, h, d] = [
      total % 60,
      Math.trunc(total / 60) % 60,
      Math.trunc(total / 3600) % 24,
      Math.trunc(total / 86_400),
    ];
    if (d) return `${sign}${d}d ${h}h ${m}m ${s}s`;
    if (h) return `${sign}${h}h ${m}m ${s}s`;
    if (m) return `${sign}${m}m ${s}s`;
    return `${sign}${goG4(Math.abs(v))}s`;
  }
  let x = v;
  let i = 0;
  while (Math.abs(x) < 1 && i < SI_DOWN.length - 1) {
    x *= 1000;
    i++;
  }
  return `${goG4(x)}${SI_DOWN[i]}s`;
}

const FORMAT: Readonly<Record<string, (v: number) => string>> = {
  humanize,
  humanizePercentage: (v) => `${goG4(v * 100)}%`,
  humanizeDuration,
};

/** Renders a template for one alert's labels and value, as Prometheus would. */
export function renderTemplate(
  template: string,
  labels: Readonly<Record<string, string>>,
  value?: number,
): string {
  const rendered = template
    .replace(/\{\{ if \$labels\.(\w+) \}\}(.*?)\{\{ end \}\}/g, (_, key: string, body: string) =>
      labels[key] ? body : '',
    )
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, key: string) => labels[key] ?? '')
    .replace(/\{\{ \$value \| (\w+) \}\}/g, (_, fn: string) => {
      const format = FORMAT[fn];
      if (format === undefined || value === undefined)
        throw new Error(`cannot render ${fn} of ${String(value)} in: ${template}`);
      return format(value);
    });
  if (rendered.includes('{{')) throw new Error(`template form not rendered: ${template}`);
  return rendered;
}
