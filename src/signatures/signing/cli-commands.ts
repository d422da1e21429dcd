import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { type CliCommand, UsageError, parseFlags } from '../../cli/command.ts';
import { readPemOrDer } from '../pki/asn1.ts';
import { certificateInfo } from '../pki/certificates.ts';
import { createDemoPki, type DemoPersonSpec, type DemoSealSpec } from '../pki/demo.ts';
import type { KeyBackend } from '../keys/backend.ts';
import { P12Backend } from '../keys/p12.ts';
import { Pkcs11Backend } from '../keys/pkcs11.ts';
import { CscBackend } from '../keys/csc.ts';
import { ChainedRevocationSource, HttpRevocationSource, StaticRevocationSource, type RevocationSource } from '../keys/revocation.ts';
import { TsaClient } from '../tsa/client.ts';
import { createTsaServer, listen } from '../tsa/server.ts';
import { signPdf, extendPdf, type PadesLevel, type SignPdfResult } from './sign.ts';
import type { Appearance } from './appearance.ts';
import { validatorSelfCheck } from './self-check.ts';

const SIGN_USAGE = `Usage: hoso sign IN.pdf OUT.pdf KEY [options]
KEY is one of
  --p12 FILE [--pass-env VAR]                         PKCS#12 file; password from env VAR (default HOSO_P12_PASSWORD)
  --pkcs11 MODULE --slot N --key-label L [--pin-env VAR]   PKCS#11 token (PIN from env, default HOSO_PKCS11_PIN)
  --csc URL --credential ID [--csc-token-env VAR] [--csc-pin-env VAR]
                                                      Cloud Signature Consortium API v2 service (bearer token
                                                      default HOSO_CSC_TOKEN, PIN default HOSO_CSC_PIN)
or --extend to add long-term validation data to an already signed IN.pdf (no key).
Options
  --level B-B|B-T|B-LT|B-LTA   PAdES level (default B-B; B-T and up need --tsa, B-LT and up need revocation data)
  --tsa URL                    RFC 3161 timestamp authority; repeat for fallbacks
  --trust FILE                 trusted root certificate(s), PEM or DER; repeatable; required
  --ca FILE                    extra intermediate CA certificates; repeatable
  --crl FILE                   CRL for revocation checks and B-LT; repeatable
  --fetch-revocation           also download CRLs/OCSP from the certificates' URLs
  --visible page,x,y,w,h       visible signature on page (1-based) at x,y (points, lower-left) of size w×h
  --image PNG                  blue signature image (transparent PNG) for --visible
  --seal PNG                   red seal image (transparent PNG) for --visible
  --copy                       electronic-copy signature (sao y) top-right of page 1, no image
  --certify 1|2|3              certification signature (DocMDP): 1 no changes, 2 forms and signing, 3 + annotations
  --reason TEXT  --location TEXT  --field NAME
  --no-self-check              skip validating the output with the in-process validator
  --json                       print the result as JSON
OUT is written only when everything succeeded (through a temporary file in OUT's folder).`;

function envSecret(io: { err(t: string): void }, name: string, what: string): string {
  const v = process.env[name];
  if (v === undefined) throw new UsageError(`${what}: environment variable ${name} is not set`);
  return v;
}

async function readAll(paths: string[], label: 'CERTIFICATE' | 'X509 CRL'): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const p of paths) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(p));
    } catch (e) {
      throw new Error(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    out.push(...readPemOrDer(bytes, label));
  }
  return out;
}

function parseVisible(spec: string): { page: number; x: number; y: number; width: number; height: number } {
  const parts = spec.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 5 || parts.some((n) => !Number.isFinite(n))) throw new UsageError('--visible needs page,x,y,w,h (numbers)');
  const [page, x, y, width, height] = parts as [number, number, number, number, number];
  if (!Number.isInteger(page) || page < 1) throw new UsageError('--visible: page numbers start at 1');
  if (width < 20 || height < 10) throw new UsageError('--visible: the box is too small (at least 20×10 points)');
  return { page: page - 1, x, y, width, height };
}

