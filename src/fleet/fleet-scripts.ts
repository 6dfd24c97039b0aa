import { LIMITS, NAME_PART_LUA, NAME_PART_MAX } from './limits.js';

/**
 * The fleet's Lua scripts (docs/fleet.md, "Scripts"). Each runs atomically on the node that owns
 * the fleet's hash tag, takes its time from Redis TIME, validates every argument, and on a change
 * increments the fleet's seq (the change's epoch) and publishes one message. They return JSON
 * that the client validates (fleet-wire.ts) like any other input from the network.
 *
 * KEYS: generation, seq, state, replicas, tick (fleet-keys.ts).
 * ARGV: fleet, channel, candidate generation, replica id, then the operation's own arguments.
 */

const PRELUDE = `
local K_GEN, K_SEQ, K_STATE, K_REPLICAS, K_TICK = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local function bad(what) error({err = 'ERR provider-health: invalid ' .. what}) end
local function str(i, max, pattern)
  local v = ARGV[i]
  if type(v) ~= 'string' or #v > max or (pattern and not string.find(v, pattern)) then bad('argument ' .. i) end
  return v
end
local function int(i, lo, hi)
  local v = tonumber(ARGV[i])
  if not v or v ~= v or v < lo or v > hi or math.floor(v) ~= v then bad('argument ' .. i) end
  return v
end
local fleet = str(1, 64, '^[A-Za-z0-9][A-Za-z0-9._-]*$')
local channel = str(2, 200, nil)
local candidate = str(3, 32, '^[0-9a-f]+$')
local replica = str(4, ${LIMITS.replicaIdChars}, '^[!-~]+$')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gen = redis.call('GET', K_GEN)
if not gen then
  gen = candidate
  redis.call('SET', K_GEN, gen)
end
local function name_part(s)
  return #s >= 1 and #s <= ${NAME_PART_MAX} and string.find(s, '${NAME_PART_LUA}') ~= nil
end
-- A provider (openai) or one of its endpoints (aws.bedrock@us-east-1).
local function valid_name(p)
  if #p > ${2 * NAME_PART_MAX + 1} then return false end
  local at = string.find(p, '@', 1, true)
  if not at then return name_part(p) end
  return name_part(string.sub(p, 1, at - 1)) and name_part(string.sub(p, at + 1))
end
local function provider_arg(i)
  local p = str(i, ${2 * NAME_PART_MAX + 1}, nil)
  if not valid_name(p) then bad('provider') end
  return p
end
local function num(v, default)
  if type(v) ~= 'number' or v ~= v then return default end
  return v
end
local function load(p)
  local raw = redis.call('HGET', K_STATE, p)
  if not raw then return nil end
  local ok, rec = pcall(cjson.decode, raw)
  if not ok or type(rec) ~= 'table' then return nil end
  if rec.s ~= 'open' and rec.s ~= 'half_open' and rec.s ~= 'closed' then return nil end
  rec.e = num(rec.e, 0)
  rec.f = num(rec.f, 0)
  rec.k = num(rec.k, 0)
  rec.r = num(rec.r, 0)
  rec.ls = num(rec.ls, 0)
  if type(rec.L) ~= 'table' then rec.L = {} end
  return rec
end
local function closed_record()
  return {s = 'closed', e = 0, f = 0, k = 0, r = 0, ls = 0, fo = false, L = {}}
end
local function view(p, rec)
  local live = 0
  for _, exp in pairs(rec.L) do
    if num(exp, 0) > now then live = live + 1 end
  end
  local retry = 0
  if rec.s == 'open' then
    if rec.r < 0 then retry = -1 else retry = math.max(0, rec.r - now) end
  end
  return {p = p, state = rec.s, epoch = rec.e, failures = rec.f, successes = rec.k, trials = live,
    retryInMs = retry, forced = rec.fo == true, openedBy = rec.ob, reason = rec.why, detail = rec.d, by = rec.by}
end
local function save(p, rec)
  if rec.s == 'closed' and rec.f == 0 then
    redis.call('HDEL', K_STATE, p)
    return
  end
  if redis.call('HEXISTS', K_STATE, p) == 0 and redis.call('HLEN', K_STATE) >= ${LIMITS.providers} then
    error({err = 'ERR provider-health: fleet holds ${LIMITS.providers} providers already'})
  end
  redis.call('HSET', K_STATE, p, cjson.encode(rec))
end
local function seq()
  return tonumber(redis.call('GET', K_SEQ) or '0') or 0
end
local function commit(p, rec, reason)
  rec.e = redis.call('INCR', K_SEQ)
  rec.why = reason
  rec.by = replica
  save(p, rec)
  redis.call('PUBLISH', channel, cjson.encode({v = 1, fleet = fleet, gen = gen, seq = rec.e, view = view(p, rec)}))
end
local function open(rec, ms, forced, by, reason, detail)
  rec.s = 'open'
  if ms < 0 then rec.r = -1 else rec.r = now + ms end
  rec.fo = forced
  rec.ob = by
  rec.d = detail
  rec.k = 0
  rec.f = 0
  rec.L = {}
  rec.why = reason
end
local function close(rec)
  rec.s = 'closed'
  rec.f = 0
  rec.k = 0
  rec.r = 0
  rec.fo = false
  rec.ob = nil
  rec.d = nil
  rec.L = {}
end
local function half_open(rec)
  rec.s = 'half_open'
  rec.k = 0
  rec.fo = false
  rec.L = {}
end
local function reply(result, p, rec, extra)
  local out = extra or {}
  out.gen = gen
  out.seq = seq()
  out.result = result
  if p then out.view = view(p, rec or closed_record()) end
  return cjson.encode(out)
end
local function detail_arg(i)
  local d = str(i, ${LIMITS.detailBytes}, nil)
  if d == '' then return nil end
  return d
end
`;

