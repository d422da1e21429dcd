import { readFile, writeFile } from 'node:fs/promises';
import pino from 'pino';
import type { CliCommand, CliIO } from '../cli/command.ts';
import { parseFlags, UsageError } from '../cli/command.ts';
import { openBlobStore } from '../platform/blobs/index.ts';
import { loadConfig } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import { openMigratedDb } from '../platform/database.ts';
import { AppError } from '../platform/http/problem.ts';
import type { CatalogIssue } from './rules.ts';
import { catalogJsonSchema } from './schema.ts';
import { exportCatalog, importCatalog } from './service.ts';

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { db } = await openMigratedDb(config);
  try {
    return await fn({ config, db, blobs: openBlobStore(config), log: pino({ level: 'warn' }), now: () => new Date() });
  } finally {
    await db.close();
  }
}

function onePath(argv: string[]): { file: string; json: boolean } {
  const { flags, positionals } = parseFlags(argv, { boolean: ['json'] });
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `unexpected argument ${positionals[1]}` : 'FILE is required');
  return { file: positionals[0]!, json: Boolean(flags.json) };
}

function printIssues(io: CliIO, issues: CatalogIssue[]): void {
  io.err(`the catalog file has ${issues.length} problem(s); nothing was changed:`);
  for (const i of issues) io.err(`  ${i.path}: ${i.reason}`);
}

const importCommand: CliCommand = {
  name: ['catalog', 'import'],
  summary: 'Import a catalog JSON file (agencies, procedures, components, internal processes) in one transaction',
  usage: `Usage: hoso catalog import FILE [--json]

Imports a catalog file (format: docs/catalog.md, JSON Schema: docs/catalog.schema.json) into the configured
database: agencies by e-ID code, procedures by key, components by key (components missing from the file are
retired), a new internal-process version wherever the steps changed. All or nothing: a file with any problem
changes nothing and every problem is printed as "path: reason". FILE "-" reads standard input.

  --json   print the report (or {"issues": […]}) as JSON

Exit 0 imported, 1 the file is invalid (nothing changed), 2 unreadable file or usage error.`,
  async run(argv, io) {
    const { file, json } = onePath(argv);
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (err) {
      io.err(`hoso catalog import: cannot read ${file}: ${(err as Error).message}`);
      return 2;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      const issues = [{ path: '/', reason: `not valid JSON: ${(err as Error).message}` }];
      if (json) io.out(JSON.stringify({ issues }));
      else printIssues(io, issues);
      return 1;
    }
    try {
      const report = await withContext((ctx) => importCatalog(ctx, { userId: 'cli', role: 'admin' }, data));
      if (json) io.out(JSON.stringify({ report }));
      else {
        io.out(`imported ${file}:`);
        io.out(`  agencies: ${report.agencies.created} created, ${report.agencies.updated} updated, ${report.agencies.unchanged} unchanged`);
        io.out(`  procedures: ${report.procedures.created} created, ${report.procedures.updated} updated`);
        io.out(`  components: ${report.components.upserted} written, ${report.components.retired} retired`);
        io.out(`  internal processes: ${report.processVersions.created} new versions, ${report.processVersions.unchanged} unchanged`);
      }
      return 0;
    } catch (err) {
      if (err instanceof AppError && err.code === 'CATALOG_INVALID') {
        const issues = (err.extensions.issues ?? []) as CatalogIssue[];
        if (json) io.out(JSON.stringify({ issues }));
        else printIssues(io, issues);
        return 1;
      }
      throw err;
    }
  },
};

const exportCommand: CliCommand = {
  name: ['catalog', 'export'],
  summary: 'Export the whole catalog as a JSON file (the import format)',
  usage: `Usage: hoso catalog export FILE

Writes every agency and procedure (with components and the current internal process of each agency) to FILE
in the format \`hoso catalog import\` reads. FILE "-" writes to standard output.`,
  async run(argv, io) {
    const { file } = onePath(argv);
    const data = await withContext((ctx) => exportCatalog(ctx.db, ctx.now()));
    const text = `${JSON.stringify(data, null, 2)}\n`;
    if (file === '-') io.out(text);
    else {
      await writeFile(file, text, 'utf8');
      io.out(`exported ${data.agencies.length} agencies and ${data.procedures.length} procedures to ${file}`);
    }
    return 0;
  },
};

const schemaCommand: CliCommand = {
  name: ['catalog', 'schema'],
  summary: 'Print the JSON Schema of a catalog file',
  usage: 'Usage: hoso catalog schema\n\nPrints the JSON Schema (draft 2020-12) that catalog files follow (same as docs/catalog.schema.json).',
  async run(argv, io) {
    const { positionals } = parseFlags(argv, {});
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    io.out(JSON.stringify(catalogJsonSchema(), null, 2));
    return 0;
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const commands: CliCommand[] = [importCommand, exportCommand, schemaCommand];
