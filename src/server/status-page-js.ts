/**
 * The status page's script: keeps the server-rendered table live from `/health/events`.
 * Plain browser JavaScript, no build step, served as /assets/status.js; it builds nodes with
 * textContent only, so nothing from a provider's error message can become markup.
 */
export const STATUS_PAGE_JS = `'use strict';
(function () {
  var HOUR = 3600000;
  var body = document.body;
  var base = body.dataset.base || '';
  var providers = {};
  // Providers and their endpoints (name@key), each with its own circuit: one row each.
  var units = {};
  var events = [];
  var seen = {};
  var nextTrialAt = {};
  var fleet = null;
  var token = sessionStorage.getItem('provider-health-token') || '';
  var $ = function (id) { return document.getElementById(id); };
  var label = function (s) { return String(s).replace('_', '-'); };
  var pct = function (v) { return typeof v === 'number' ? (v * 100).toFixed(1) + '%' : '\\u2013'; };
  var ms = function (v) {
    return typeof v !== 'number' ? '\\u2013' : v < 1 ? Math.round(v * 1000) + ' ms' : v.toFixed(2) + ' s';
  };
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function toast(text) {
    var t = $('toast');
    t.textContent = text;
    t.className = 'show';
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.className = ''; }, 3500);
  }

  function segments(name, current, now) {
    var start = now - HOUR, out = [], from = start, state = null;
    var list = events.filter(function (e) {
      return e.type === 'transition' && e.provider === name && Date.parse(e.at) >= start;
    });
    state = list.length ? list[0].from : current;
    list.forEach(function (e) {
      out.push([state, from, Date.parse(e.at)]);
      from = Date.parse(e.at);
      state = e.to;
    });
    out.push([state, from, now]);
    return out.filter(function (s) { return s[2] > s[1] || s[0] !== 'closed'; });
  }
  function timeline(name, current, now) {
    var box = el('div', 'timeline');
    segments(name, current, now).forEach(function (s) {
      var span = el('span', s[0]);
      span.style.left = (((s[1] - now + HOUR) / HOUR) * 100).toFixed(2) + '%';
      span.style.width = Math.max(0.6, ((s[2] - s[1]) / HOUR) * 100).toFixed(2) + '%';
      span.title = label(s[0]) + ' from ' + new Date(s[1]).toLocaleTimeString([], { hour12: false });
      box.appendChild(span);
    });
    var cell = el('td');
    var axis = el('div', 'axis');
    ['-60m', '-30m', 'now'].forEach(function (t) { axis.appendChild(el('span', '', t)); });
    cell.appendChild(box);
    cell.appendChild(axis);
    return cell;
  }
  function countdown(name) {
    var at = nextTrialAt[name];
    if (!at || !units[name] || units[name].circuit_state !== 'open') return '\\u2013';
    var s = Math.max(0, Math.ceil((at - Date.now()) / 1000));
    return s < 60 ? s + ' s' : Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's';
  }
  function button(text, cls, action, name) {
    var b = el('button', cls, text);
    b.type = 'button';
    b.dataset.action = action;
    b.dataset.provider = name;
    b.disabled = action !== 'check' && !token;
    return b;
  }
  // This hour's normal under the current value, as the server renders it.
  function withNormal(cell, text) {
    if (text) cell.appendChild(el('span', 'normal', 'normal ' + text));
    return cell;
  }
  function row(name, now) {
    var p = units[name], m = p.metrics || {};
    var tr = el('tr', p.status + (p.endpoint ? ' endpoint' : ''));
    tr.dataset.provider = name;
    tr.appendChild(el('td', '', p.endpoint ? '\\u21b3 ' + p.endpoint + (p.region && p.region !== p.endpoint ? ' (' + p.region + ')' : '') : name));
    var status = el('td');
    status.appendChild(el('span', 'badge ' + p.status, p.status));
    status.appendChild(el('span', 'reasons', (p.reasons || []).join(', ')));
    tr.appendChild(status);
    var circuit = el('td');
    circuit.appendChild(el('span', 'badge ' + p.circuit_state, label(p.circuit_state)));
    tr.appendChild(circuit);
    var base = m.baseline;
    tr.appendChild(withNormal(el('td', 'num', pct(m.failure_rate)), base && pct(base.failure_rate)));
    tr.appendChild(el('td', 'num', ms(m.p95_response_time)));
    tr.appendChild(withNormal(el('td', 'num', ms(m.p95_time_to_first_byte)), base && ms(base.p95_time_to_first_byte)));
    tr.appendChild(el('td', 'num', m.total_requests || 0));
    var next = el('td', 'num next', countdown(name));
    tr.appendChild(next);
    tr.appendChild(timeline(name, p.circuit_state, now));
    var cell = el('td', 'actions');
    var actions = cell.appendChild(el('div'));
    actions.appendChild(button('Check', '', 'check', name));
    actions.appendChild(button('Reset', '', 'reset', name));
    actions.appendChild(button('Open', 'danger', 'open', name));
    tr.appendChild(cell);
    return tr;
  }
  function render() {
    var now = Date.now(), names = Object.keys(providers).sort();
    var tbody = $('providers');
    tbody.textContent = '';
    if (!names.length) {
      var empty = el('td', 'empty', 'No provider has been used yet.');
      empty.colSpan = 10;
      tbody.appendChild(el('tr')).appendChild(empty);
    }
    var counts = { available: 0, degraded: 0, unavailable: 0 };
    units = {};
    names.forEach(function (n) {
      units[n] = providers[n];
      counts[providers[n].status]++;
      tbody.appendChild(row(n, now));
      var endpoints = providers[n].endpoints || {};
      Object.keys(endpoints).sort().forEach(function (key) {
        var unit = Object.assign({}, endpoints[key], { endpoint: key });
        units[n + '@' + key] = unit;
        tbody.appendChild(row(n + '@' + key, now));
      });
    });
    var overall = names.every(function (n) { return providers[n].status === 'available'; }) ? 'healthy'
      : names.every(function (n) { return providers[n].status === 'unavailable'; }) ? 'unhealthy' : 'degraded';
    $('overall').className = 'overall ' + overall;
    $('overall').textContent = overall.toUpperCase();
    document.title = overall + ' \\u00b7 provider-health';
    $('counts').textContent = counts.available + ' available \\u00b7 ' + counts.degraded + ' degraded \\u00b7 ' +
      counts.unavailable + ' unavailable';
    renderEvents();
    renderFleet();
  }
  function renderFleet() {
    var box = $('fleet');
    if (!box || !fleet) return;
    $('fleet-name').textContent = fleet.name;
    var link = $('fleet-link');
    link.className = 'badge ' + (fleet.connected ? 'closed' : 'open');
    link.textContent = fleet.connected ? 'shared' : 'Redis unreachable: deciding alone';
    $('fleet-count').textContent = fleet.replicas_seen;
    var tbody = $('fleet-providers');
    tbody.textContent = '';
    var units = [];
    Object.keys(providers).sort().forEach(function (n) {
      units.push([n, providers[n].fleet]);
      var endpoints = providers[n].endpoints || {};
      Object.keys(endpoints).sort().forEach(function (k) { units.push([n + '@' + k, endpoints[k].fleet]); });
    });
    units.forEach(function (unit) {
      var n = unit[0];
      var f = unit[1];
      if (!f) return;
      var tr = el('tr');
      tr.dataset.provider = n;
      tr.appendChild(el('td', '', n));
      var state = el('td');
      state.appendChild(el('span', 'badge ' + f.state, label(f.state)));
      tr.appendChild(state);
      tr.appendChild(el('td', 'num', f.failures));
      var closed = f.state === 'closed';
      tr.appendChild(el('td', '', closed ? '\u2013' : f.opened_by || '\u2013'));
      tr.appendChild(el('td', '', closed ? '\u2013' : (f.reason || '') + (f.detail ? ': ' + f.detail : '')));
      tr.appendChild(el('td', 'num', f.trials_in_flight));
      tbody.appendChild(tr);
    });
    var list = $('fleet-replicas');
    list.textContent = '';
    fleet.replicas.forEach(function (r) {
      var li = el('li');
      li.appendChild(el('code', '', r.id));
      li.appendChild(el('span', 'meta', ' ' + Math.round(r.last_seen_ms_ago / 1000) + ' s ago'));
      list.appendChild(li);
    });
  }
  function renderEvents() {
    var list = $('events');
    list.textContent = '';
    var recent = events.filter(function (e) { return e.type === 'transition'; }).slice(-15).reverse();
    if (!recent.length) list.appendChild(el('li', 'empty', 'No transitions in the last hour.'));
    recent.forEach(function (e) {
      var li = el('li');
      li.appendChild(el('time', '', new Date(e.at).toLocaleTimeString([], { hour12: false })));
      li.appendChild(el('strong', '', e.provider));
      li.appendChild(el('span', '', label(e.from) + ' \\u2192 ' + label(e.to)));
      li.appendChild(el('span', '', e.reason + (e.detail ? ': ' + e.detail : '')));
      list.appendChild(li);
    });
  }
  function remember(e) {
    if (seen[e.id]) return false;
    seen[e.id] = true;
    events.push(e);
    var cutoff = Date.now() - HOUR;
    while (events.length > 2000 || (events.length && Date.parse(events[0].at) < cutoff)) delete seen[events.shift().id];
    return true;
  }
  function ensure(name) {
    return providers[name] || (providers[name] = { status: 'available', circuit_state: 'closed', reasons: [], metrics: {} });
  }
  function connected(live) {
    var conn = $('conn');
    conn.className = 'conn ' + (live ? 'live' : 'down');
    conn.textContent = live ? 'live' : 'reconnecting\\u2026';
  }

  var source = new EventSource(base + '/health/events?since=0');
  source.onopen = function () { connected(true); };
  source.onerror = function () { connected(false); };
  source.addEventListener('transition', function (m) {
    var e = JSON.parse(m.data);
    if (!remember(e)) return;
    var p = ensure(e.provider);
    p.circuit_state = e.to;
    if (e.to === 'open') nextTrialAt[e.provider] = e.next_trial_at ? Date.parse(e.next_trial_at) : 0;
    render();
  });
  source.addEventListener('status', function (m) {
    var e = JSON.parse(m.data);
    if (!remember(e)) return;
    var p = ensure(e.provider);
    p.status = e.status;
    p.reasons = e.reasons;
    render();
  });
  source.addEventListener('snapshot', function (m) {
    var s = JSON.parse(m.data), now = Date.now();
    providers = s.providers;
    Object.keys(providers).forEach(function (n) {
      var t = providers[n].next_trial_in;
      nextTrialAt[n] = typeof t === 'number' ? now + t * 1000 : 0;
    });
    fleet = s.fleet || null;
    connected(true);
    render();
  });
  setInterval(function () {
    document.querySelectorAll('#providers tr[data-provider]').forEach(function (tr) {
      tr.querySelector('.next').textContent = countdown(tr.dataset.provider);
    });
  }, 250);
  setInterval(render, 30000);

  function act(action, name) {
    var headers = { 'content-type': 'application/json' };
    if (action !== 'check') headers.authorization = 'Bearer ' + token;
    fetch(base + '/health/providers/' + encodeURIComponent(name) + '/' + action, {
      method: 'POST', headers: headers, body: '{}'
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) toast(name + ': ' + ((j.error && j.error.message) || r.status));
        else toast(name + ': ' + action + (action === 'check' ? ' \\u2192 ' + j.outcome + (j.cached ? ' (recent result)' : '') : ' done'));
      });
    }).catch(function () { toast(name + ': ' + action + ' failed'); });
  }
  $('providers').addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-action]');
    if (b) act(b.dataset.action, b.dataset.provider);
  });
  var form = $('admin');
  form.hidden = false;
  if (body.dataset.admin !== 'on') {
    $('token').disabled = true;
    $('token').placeholder = 'admin disabled';
    $('unlock').disabled = true;
    form.title = 'Set PROVIDER_HEALTH_ADMIN_TOKEN to enable reset and force-open';
  }
  $('token').value = token;
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    token = $('token').value.trim();
    if (token) sessionStorage.setItem('provider-health-token', token);
    else sessionStorage.removeItem('provider-health-token');
    toast(token ? 'admin actions unlocked' : 'admin token cleared');
    render();
  });
})();
`;