/** Failures and a success reset while closed, coalesced: ARGV p, reset, n, threshold, recoveryMs, minOpenMs, detail. */
const COUNT = `
local p = provider_arg(5)
local reset = int(6, 0, 1)
local n = int(7, 0, ${LIMITS.count})
local threshold = int(8, 1, ${LIMITS.count})
local recovery = int(9, 0, ${LIMITS.durationMs})
local min_open = int(10, 0, ${LIMITS.durationMs})
local detail = detail_arg(11)
local rec = load(p)
if rec and rec.s ~= 'closed' then return reply('ignored', p, rec) end
rec = rec or closed_record()
local before = rec.f
if reset == 1 then rec.f = 0 end
rec.f = rec.f + n
if rec.f >= threshold then
  open(rec, math.max(recovery, min_open), false, replica, 'failure_threshold', detail)
  commit(p, rec, 'failure_threshold')
  return reply('opened', p, rec)
end
if (before == 0) ~= (rec.f == 0) then
  local reason = 'failures_reset'
  if rec.f > 0 then reason = 'failures_counted' end
  commit(p, rec, reason)
  return reply('counted', p, rec)
end
if rec.f ~= before then save(p, rec) end
return reply('counted', p, rec)
`;

/** A trial lease: ARGV p, maxTrials, leaseMs. Moves open to half-open once retryAt has passed. */
const ACQUIRE = `
local p = provider_arg(5)
local max_trials = int(6, 1, ${LIMITS.maxTrials})
local lease_ms = int(7, 1, ${LIMITS.durationMs})
local rec = load(p)
if not rec or rec.s == 'closed' then return reply('closed', p, rec) end
if rec.s == 'open' then
  if rec.r < 0 then return reply('wait', p, rec, {retryInMs = -1}) end
  if now < rec.r then return reply('wait', p, rec, {retryInMs = rec.r - now}) end
  half_open(rec)
  commit(p, rec, 'recovery_timeout')
end
local live, kept, earliest = 0, 0, nil
for id, exp in pairs(rec.L) do
  exp = num(exp, 0)
  if exp + lease_ms <= now then
    rec.L[id] = nil
  else
    kept = kept + 1
    if exp > now then
      live = live + 1
      if not earliest or exp < earliest then earliest = exp end
    end
  end
end
-- A success's slot is not granted again: it counts toward closing, so a recovery runs at most
-- max_trials trials in all when they succeed (docs/fleet.md, "Leases").
if live + rec.k >= max_trials or kept >= ${LIMITS.leases} then
  save(p, rec)
  local wait = lease_ms
  if earliest then wait = earliest - now end
  return reply('busy', p, rec, {retryInMs = wait})
end
rec.ls = rec.ls + 1
local id = string.format('%d.%d', rec.e, rec.ls)
rec.L[id] = now + lease_ms
save(p, rec)
return reply('granted', p, rec, {lease = {id = id, ms = lease_ms}})
`;

/** A trial's outcome: ARGV p, lease generation, lease id, outcome, successThreshold, recoveryMs, minOpenMs, reason, detail. */
const SETTLE = `
local p = provider_arg(5)
local lease_gen = str(6, 32, '^[0-9a-f]+$')
local lease_id = str(7, 40, '^%d+%.%d+$')
local outcome = str(8, 10, nil)
if outcome ~= 'success' and outcome ~= 'failure' and outcome ~= 'ignored' then bad('outcome') end
local threshold = int(9, 1, ${LIMITS.maxTrials})
local recovery = int(10, 0, ${LIMITS.durationMs})
local min_open = int(11, 0, ${LIMITS.durationMs})
local reason = str(12, 20, nil)
if reason ~= 'half_open_failure' and reason ~= 'half_open_slow_call' and reason ~= 'trial_timeout' then
  bad('reason')
end
local detail = detail_arg(13)
local rec = load(p)
if lease_gen ~= gen or not rec or rec.s ~= 'half_open' or rec.L[lease_id] == nil then
  return reply('stale', p, rec)
end
rec.L[lease_id] = nil
if outcome == 'ignored' then
  save(p, rec)
  return reply('released', p, rec)
end
if outcome == 'success' then
  rec.k = rec.k + 1
  if rec.k >= threshold then
    close(rec)
    commit(p, rec, 'success_threshold')
    return reply('closed', p, rec)
  end
  save(p, rec)
  return reply('counted', p, rec)
end
open(rec, math.max(recovery, min_open), false, replica, reason, detail)
commit(p, rec, reason)
return reply('opened', p, rec)
`;