/** Writes OUT via a temporary file in the same folder, so OUT is either complete or untouched. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmpDir = await mkdtemp(join(dirname(path), `.${basename(path)}.`));
  const tmp = join(tmpDir, 'out.pdf');
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

export type BackendOpener = (flags: Record<string, string | boolean | string[] | undefined>, io: { err(t: string): void }) => Promise<KeyBackend>;

/** Backend openers by key flag; PKCS#11 and CSC register theirs from their modules. */
export const backendOpeners: Record<string, BackendOpener> = {
  p12: async (flags, io) => P12Backend.fromFile(flags.p12 as string, envSecret(io, (flags['pass-env'] as string | undefined) ?? 'HOSO_P12_PASSWORD', 'PKCS#12 password')),
  pkcs11: async (flags, io) => {
    const slot = Number(flags.slot ?? 'x');
    if (!Number.isInteger(slot) || slot < 0) throw new UsageError('--pkcs11 needs --slot N (a slot ID or index)');
    if (!flags['key-label']) throw new UsageError('--pkcs11 needs --key-label LABEL');
    return Pkcs11Backend.open({
      module: flags.pkcs11 as string,
      slot,
      keyLabel: flags['key-label'] as string,
      pin: envSecret(io, (flags['pin-env'] as string | undefined) ?? 'HOSO_PKCS11_PIN', 'PKCS#11 PIN'),
    });
  },
  csc: async (flags) => {
    if (!flags.credential) throw new UsageError('--csc needs --credential ID');
    const tokenVar = (flags['csc-token-env'] as string | undefined) ?? 'HOSO_CSC_TOKEN';
    const pinVar = (flags['csc-pin-env'] as string | undefined) ?? 'HOSO_CSC_PIN';
    return CscBackend.open({
      baseUrl: flags.csc as string,
      credentialId: flags.credential as string,
      accessToken: process.env[tokenVar],
      pin: process.env[pinVar],
    });
  },
};

