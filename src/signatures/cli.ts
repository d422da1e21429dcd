import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type CliCommand, UsageError, parseFlags } from '../cli/command.ts';
import { loadDerOrPem, loadTrustAnchors, validatePdf, type ValidationReport } from './validation/index.ts';

const VERIFY_USAGE = `Usage: hoso verify [--json] [--trust FILE|DIR]… [--crl FILE]… [--ocsp FILE]… [--at ISO-8601]
                   [--fetch-revocation] [--lang vi|en] FILE…

Validates every signature and document timestamp in each PDF (ETSI EN 319 102-1 indications, PAdES level,
changes made after signing).
  --json               print the machine-readable report
  --trust FILE|DIR     trusted root certificates (PEM/DER); repeatable. Nothing is trusted by default.
  --crl FILE           extra CRL (DER/PEM); repeatable
  --ocsp FILE          extra OCSP response (DER); repeatable
  --at ISO-8601        validate as of this time (default: now)
  --fetch-revocation   download CRLs from the certificates' distribution points (off by default)
  --lang vi|en         language of the readable report (default vi)
Exit status: 0 when every signature of every file is TOTAL_PASSED, 1 otherwise (a file without any signature
counts as not verified), 2 on usage or I/O errors.`;

interface FileResult extends ValidationReport {
  file: string;
}

function readable(results: FileResult[], lang: 'vi' | 'en'): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`== ${r.file}`);
    if (r.error) {
      lines.push(lang === 'vi' ? `  Lỗi: không đọc được tệp (${r.error.code}: ${r.error.message})` : `  Error: unreadable file (${r.error.code}: ${r.error.message})`);
      continue;
    }
    if (r.signatures.length === 0) lines.push(lang === 'vi' ? '  Tệp không có chữ ký số.' : '  The file has no signature.');
    r.signatures.forEach((s, i) => {
      const head = lang === 'vi'
        ? `  [${i + 1}] ${s.type === 'signature' ? 'Chữ ký' : 'Dấu thời gian'} "${s.fieldName}" — ${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}${s.padesLevel ? `, PAdES ${s.padesLevel}` : ''}`
        : `  [${i + 1}] ${s.type === 'signature' ? 'Signature' : 'Document timestamp'} "${s.fieldName}" — ${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}${s.padesLevel ? `, PAdES ${s.padesLevel}` : ''}`;
      lines.push(head);
      for (const m of s.messages[lang]) lines.push(`      ${m}`);
    });
  }
  return lines.join('\n');
}

export const verifyCommand: CliCommand = {
  name: ['verify'],
  summary: 'Kiểm tra chữ ký số PDF / validate PDF signatures (PAdES, ETSI indications)',
  usage: VERIFY_USAGE,
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, {
      boolean: ['json', 'fetch-revocation'],
      string: ['at', 'lang'],
      multiple: ['trust', 'crl', 'ocsp'],
    });
    if (positionals.length === 0) throw new UsageError('no FILE given');
    const lang = (flags.lang as string | undefined) ?? 'vi';
    if (lang !== 'vi' && lang !== 'en') throw new UsageError('--lang must be vi or en');
    let at: Date | undefined;
    if (flags.at !== undefined) {
      at = new Date(flags.at as string);
      if (Number.isNaN(at.getTime())) throw new UsageError(`--at: not an ISO-8601 time: ${flags.at}`);
    }
    let trustAnchors: Uint8Array[];
    const crls: Uint8Array[] = [];
    const ocsps: Uint8Array[] = [];
    try {
      trustAnchors = await loadTrustAnchors((flags.trust as string[] | undefined) ?? []);
      for (const f of (flags.crl as string[] | undefined) ?? []) crls.push(...(await loadDerOrPem(f)));
      for (const f of (flags.ocsp as string[] | undefined) ?? []) ocsps.push(...(await loadDerOrPem(f)));
    } catch (e) {
      io.err(`hoso verify: ${(e as Error).message}`);
      return 2;
    }
    const results: FileResult[] = [];
    let ioError = false;
    for (const file of positionals) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(file));
      } catch (e) {
        ioError = true;
        results.push({ file, error: { code: 'IO_ERROR', message: (e as Error).message }, revisions: 0, signatures: [] });
        continue;
      }
      const report = await validatePdf(bytes, { trustAnchors, crls, ocsps, at, fetchRevocation: flags['fetch-revocation'] === true });
      results.push({ file, ...report });
    }
    if (flags.json) io.out(JSON.stringify({ files: results }, null, 2));
    else io.out(readable(results.map((r) => ({ ...r, file: positionals.length > 1 ? r.file : basename(r.file) })), lang));
    if (ioError) return 2;
    const allPassed = results.every((r) => !r.error && r.signatures.length > 0 && r.signatures.every((s) => s.indication === 'TOTAL_PASSED' && s.modifiedAfterSigning !== 'disallowed'));
    return allPassed ? 0 : 1;
  },
};

export const commands: CliCommand[] = [verifyCommand];