/**
 * Operator and recovery actions: ARGV p, action, durationMs (-1: no end), detail, then for
 * 'trip' the reason (an opening a replica's breaker made by a rule the fleet does not count: the
 * slow-call rule), for 'seed' the expected generation, forced (0/1) and the replica that first
 * opened it. A seed
 * restores an opening that a replica remembers into a store that lost its data: it applies only
 * in the generation the replica found and only where that generation has the provider closed.
 */
const CONTROL = `
local p = provider_arg(5)
local action = str(6, 20, nil)
local duration = int(7, -1, ${LIMITS.durationMs})
local detail = detail_arg(8)
local rec = load(p) or closed_record()
if action == 'reset' then
  close(rec)
  commit(p, rec, 'manual_reset')
  return reply('closed', p, rec)
elseif action == 'force_open' then
  open(rec, duration, true, replica, 'manual_open', detail)
  commit(p, rec, 'manual_open')
  return reply('opened', p, rec)
elseif action == 'trip' then
  local why = str(9, 20, nil)
  if why ~= 'slow_call_rate' then bad('reason') end
  if duration < 0 then bad('duration') end
  if rec.s ~= 'closed' then return reply('ignored', p, rec) end
  open(rec, duration, false, replica, why, detail)
  commit(p, rec, why)
  return reply('opened', p, rec)
elseif action == 'health_check' then
  if rec.s ~= 'open' or rec.fo then return reply('ignored', p, rec) end
  half_open(rec)
  commit(p, rec, 'health_check')
  return reply('half_open', p, rec)
elseif action == 'seed' then
  local expect_gen = str(9, 32, '^[0-9a-f]+$')
  local forced = int(10, 0, 1) == 1
  local opened_by = str(11, ${LIMITS.replicaIdChars}, '^[!-~]+$')
  if expect_gen ~= gen or rec.s ~= 'closed' then return reply('ignored', p, rec) end
  open(rec, duration, forced, opened_by, 'restored', detail)
  commit(p, rec, 'restored')
  return reply('opened', p, rec)
end
bad('action')
`;

/**
 * The fleet's state, optionally as this replica's heartbeat: ARGV heartbeat (0/1), replicaTtlMs,
 * tickMs. A heartbeat records the replica in the presence set, prunes it, and publishes one
 * fleet-wide tick per tickMs so that every replica can tell a live subscription from a dead one.
 */
const SNAPSHOT = `
local heartbeat = int(5, 0, 1) == 1
local ttl = int(6, 1, ${LIMITS.durationMs})
local tick_ms = int(7, 1, ${LIMITS.durationMs})
if heartbeat then
  redis.call('ZADD', K_REPLICAS, now, replica)
  redis.call('ZREMRANGEBYSCORE', K_REPLICAS, '-inf', now - ttl)
  local extra = redis.call('ZCARD', K_REPLICAS) - ${LIMITS.replicasKept}
  if extra > 0 then redis.call('ZREMRANGEBYRANK', K_REPLICAS, 0, extra - 1) end
  if redis.call('SET', K_TICK, '1', 'PX', tick_ms, 'NX') then
    redis.call('PUBLISH', channel, cjson.encode({v = 1, fleet = fleet, gen = gen, seq = seq(), tick = true}))
  end
end
local views = {}
local raw = redis.call('HGETALL', K_STATE)
for i = 1, #raw, 2 do
  local p = raw[i]
  if valid_name(p) then
    local rec = load(p)
    if rec then views[p] = view(p, rec) end
  end
end
local replicas = {}
local seen = redis.call('ZREVRANGE', K_REPLICAS, 0, ${LIMITS.replicasListed - 1}, 'WITHSCORES')
for i = 1, #seen, 2 do
  replicas[seen[i]] = math.max(0, now - (tonumber(seen[i + 1]) or now))
end
return reply('snapshot', nil, nil, {views = views, replicas = replicas,
  replicaCount = redis.call('ZCARD', K_REPLICAS)})
`;

export const FLEET_SCRIPTS = {
  count: PRELUDE + COUNT,
  acquire: PRELUDE + ACQUIRE,
  settle: PRELUDE + SETTLE,
  control: PRELUDE + CONTROL,
  snapshot: PRELUDE + SNAPSHOT,
} as const;

export type FleetScriptName = keyof typeof FLEET_SCRIPTS;
