export interface DemoArgs {
  fast: boolean;
  /** Seconds to run before exiting 0; undefined runs until Ctrl-C. */
  duration: number | undefined;
}

export const USAGE = `usage: npm run demo -- [--fast] [--duration <seconds>]

  --fast                 play the outage scenario 4x faster (about 35 s)
  --duration <seconds>   stop after this many seconds and exit 0 (default: run until Ctrl-C)`;

/** Parses the demo's flags; throws with a message naming the bad flag. */
export function parseArgs(argv: readonly string[]): DemoArgs | 'help' {
  const args: DemoArgs = { fast: false, duration: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--fast') args.fast = true;
    else if (arg === '--duration' || arg?.startsWith('--duration=')) {
      const value = arg.includes('=') ? arg.slice('--duration='.length) : argv[++i];
      const seconds = Number(value);
      if (value === undefined || value === '' || !Number.isFinite(seconds) || seconds <= 0) {
        throw new Error(`--duration needs a number of seconds > 0, got ${JSON.stringify(value ?? '')}`);
      }
      args.duration = seconds;
    } else throw new Error(`unknown option ${JSON.stringify(arg)}`);
  }
  return args;
}
