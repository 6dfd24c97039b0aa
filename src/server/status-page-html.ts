import type { EndpointJson, ProviderJson, ProvidersView } from './health-json.js';
import { countdown, escapeHtml as e, label, millis, percent } from './html.js';
import type { LiveEvent } from './live-event.js';
import { timelineSegments } from './timeline.js';

export interface StatusPageInput {
  view: ProvidersView;
  events: readonly LiveEvent[];
  /** Mount prefix for every URL the page uses. */
  prefix: string;
  adminEnabled: boolean;
  now: number;
}

/**
 * The status page, rendered in full on the server so that it is a readable table without
 * JavaScript; the script then keeps the same markup live from the event stream.
 */
export function renderStatusPage(input: StatusPageInput): string {
  const { view, prefix } = input;
  const names = Object.keys(view.providers);
  const counts = countStatuses(view);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(view.status)} · provider-health</title>
<link rel="stylesheet" href="${e(prefix)}/assets/status.css">
<script src="${e(prefix)}/assets/status.js" defer></script>
</head>
<body data-base="${e(prefix)}" data-admin="${input.adminEnabled ? 'on' : 'off'}">
<header>
  <h1>provider-health<small>AI provider circuits</small></h1>
  <span id="overall" class="overall ${e(view.status)}">${e(view.status.toUpperCase())}</span>
  <span id="counts" class="counts">${counts}</span>
  <span class="spacer"></span>
  <span id="conn" class="conn">static · updated <time id="updated">${e(view.timestamp.slice(11, 19))}Z</time></span>
  <form id="admin" class="admin" hidden>
    <input id="token" type="password" placeholder="admin token" autocomplete="off" aria-label="admin token">
    <button id="unlock" type="submit">Unlock</button>
  </form>
</header>
<main>
<table>
<thead><tr><th>Provider</th><th>Status</th><th>Circuit</th><th>Failure rate</th><th>p95</th><th>First byte p95</th><th>Requests</th><th>Next trial</th><th>Last hour</th><th>Actions</th></tr></thead>
<tbody id="providers">
${names.length === 0 ? '<tr><td colspan="10" class="empty">No provider has been used yet.</td></tr>' : names.map((name) => row(name, input)).join('\n')}
</tbody>
</table>
${view.fleet === undefined ? '' : fleetSection(view)}
<h2>Recent transitions</h2>
<ol id="events" class="events">${recentTransitions(input.events)}</ol>
</main>
<div id="toast" role="status"></div>
</body></html>
`;
}

/** A provider's row, then one row per endpoint (each has its own circuit). */
function row(name: string, input: StatusPageInput): string {
  const p = input.view.providers[name];
  if (p === undefined) return '';
  const endpoints = Object.keys(p.endpoints)
    .sort()
    .map((key) => {
      const endpoint = p.endpoints[key] as EndpointJson;
      const where = endpoint.region !== null && endpoint.region !== key ? ` (${endpoint.region})` : '';
      return unitRow(`${name}@${key}`, `↳ ${key}${where}`, endpoint, input, true);
    });
  return [unitRow(name, name, p, input, false), ...endpoints].join('\n');
}

function unitRow(
  name: string,
  title: string,
  p: Omit<ProviderJson, 'endpoints'>,
  input: StatusPageInput,
  endpoint: boolean,
): string {
  const metrics = p.metrics;
  const baseline = metrics.baseline;
  const status = p.status;
  const circuit = p.circuit_state;
  const reasons = p.reasons.join(', ');
  const next = p.next_trial_in === null ? '–' : countdown(p.next_trial_in);
  const segments = timelineSegments(input.events, name, circuit, input.now)
    .map(
      (s) =>
        `<span class="${e(s.state)}" style="left:${s.left.toFixed(2)}%;width:${s.width.toFixed(2)}%" title="${e(label(s.state))}"></span>`,
    )
    .join('');
  return `<tr class="${e(status)}${endpoint ? ' endpoint' : ''}" data-provider="${e(name)}">
