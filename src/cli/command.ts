/** One `hoso` subcommand. Rooms export arrays of these from their own `cli.ts`; `main.ts` only dispatches. */
export interface CliCommand {
  /** Words that select the command, e.g. ['calendar', 'due'] for `hoso calendar due`. */
  name: string[];
  /** One line for `hoso --help`. */
  summary: string;
  /** Full usage text for `hoso <name> --help`. */
  usage: string;
  /** Runs the command; returns the process exit code (0 ok, 1 negative result, 2 usage or I/O error). */
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** Thrown for bad arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/**
 * Minimal, strict flag parser: `--name value`, `--name=value`, boolean `--flag`, repeatable flags and positionals.
 * Unknown flags are usage errors so that typos never silently change behaviour.
 */
export function parseFlags(
  argv: string[],
  spec: { string?: string[]; boolean?: string[]; multiple?: string[] },
): { flags: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  const strings = new Set([...(spec.string ?? []), ...(spec.multiple ?? [])]);
  const booleans = new Set(spec.boolean ?? []);
  const multiple = new Set(spec.multiple ?? []);
  const flags: Record<string, string | boolean | string[] | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (booleans.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else if (strings.has(name)) {
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        i++;
      }
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      if (multiple.has(name)) {
        const list = (flags[name] as string[] | undefined) ?? [];
        list.push(value);
        flags[name] = list;
      } else flags[name] = value;
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { flags, positionals };
}
