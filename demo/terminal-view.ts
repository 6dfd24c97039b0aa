/**
 * What the demo shows: a live table of providers, redrawn in place on a terminal, and one
 * line per transition and scenario step. Without a TTY (CI, a pipe) it prints plain lines
 * only: the transitions, the steps, and a summary every few seconds.
 */
export interface ProviderRow {
  name: string;
  status: string;
  circuit: string;
  failureRate: number;
  p95Seconds: number | null;
  rejected: number;
  total: number;
  nextTrialIn: number | null;
}

export interface Traffic {
  openai: number;
  anthropic: number;
  chatFailed: number;
  summariesOk: number;
  summariesFailed: number;
  titlesOk: number;
  titlesFailed: number;
  falOk: number;
  falFailed: number;
  /** Where the last chat request was served. */
  chatRoute: 'openai' | 'anthropic' | 'none';
}

/** What the demo client counts, all zero: the client starts from it and the view shows it until the first report. */
export function emptyTraffic(): Traffic {
  return {
    openai: 0,
    anthropic: 0,
    chatFailed: 0,
    summariesOk: 0,
    summariesFailed: 0,
    titlesOk: 0,
    titlesFailed: 0,
    falOk: 0,
    falFailed: 0,
    chatRoute: 'none',
  };
}

const COLORS: Record<string, string> = {
  available: '\x1b[32m',
  closed: '\x1b[32m',
  degraded: '\x1b[33m',
  half_open: '\x1b[33m',
  unavailable: '\x1b[31m',
  open: '\x1b[31m',
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const MAX_LOG_LINES = 12;

export class TerminalView {
  private rows: ProviderRow[] = [];
  private traffic: Traffic = emptyTraffic();
  private readonly log: string[] = [];
  private lastSummary = 0;

  constructor(
    private readonly tty: boolean,
    private readonly header: string[],
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {
    if (!tty) for (const line of header) this.out.write(`${line}\n`);
  }

  setRows(rows: ProviderRow[]): void {
    this.rows = rows;
    this.render();
  }

  setTraffic(traffic: Traffic): void {
    this.traffic = traffic;
  }

  /** A transition or scenario step: kept in the on-screen log, or printed as one plain line. */
  event(line: string): void {
    const stamped = `${clock()} ${line}`;
    if (!this.tty) {
      this.out.write(`${stamped}\n`);
      return;
    }
    this.log.push(stamped);
    if (this.log.length > MAX_LOG_LINES) this.log.shift();
    this.render();
  }

  private render(): void {
    if (!this.tty) {
      const now = Date.now();
      if (now - this.lastSummary < 5000) return;
      this.lastSummary = now;
      const summary = this.rows.map((row) => `${row.name}=${row.status}/${row.circuit}`).join(' ');
      this.out.write(
        `${clock()} status ${summary} | chat openai=${this.traffic.openai} anthropic=${this.traffic.anthropic} failed=${this.traffic.chatFailed} | summaries ok=${this.traffic.summariesOk} failed=${this.traffic.summariesFailed} | titles ok=${this.traffic.titlesOk} failed=${this.traffic.titlesFailed}\n`,
      );
      return;
    }
    const lines = [
      ...this.header,
      '',
      this.table(),
      '',
      this.trafficLine(),
      '',
      `${BOLD}Events${RESET}`,
      ...this.log,
    ];
    this.out.write(`\x1b[H\x1b[2J${lines.join('\n')}\n`);
  }

  private table(): string {
    const head = [
      'provider',
      'status',
      'circuit',
      'fail rate',
      'p95',
      'answered locally',
      'requests',
      'next trial',
    ];
    const body = this.rows.map((row) => [
      row.name,
      row.status,
      row.circuit,
      `${(row.failureRate * 100).toFixed(0)}%`,
      row.p95Seconds === null ? '-' : `${Math.round(row.p95Seconds * 1000)} ms`,
      String(row.rejected),
      String(row.total),
      row.nextTrialIn === null ? '' : `${row.nextTrialIn.toFixed(0)} s`,
    ]);
    const widths = head.map((title, i) =>
      Math.max(title.length, ...body.map((cells) => (cells[i] as string).length)),
    );
    const format = (cells: string[], color = false): string =>
      cells
        .map((cell, i) => {
          const padded = cell.padEnd(widths[i] as number);
          const tint = color ? COLORS[cell] : undefined;
          return tint === undefined ? padded : `${tint}${padded}${RESET}`;
        })
        .join('  ');
    return [`${BOLD}${format(head)}${RESET}`, ...body.map((cells) => format(cells, true))].join('\n');
  }

  private trafficLine(): string {
    const t = this.traffic;
    return [
      `${DIM}chat (openai first, anthropic fallback):${RESET} served by openai ${t.openai}, anthropic ${t.anthropic}, failed ${t.chatFailed}; now on ${t.chatRoute}`,
      `${DIM}summaries (openai only):${RESET} ok ${t.summariesOk}, failed ${t.summariesFailed}    ${DIM}titles (anthropic only):${RESET} ok ${t.titlesOk}, failed ${t.titlesFailed}    ${DIM}images (fal.ai):${RESET} ok ${t.falOk}, failed ${t.falFailed}`,
    ].join('\n');
  }
}

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}