export const signCommand: CliCommand = {
  name: ['sign'],
  summary: 'Ký số PDF (PAdES B-B…B-LTA) / sign a PDF with PKCS#12, PKCS#11 or a CSC service',
  usage: SIGN_USAGE,
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, {
      boolean: ['json', 'fetch-revocation', 'copy', 'no-self-check', 'extend'],
      string: ['p12', 'pass-env', 'pkcs11', 'slot', 'key-label', 'pin-env', 'csc', 'credential', 'csc-token-env', 'csc-pin-env',
        'level', 'visible', 'image', 'seal', 'reason', 'location', 'certify', 'field'],
      multiple: ['tsa', 'trust', 'ca', 'crl'],
    });
    if (positionals.length !== 2) throw new UsageError('need IN.pdf and OUT.pdf');
    const [inPath, outPath] = positionals as [string, string];
    const level = ((flags.level as string | undefined) ?? 'B-B').toUpperCase() as PadesLevel;
    if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level)) throw new UsageError('--level must be B-B, B-T, B-LT or B-LTA');
    const keyKinds = (['p12', 'pkcs11', 'csc'] as const).filter((k) => flags[k] !== undefined);
    if (flags.extend) {
      if (keyKinds.length) throw new UsageError('--extend adds validation data and takes no key');
      if (level !== 'B-LT' && level !== 'B-LTA') throw new UsageError('--extend needs --level B-LT or B-LTA');
    } else if (keyKinds.length !== 1) throw new UsageError('give exactly one of --p12, --pkcs11, --csc');
    const tsaUrls = (flags.tsa as string[] | undefined) ?? [];
    if (level !== 'B-B' && !tsaUrls.length && !(flags.extend && level === 'B-LT')) throw new UsageError(`--level ${level} needs --tsa URL`);
    const trustFiles = (flags.trust as string[] | undefined) ?? [];
    if (!trustFiles.length) throw new UsageError('--trust ROOT.pem is required: hoso never signs with a certificate it cannot chain to a trusted root');
    let certify: 1 | 2 | 3 | undefined;
    if (flags.certify !== undefined) {
      const n = Number(flags.certify);
      if (n !== 1 && n !== 2 && n !== 3) throw new UsageError('--certify must be 1, 2 or 3');
      certify = n;
    }
    if (flags.copy && flags.visible) throw new UsageError('--copy and --visible exclude each other');
    if ((flags.image || flags.seal) && !flags.visible) throw new UsageError('--image and --seal need --visible');

    const trustAnchors = await readAll(trustFiles, 'CERTIFICATE');
    const intermediates = await readAll((flags.ca as string[] | undefined) ?? [], 'CERTIFICATE');
    const crls = await readAll((flags.crl as string[] | undefined) ?? [], 'X509 CRL');
    const sources: RevocationSource[] = [];
    if (crls.length) sources.push(new StaticRevocationSource(crls));
    if (flags['fetch-revocation']) sources.push(new HttpRevocationSource());
    const revocation = sources.length === 0 ? undefined : sources.length === 1 ? sources[0] : new ChainedRevocationSource(sources);
    const tsa = tsaUrls.length ? new TsaClient({ urls: tsaUrls, trustAnchors, intermediates }) : undefined;
    let input: Uint8Array;
    try {
      input = new Uint8Array(await readFile(inPath));
    } catch (e) {
      io.err(`hoso sign: cannot read ${inPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 2;
    }
    const selfCheck = flags['no-self-check'] ? undefined : validatorSelfCheck({ trustAnchors, certificates: intermediates, crls });

    if (flags.extend) {
      if (!revocation) throw new UsageError('--extend needs --crl FILE or --fetch-revocation');
      const r = await extendPdf(input, { level: level as 'B-LT' | 'B-LTA', revocation, tsa, trustAnchors, intermediates, selfCheck });
      await writeAtomically(outPath, r.bytes);
      if (flags.json) io.out(JSON.stringify({ out: outPath, extendedTo: level, bytes: r.bytes.length, warnings: r.warnings }));
      else io.out(`Đã bổ sung dữ liệu kiểm tra dài hạn (${level}) → ${outPath}`);
      return 0;
    }

    let appearance: Appearance | undefined;
    if (flags.visible) {
      const box = parseVisible(flags.visible as string);
      const img = flags.image ? new Uint8Array(await readFile(flags.image as string)) : undefined;
      const seal = flags.seal ? new Uint8Array(await readFile(flags.seal as string)) : undefined;
      appearance = { kind: 'visible', ...box, signatureImage: img, sealImage: seal };
    } else if (flags.copy) appearance = { kind: 'copy' };

    const opener = backendOpeners[keyKinds[0]!];
    if (!opener) throw new UsageError(`--${keyKinds[0]} is not available in this build`);
    const signer = await opener(flags, io);
    let result: SignPdfResult;
    try {
      result = await signPdf(input, {
        signer, level, tsa, revocation, trustAnchors, intermediates, appearance, certify, selfCheck,
        reason: flags.reason as string | undefined,
        location: flags.location as string | undefined,
        fieldName: flags.field as string | undefined,
      });
    } finally {
      await signer.close?.();
    }
    await writeAtomically(outPath, result.bytes);
    const who = certificateInfo(signer.certificate);
    if (flags.json) {
      io.out(JSON.stringify({ out: outPath, level: result.level, field: result.fieldName, signer: result.signer, signingTime: result.signingTime.toISOString(), bytes: result.bytes.length, warnings: result.warnings }));
    } else {
      io.out(`Đã ký ${basename(inPath)} → ${outPath}: PAdES ${result.level}, trường "${result.fieldName}", người ký ${who.commonName ?? who.subject}`);
      for (const w of result.warnings) io.out(`  cảnh báo: ${w}`);
    }
    return 0;
  },
};

const TSA_USAGE = `Usage: hoso tsa serve [--port P] [--host H] --dir DATA
Runs a local RFC 3161 timestamp authority backed by the demo PKI in DATA (created there if missing):
  POST /          timestamp requests (application/timestamp-query)
  GET  /crl/root-ca.crl, /crl/agency-ca.crl   the demo CRLs
  POST /ocsp      OCSP for certificates of the demo agency CA
For demos and tests only. Stops on Ctrl-C.`;

export const tsaServeCommand: CliCommand = {
  name: ['tsa', 'serve'],
  summary: 'Máy chủ dấu thời gian thử nghiệm / local RFC 3161 TSA for the demo PKI',
  usage: TSA_USAGE,
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, { string: ['port', 'host', 'dir'] });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (!flags.dir) throw new UsageError('--dir DATA is required');
    const port = flags.port === undefined ? 3161 : Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0–65535');
    const pki = await createDemoPki(flags.dir as string, { people: [], seals: [] });
    const server = createTsaServer({
      tsa: { certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey, chain: pki.tsa.chain },
      crls: { 'root-ca': pki.crls.root, 'agency-ca': pki.crls.agency },
      ocsp: { responder: { certificate: pki.ocsp.certificate, privateKey: pki.ocsp.privateKey }, issuerCertificate: pki.agencyCa.certificate, crl: pki.crls.agency },
    });
    const url = await listen(server, port, (flags.host as string | undefined) ?? '127.0.0.1');
    io.out(`hoso TSA listening on ${url}/ (TSA certificate: ${certificateInfo(pki.tsa.certificate).subject}; trust ${pki.root.certPath})`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        server.close(() => resolve());
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};

const PKI_USAGE = `Usage: hoso pki demo --dir DIR [--person ID:CN:ORG[:ec]]… [--seal ID:ORG]… [--json]
Creates (or completes) the demo PKI in DIR: root "hoso Demo Root CA", an agency CA, a TSA and an OCSP responder
certificate, CRLs, and one PKCS#12 file per person and agency seal. Private keys stay in DIR (mode 0600); the
PKCS#12 passwords are in DIR/secrets.json (mode 0600). Existing files are reused.
Without --person/--seal a sample person and seal are created.`;

export const pkiDemoCommand: CliCommand = {
  name: ['pki', 'demo'],
  summary: 'Tạo PKI thử nghiệm / create the demo PKI (CAs, signers, TSA, CRLs)',
  usage: PKI_USAGE,
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, { string: ['dir'], boolean: ['json'], multiple: ['person', 'seal'] });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (!flags.dir) throw new UsageError('--dir DIR is required');
    const people: DemoPersonSpec[] = ((flags.person as string[] | undefined) ?? []).map((p) => {
      const [id, commonName, organization, key] = p.split(':');
      if (!id || !commonName || !organization) throw new UsageError(`--person ${p}: expected ID:CN:ORG[:ec]`);
      return { id, commonName, organization, ...(key === 'ec' ? { key: { kind: 'ec' as const } } : {}) };
    });
    const seals: DemoSealSpec[] = ((flags.seal as string[] | undefined) ?? []).map((s) => {
      const [id, organization] = s.split(':');
      if (!id || !organization) throw new UsageError(`--seal ${s}: expected ID:ORG`);
      return { id, organization };
    });
    if (!people.length && !seals.length) {
      people.push({ id: 'nguyen-van-an', commonName: 'Nguyễn Văn An', organization: 'Sở Y tế Hà Nội' });
      seals.push({ id: 'so-y-te-ha-noi', organization: 'Sở Y tế Hà Nội' });
    }
    const pki = await createDemoPki(flags.dir as string, { people, seals });
    const summary = {
      dir: pki.dir,
      root: pki.root.certPath,
      agencyCa: pki.agencyCa.certPath,
      tsa: pki.tsa.certPath,
      crls: [pki.crls.rootPath, pki.crls.agencyPath],
      secrets: join(pki.dir, 'secrets.json'),
      people: Object.values(pki.people).map((p) => ({ id: p.id, p12: p.p12Path, subject: certificateInfo(p.certificate).subject })),
      seals: Object.values(pki.seals).map((p) => ({ id: p.id, p12: p.p12Path, subject: certificateInfo(p.certificate).subject })),
    };
    if (flags.json) io.out(JSON.stringify(summary, null, 2));
    else {
      io.out(`PKI thử nghiệm trong ${pki.dir}`);
      io.out(`  CA gốc (tin cậy tệp này): ${summary.root}`);
      io.out(`  CA cơ quan: ${summary.agencyCa}`);
      io.out(`  TSA: ${summary.tsa}`);
      io.out(`  CRL: ${summary.crls.join(', ')}`);
      for (const p of [...summary.people, ...summary.seals]) io.out(`  ${p.id}: ${p.p12} (${p.subject})`);
      io.out(`  Mật khẩu PKCS#12: ${summary.secrets}`);
    }
    return 0;
  },
};

export const signingCommands: CliCommand[] = [signCommand, tsaServeCommand, pkiDemoCommand];

/** The `hoso` dispatcher loads this module for `sign`, `tsa` and `pki` only (see src/cli/main.ts). */
export const commands = signingCommands;
