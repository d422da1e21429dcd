/** Public API of the PDF signature validator. Knows nothing about dossiers. */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { certificatesFromFile } from './certs.ts';

export { validatePdf } from './validate.ts';
export type { ValidateOptions, ValidationReport, SignatureReport, Indication, CertSummary } from './types.ts';

/** Reads PEM or DER certificates from files and folders (folders: *.pem, *.crt, *.cer, *.der). */
export async function loadTrustAnchors(paths: string[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const p of paths) {
    const st = await stat(p);
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => /\.(pem|crt|cer|der)$/i.test(n)).sort();
      for (const n of names) out.push(...certificatesFromFile(new Uint8Array(await readFile(join(p, n)))));
    } else out.push(...certificatesFromFile(new Uint8Array(await readFile(p))));
  }
  return out;
}

/** Reads DER or PEM (X509 CRL) revocation files. */
export async function loadDerOrPem(path: string): Promise<Uint8Array[]> {
  const data = new Uint8Array(await readFile(path));
  const text = Buffer.from(data).toString('latin1');
  if (!text.includes('-----BEGIN')) return [data];
  const out: Uint8Array[] = [];
  const re = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
  return out;
}
