import { OUTCOME_INDEX, OUTCOMES, type Outcome } from '../outcome/outcome.js';
import { binOf, LatencySketch } from './latency-sketch.js';
import { RatelimitHeadroom } from './ratelimit-headroom.js';
import { RecentWindow } from './recent-window.js';
import { TimeSlots } from './time-slots.js';

const CANCELED = OUTCOME_INDEX.canceled;
const REJECTED = OUTCOME_INDEX.rejected;
const BUDGET_EXCEEDED = OUTCOME_INDEX.budget_exceeded;
const SUCCESS = OUTCOME_INDEX.success;
const RATE_LIMITED = OUTCOME_INDEX.rate_limited;

interface StatusCell {
  count: number;
}

/** What a finished request tells the stats (the gate's observation is one). */
export interface RecordedTiming {
  /** When it ended, on the provider's monotonic clock. */
  readonly endedAt: number;
  /** Negative when unknown, or for outcomes that never reached the provider. */
  readonly durationMs: number;
  /** Time to the response headers; negative when none arrived. */
  readonly ttfbMs: number;
  readonly statusCode: number;
  readonly reason: string | undefined;
}

/**
 * Everything measured about one provider, in fixed memory: lifetime counts per outcome and
 * status, a recent window (since the circuit last closed), recent response times, the last
 * success and failure, and the rate-limit headroom. Times are on the provider's monotonic clock.
 * Recording a success touches a handful of numbers and allocates nothing.
 */
export class ProviderStats {
  readonly outcomeCounts = new Float64Array(OUTCOMES.length);
  /**
   * Lifetime counts by outcome and HTTP status, keyed `outcomeIndex * 1000 + status` (status 0:
   * none), read by the requests counter at collection time. The last key is remembered, so a run
   * of identical answers (200 after 200) costs one comparison and one increment.
   */
  private readonly statusCells = new Map<number, StatusCell>();
  private lastStatusKey = -1;
  private lastStatusCell: StatusCell = { count: 0 };
  total = 0;
  failed = 0;
  consecutiveFailures = 0;
  consecutiveSuccesses = 0;
  // NaN until the first one: a number from the start keeps these fields unboxed doubles, so
  // writing one on every request allocates nothing.
  lastSuccessAt = Number.NaN;
  lastFailureAt = Number.NaN;
  lastFailureReason: string | undefined;
  /** Until when (monotonic ms) the provider asked us to wait (retry-after on a 429). */
  rateLimitedUntil = Number.NEGATIVE_INFINITY;
  durationSumMs = 0;
  durationCount = 0;
  readonly latencies: LatencySketch;
  /** Times to first byte over the same window: what "a normal wait for headers" is right now. */
  readonly ttfbs: LatencySketch;
  readonly recent: RecentWindow;
  readonly ratelimits = new RatelimitHeadroom();
  /** The window's time slots, shared by the window and both sketches (read by the baseline sampler). */
  readonly slots: TimeSlots;

  constructor(windowMs: number) {
    this.slots = new TimeSlots(windowMs);
    this.recent = new RecentWindow(this.slots);
    this.latencies = new LatencySketch(this.slots);
    this.ttfbs = new LatencySketch(this.slots);
  }

  /**
   * @param outcomeIndex `OUTCOME_INDEX` of the outcome
   * @param failed whether this outcome counts as a failure for this provider (its trip rules)
   *
   * Times are read from `request` here rather than passed in: V8 boxes a fractional number passed
   * to a call it does not inline, and this runs once per request.
   */
  record(outcomeIndex: number, failed: boolean, request: RecordedTiming): void {
    const statusCode = request.statusCode;
    this.outcomeCounts[outcomeIndex] = (this.outcomeCounts[outcomeIndex] as number) + 1;
    const key = outcomeIndex * 1000 + (statusCode > 0 && statusCode < 1000 ? statusCode : 0);
    if (key !== this.lastStatusKey) this.switchStatusKey(key);
    this.lastStatusCell.count++;
    this.total++;
    if (outcomeIndex === REJECTED || outcomeIndex === CANCELED || outcomeIndex === BUDGET_EXCEEDED) return;
    const now = request.endedAt;
    const slots = this.slots;
    const slot = now >= slots.currentStart && now < slots.currentEnd ? slots.current : slots.slotFor(now);
    const durationMs = request.durationMs;
    if (durationMs >= 0) {
      this.durationSumMs += durationMs;
      this.durationCount++;
      this.latencies.recordBin(slot, binOf(durationMs));
    }
    const ttfbMs = request.ttfbMs;
    if (ttfbMs >= 0) this.ttfbs.recordBin(slot, binOf(ttfbMs));
    this.recent.recordIn(slot, failed, outcomeIndex === RATE_LIMITED);
    if (outcomeIndex === SUCCESS) {
      this.consecutiveFailures = 0;
      this.consecutiveSuccesses++;
      this.lastSuccessAt = now;
      return;
    }
    // Like the breaker: only outcomes that count as failures for this provider advance the count
    // and are "the last failure"; a 400 or a 401 neither advances nor resets it.
    if (!failed) return;
    this.failed++;
    this.consecutiveSuccesses = 0;
    this.consecutiveFailures++;
    this.lastFailureAt = now;
    this.lastFailureReason = request.reason ?? OUTCOMES[outcomeIndex];
  }

  /** Visits the lifetime count of every `outcomeIndex * 1000 + status` key seen. */
  forEachStatusCount(visit: (key: number, count: number) => void): void {
    for (const [key, cell] of this.statusCells) visit(key, cell.count);
  }

  noteRetryAfter(until: number): void {
    if (until > this.rateLimitedUntil) this.rateLimitedUntil = until;
  }

  /** Requests that reached the provider or failed trying: not answered locally, not canceled. */
  get counted(): number {
    return this.total - this.answeredLocally - this.count('canceled');
  }

  /** Requests the plugin answered itself: an open circuit, or a spent budget. */
  get answeredLocally(): number {
    return this.count('rejected') + this.count('budget_exceeded');
  }

  count(outcome: Outcome): number {
    return this.outcomeCounts[OUTCOME_INDEX[outcome]] as number;
  }

  /** Called when a circuit closes: what happened before the outage no longer says anything. */
  clearRecent(): void {
    this.slots.clear();
  }

  private switchStatusKey(key: number): void {
    let cell = this.statusCells.get(key);
    if (cell === undefined) {
      cell = { count: 0 };
      this.statusCells.set(key, cell);
    }
    this.lastStatusKey = key;
    this.lastStatusCell = cell;
  }
}
