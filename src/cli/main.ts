import type { CliCommand, CliIO } from './command.ts';
import { UsageError } from './command.ts';

/**
 * First word of a subcommand → the module (under src/) that exports its `commands`. Modules are loaded lazily so
 * that `hoso verify` pays neither for the HTTP server and database driver nor for the signing stack.
 */
const ROOM_OF: Record<string, string> = {
  serve: 'platform/cli.ts',
  migrate: 'platform/cli.ts',
  seed: 'platform/cli.ts',
  blobs: 'platform/cli.ts',
  user: 'identity/cli.ts',
  verify: 'signatures/cli.ts',
  sign: 'signatures/signing/cli-commands.ts',
  tsa: 'signatures/signing/cli-commands.ts',
  pki: 'signatures/signing/cli-commands.ts',
  calendar: 'calendar/cli.ts',
  catalog: 'catalog/cli.ts',
  audit: 'oversight/cli.ts',
};

async function loadRoom(modulePath: string): Promise<CliCommand[]> {
  const mod = (await import(`../${modulePath}`)) as { commands: CliCommand[] };
  return mod.commands;
}

async function allCommands(): Promise<CliCommand[]> {
  const rooms = [...new Set(Object.values(ROOM_OF))];
  const lists = await Promise.all(rooms.map((r) => loadRoom(r).catch(() => [] as CliCommand[])));
  return lists.flat();
}

function helpText(commands: CliCommand[]): string {
  const rows = commands
    .map((c) => [c.name.join(' '), c.summary] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
  const width = Math.max(...rows.map((r) => r[0].length), 8);
  return [
    'hoso — hồ sơ điện tử / electronic administrative dossiers',
    '',
    'Usage: hoso <command> [options]',
    '',
    'Commands:',
    ...rows.map(([n, s]) => `  ${n.padEnd(width)}  ${s}`),
    '',
    'Run `hoso <command> --help` for the options of one command.',
  ].join('\n');
}

const stdio: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

export async function main(argv: string[], io: CliIO = stdio): Promise<number> {
  const first = argv[0];
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    io.out(helpText(await allCommands()));
    return first ? 0 : 2;
  }
  const room = ROOM_OF[first];
  if (!room) {
    io.err(`hoso: unknown command "${first}". Run \`hoso --help\`.`);
    return 2;
  }
  const commands = await loadRoom(room);
  // Longest name that prefixes argv wins, so `calendar due` beats a hypothetical `calendar`.
  const match = commands
    .filter((c) => c.name.every((w, i) => argv[i] === w))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!match) {
    const family = commands.filter((c) => c.name[0] === first);
    io.err(`hoso: unknown command "${argv.slice(0, 2).join(' ')}".`);
    if (family.length) io.err(`Available: ${family.map((c) => c.name.join(' ')).join(', ')}`);
    return 2;
  }
  const rest = argv.slice(match.name.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(match.usage);
    return 0;
  }
  try {
    return await match.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`hoso ${match.name.join(' ')}: ${err.message}`);
      io.err(match.usage);
      return 2;
    }
    io.err(`hoso ${match.name.join(' ')}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
}
