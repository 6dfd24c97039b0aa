/** The status page's stylesheet: dark, dense, readable from across a desk on a second screen. */
export const STATUS_PAGE_CSS = `
:root {
  --bg: #0b0e14; --panel: #121722; --row: #151b27; --line: #232b3a; --text: #d7dde8; --muted: #8590a6;
  --ok: #3fb950; --warn: #e3a008; --bad: #f85149; --info: #58a6ff;
  color-scheme: dark;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
}
header {
  display: flex; align-items: center; gap: 18px; flex-wrap: wrap;
  padding: 14px 24px; background: var(--panel); border-bottom: 1px solid var(--line);
}
h1 { font-size: 17px; margin: 0; font-weight: 600; letter-spacing: .2px; }
h1 small { color: var(--muted); font-weight: 400; margin-left: 6px; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .8px; color: var(--muted); margin: 26px 0 10px; }
main { padding: 8px 24px 32px; }
.overall { font-weight: 700; font-size: 13px; letter-spacing: .8px; padding: 4px 12px; border-radius: 999px; }
.overall.healthy { background: rgba(63,185,80,.15); color: var(--ok); border: 1px solid rgba(63,185,80,.5); }
.overall.degraded { background: rgba(227,160,8,.15); color: var(--warn); border: 1px solid rgba(227,160,8,.5); }
.overall.unhealthy { background: rgba(248,81,73,.15); color: var(--bad); border: 1px solid rgba(248,81,73,.55); }
.counts, .meta { color: var(--muted); font-size: 13px; }
.spacer { flex: 1; }
.conn { display: inline-flex; align-items: center; gap: 6px; color: var(--muted); font-size: 13px; }
.conn::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
.conn.live::before { background: var(--ok); box-shadow: 0 0 0 3px rgba(63,185,80,.2); }
.conn.down::before { background: var(--bad); }
form.admin { display: flex; gap: 6px; align-items: center; }
input, button {
  font: inherit; font-size: 13px; color: var(--text); background: var(--bg);
  border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px;
}
button { cursor: pointer; background: #1b2331; }
button:hover:not(:disabled) { border-color: var(--info); }
button:disabled { opacity: .4; cursor: default; }
button.danger:hover:not(:disabled) { border-color: var(--bad); }
table { width: 100%; border-collapse: separate; border-spacing: 0 6px; margin-top: 10px; }
th {
  text-align: left; font-size: 12px; font-weight: 500; color: var(--muted);
  text-transform: uppercase; letter-spacing: .6px; padding: 6px 12px;
}
td { background: var(--row); padding: 11px 12px; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); white-space: nowrap; }
td:first-child { border-left: 3px solid var(--muted); border-radius: 6px 0 0 6px; font-weight: 600; font-size: 15px; }
td:last-child { border-right: 1px solid var(--line); border-radius: 0 6px 6px 0; }
tr.available td:first-child { border-left-color: var(--ok); }
tr.degraded td:first-child { border-left-color: var(--warn); }
tr.unavailable td:first-child { border-left-color: var(--bad); }
tr.endpoint td { font-size: 13px; }
tr.endpoint td:first-child { padding-left: 22px; font-weight: 500; color: var(--muted); }
td.num { font-variant-numeric: tabular-nums; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 2px 9px; border-radius: 4px; letter-spacing: .3px; }
.badge.available, .badge.closed { color: var(--ok); background: rgba(63,185,80,.12); }
.badge.degraded, .badge.half_open { color: var(--warn); background: rgba(227,160,8,.12); }
.badge.unavailable, .badge.open { color: var(--bad); background: rgba(248,81,73,.14); }
.reasons { display: block; color: var(--muted); font-size: 11px; margin-top: 2px; }
.normal { display: block; color: var(--muted); font-size: 11px; margin-top: 2px; font-family: system-ui, sans-serif; }
.timeline { position: relative; width: 280px; height: 18px; background: var(--bg); border-radius: 3px; overflow: hidden; }
.timeline span { position: absolute; top: 0; bottom: 0; }
.timeline .closed { background: rgba(63,185,80,.55); }
.timeline .half_open { background: var(--warn); }
.timeline .open { background: var(--bad); }
.axis { display: flex; justify-content: space-between; width: 280px; color: var(--muted); font-size: 10px; }
.actions div { display: flex; gap: 6px; }
ol.events { list-style: none; margin: 0; padding: 0; max-width: 980px; }
ol.events li {
  display: grid; grid-template-columns: 90px 150px 230px 1fr; gap: 12px; padding: 6px 12px;
  border-bottom: 1px solid var(--line); font-size: 13px;
}
ol.events time { color: var(--muted); font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.empty { color: var(--muted); padding: 18px 12px; }
table.fleet td:first-child { border-left-color: var(--info); }
ul.replicas { list-style: none; margin: 6px 0; padding: 0; columns: 2; font-size: 13px; }
details summary { color: var(--muted); cursor: pointer; font-size: 13px; margin-top: 8px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
#toast { position: fixed; right: 20px; bottom: 20px; padding: 10px 14px; border-radius: 6px; background: var(--panel); border: 1px solid var(--line); display: none; }
#toast.show { display: block; }
`;