<td>${e(title)}</td>
<td><span class="badge ${e(status)}">${e(status)}</span><span class="reasons">${e(reasons)}</span></td>
<td><span class="badge ${e(circuit)}">${e(label(circuit))}</span></td>
<td class="num">${percent(metrics.failure_rate)}${normal(baseline === null ? undefined : percent(baseline.failure_rate))}</td>
<td class="num">${millis(metrics.p95_response_time)}</td>
<td class="num">${millis(metrics.p95_time_to_first_byte)}${normal(baseline === null ? undefined : millis(baseline.p95_time_to_first_byte))}</td>
<td class="num">${e(metrics.total_requests)}</td>
<td class="num">${e(next)}</td>
<td><div class="timeline">${segments}</div><div class="axis"><span>-60m</span><span>-30m</span><span>now</span></div></td>
<td class="actions">–</td>
</tr>`;
}

/**
 * The fleet (docs/design.md, "Fleet"): whether this replica shares its breakers, the replicas seen,
 * and per provider the fleet-wide circuit, who tripped it and why, and the trials in flight.
 */
function fleetSection(view: ProvidersView): string {
  const fleet = view.fleet;
  if (fleet === undefined) return '';
  const link = fleet.connected ? 'shared' : 'Redis unreachable: deciding alone';
  const units = Object.values(view.providers).flatMap((p) => [
    p,
    ...Object.keys(p.endpoints)
      .sort()
      .map((key) => p.endpoints[key] as EndpointJson),
  ]);
  const rows = units.map((p) => {
    const f = p.fleet;
    if (f === undefined) return '';
    const tripped = f.state === 'closed' ? '–' : (f.opened_by ?? '–');
    const why = f.state === 'closed' ? '–' : `${f.reason ?? ''}${f.detail === null ? '' : `: ${f.detail}`}`;
    return `<tr data-provider="${e(p.name)}"><td>${e(p.name)}</td><td><span class="badge ${e(f.state)}">${e(label(f.state))}</span></td><td class="num">${e(f.failures)}</td><td>${e(tripped)}</td><td>${e(why)}</td><td class="num">${e(f.trials_in_flight)}</td></tr>`;
  });
  const replicas = fleet.replicas
    .map(
      (r) =>
        `<li><code>${e(r.id)}</code> <span class="meta">${e(Math.round(r.last_seen_ms_ago / 1000))} s ago</span></li>`,
    )
    .join('');
  return `<h2>Fleet</h2>
<div id="fleet">
<p class="meta">fleet <strong id="fleet-name">${e(fleet.name)}</strong> · this replica <code>${e(fleet.replica)}</code> · <span id="fleet-link" class="badge ${fleet.connected ? 'closed' : 'open'}">${e(link)}</span> · <span id="fleet-count">${e(fleet.replicas_seen)}</span> replicas seen</p>
<table class="fleet">
<thead><tr><th>Provider</th><th>Fleet circuit</th><th>Failures</th><th>Tripped by</th><th>Why</th><th>Trials in flight</th></tr></thead>
<tbody id="fleet-providers">${rows.join('\n')}</tbody>
</table>
<details><summary>Replicas seen</summary><ul id="fleet-replicas" class="replicas">${replicas}</ul></details>
</div>`;
}

/** This hour's normal under the current value (docs/design.md, "Baselines and early warning"). */
function normal(text: string | undefined): string {
  return text === undefined ? '' : `<span class="normal">normal ${e(text)}</span>`;
}

function recentTransitions(events: readonly LiveEvent[]): string {
  const items = events
    .filter((event) => event.type === 'transition')
    .slice(-15)
    .reverse()
    .map((event) =>
      event.type === 'transition'
        ? `<li><time>${e(event.at.slice(11, 19))}</time><strong>${e(event.provider)}</strong><span>${e(label(event.from))} → ${e(label(event.to))}</span><span>${e(event.reason)}${event.detail === undefined ? '' : `: ${e(event.detail)}`}</span></li>`
        : '',
    );
  return items.length === 0 ? '<li class="empty">No transitions in the last hour.</li>' : items.join('');
}

function countStatuses(view: ProvidersView): string {
  const counts = { available: 0, degraded: 0, unavailable: 0 };
  for (const p of Object.values(view.providers)) counts[p.status]++;
  return `${counts.available} available · ${counts.degraded} degraded · ${counts.unavailable} unavailable`;
}
