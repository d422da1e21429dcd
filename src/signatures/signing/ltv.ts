/**
 * Long-term validation data (PAdES B-LT): for every signature and timestamp in a document, the certificates of
 * their chains and current revocation data for each certificate below a root, written into the catalog's /DSS
 * (with a /VRI entry per signature) by an incremental update. Nothing is added that was not checked to say
 * "not revoked"; every gap is reported, so the caller can refuse an output that would not be long-term valid.
 */
import { createHash } from 'node:crypto';
import { bytesEqual } from '../pki/asn1.ts';
import { certificateInfo, contentKey, issuerNameDer, subjectNameDer } from '../pki/certificates.ts';
import { verifySignedBy } from '../pki/verify.ts';
import { revocationStatus, type RevocationSource } from '../keys/revocation.ts';
import type { PdfDocument } from '../pdf/document.ts';
import { PdfDict, PdfRef, PdfStream, type PdfValue } from '../pdf/objects.ts';
import { name, pdfDate, withEntries, type IncrementalUpdate, type WritableValue } from '../pdf/writer.ts';
import { OID, certsOf, findSignerCert, parseCms, type Cms } from '../validation/cms.ts';
import { raw } from '../validation/der.ts';
import { findSignatures } from '../validation/fields.ts';

interface Revocation {
  crl?: Uint8Array;
  ocsp?: Uint8Array;
}

/** Finds issuers and checked revocation data; problems are collected rather than thrown. */
export class ValidationDataCollector {
  readonly problems: string[] = [];
  private readonly pool: Uint8Array[] = [];
  private readonly poolKeys = new Set<string>();
  private readonly revocations = new Map<string, Promise<Revocation | null>>();

  constructor(private readonly source: RevocationSource, pool: Uint8Array[], private readonly now: Date) {
    this.addCertificates(pool);
  }

  addCertificates(certs: Uint8Array[]): void {
    for (const c of certs) {
      const k = contentKey(c);
      if (this.poolKeys.has(k)) continue;
      this.poolKeys.add(k);
      this.pool.push(c);
    }
  }

  private issuerOf(cert: Uint8Array): Uint8Array | undefined {
    const issuerName = issuerNameDer(cert);
    return this.pool.find((p) => bytesEqual(subjectNameDer(p), issuerName) && verifySignedBy(cert, p));
  }

  /** The chain from `leaf` up to a self-signed certificate (or as far as issuers are known), leaf first. */
  chain(leaf: Uint8Array): Uint8Array[] {
    const out = [leaf];
    for (let c = leaf; out.length < 10 && !bytesEqual(issuerNameDer(c), subjectNameDer(c));) {
      const issuer = this.issuerOf(c);
      if (!issuer) {
        this.problems.push(`no issuer certificate known for "${describe(c)}", cannot check its revocation`);
        break;
      }
      out.push(issuer);
      c = issuer;
    }
    return out;
  }

  /** Checked revocation data for a certificate of a chain (none for roots). */
  revocation(cert: Uint8Array, issuer: Uint8Array): Promise<Revocation | null> {
    const key = contentKey(cert);
    let r = this.revocations.get(key);
    if (!r) {
      r = this.fetch(cert, issuer);
      this.revocations.set(key, r);
    }
    return r;
  }

  private async checked(cert: Uint8Array, issuer: Uint8Array, kind: 'ocsp' | 'crl'): Promise<Uint8Array | null> {
    const data = kind === 'ocsp' ? (this.source.getOcsp ? await this.source.getOcsp(cert, issuer) : null) : await this.source.getCrl(cert, issuer);
    if (!data) return null;
    // Re-checked with only this item, so what goes into the DSS is exactly what was verified.
    const status = await revocationStatus(cert, issuer, {
      getCrl: async () => (kind === 'crl' ? data : null),
      getOcsp: async () => (kind === 'ocsp' ? data : null),
    }, this.now);
    if (status.status === 'revoked') {
      this.problems.push(`certificate "${describe(cert)}" is revoked (${kind.toUpperCase()})`);
      return null;
    }
    return status.status === 'unknown' ? null : data;
  }

  private async fetch(cert: Uint8Array, issuer: Uint8Array): Promise<Revocation | null> {
    try {
      const ocsp = await this.checked(cert, issuer, 'ocsp');
      if (ocsp) return { ocsp };
      const crl = await this.checked(cert, issuer, 'crl');
      if (crl) return { crl };
      if (!this.problems.some((p) => p.includes(describe(cert)))) this.problems.push(`no valid CRL or OCSP response for "${describe(cert)}"`);
    } catch (e) {
      this.problems.push(`revocation data for "${describe(cert)}": ${(e as Error).message}`);
    }
    return null;
  }
}

function describe(cert: Uint8Array): string {
  const i = certificateInfo(cert);
  return i.commonName ?? i.subject;
}

interface Item {
  kind: 'Certs' | 'CRLs' | 'OCSPs';
  bytes: Uint8Array;
}

/** What one signature (or document timestamp) needs: its CMS's signer chains and their revocation data. */
async function dataForCms(cms: Uint8Array, c: ValidationDataCollector): Promise<Item[]> {
  const parsed = parseCms(cms);
  c.addCertificates(parsed.certificates);
  const leaves: Uint8Array[] = [];
  const signerOf = (m: Cms): Uint8Array | undefined => {
    const si = m.signers[0];
    return si ? findSignerCert(si, certsOf(m))?.der : undefined;
  };
  const leaf = signerOf(parsed);
  if (leaf) leaves.push(leaf);
  for (const si of parsed.signers) {
    for (const tok of si.unsignedAttrs.get(OID.timeStampToken) ?? []) {
      const t = parseCms(raw(tok));
      c.addCertificates(t.certificates);
      const tsa = signerOf(t);
      if (tsa) leaves.push(tsa);
    }
  }
  if (!leaf) c.problems.push('a signature does not carry its signer certificate');
  const items: Item[] = [];
  for (const leaf of leaves) {
    const chain = c.chain(leaf);
    for (const [i, cert] of chain.entries()) {
      items.push({ kind: 'Certs', bytes: cert });
      const issuer = chain[i + 1];
      if (!issuer) continue;
      const r = await c.revocation(cert, issuer);
      if (r?.crl) items.push({ kind: 'CRLs', bytes: r.crl });
      if (r?.ocsp) items.push({ kind: 'OCSPs', bytes: r.ocsp });
    }
  }
  return items;
}

/**
 * Adds (or extends) the document security store in `update` so that every signature and timestamp of `doc` has its
 * validation data, and points the catalog at it. `extraCms` are signatures written in this same update (not yet
 * readable from `doc`) as [vriKey bytes, CMS].
 */
export async function writeDss(
  doc: PdfDocument,
  update: IncrementalUpdate,
  collector: ValidationDataCollector,
  opts: { now: Date; catalog?: Record<string, WritableValue | undefined> },
): Promise<void> {
  const perSignature = new Map<string, Item[]>();
  for (const sig of findSignatures(doc)) {
    if (!sig.contents) continue;
    const contents = sig.contents.bytes;
    const vriKey = createHash('sha1').update(contents).digest('hex').toUpperCase();
    if (perSignature.has(vriKey)) continue;
    try {
      perSignature.set(vriKey, await dataForCms(contents, collector));
    } catch (e) {
      collector.problems.push(`signature "${sig.fieldName}" cannot be read for its validation data: ${(e as Error).message}`);
    }
  }

  const rootRef = doc.trailer().get('Root');
  const root = doc.dict(rootRef);
  if (!(rootRef instanceof PdfRef) || !root) throw new Error('the document has no catalog');
  const oldDss = doc.dict(root.get('DSS'));
  // Existing entries are kept as they are; new items are written once each and referenced where needed.
  const known = new Map<string, PdfRef>();
  const arrays: Record<Item['kind'], PdfValue[]> = { Certs: [], CRLs: [], OCSPs: [] };
  for (const kind of ['Certs', 'CRLs', 'OCSPs'] as const) {
    const arr = doc.resolve(oldDss?.get(kind));
    if (!Array.isArray(arr)) continue;
    for (const x of arr) {
      arrays[kind].push(x);
      const s = doc.resolve(x);
      if (x instanceof PdfRef && s instanceof PdfStream) {
        try {
          known.set(`${kind}:${contentKey(doc.decode(s))}`, x);
        } catch {
          /* unreadable old entry: kept, not reused */
        }
      }
    }
  }
  const refFor = (item: Item): PdfRef => {
    const key = `${item.kind}:${contentKey(item.bytes)}`;
    let ref = known.get(key);
    if (!ref) {
      ref = update.addStream({}, item.bytes); // DER hardly compresses: stored as it is
      known.set(key, ref);
      arrays[item.kind].push(ref);
    }
    return ref;
  };
  const oldVri = doc.dict(oldDss?.get('VRI'));
  const vri: Record<string, WritableValue> = {};
  if (oldVri) for (const [k, v] of oldVri.map) vri[k] = v;
  for (const [key, items] of perSignature) {
    const entry: Record<string, PdfRef[]> = { Cert: [], CRL: [], OCSP: [] };
    const seen = new Set<number>();
    for (const item of items) {
      const ref = refFor(item);
      if (seen.has(ref.num)) continue;
      seen.add(ref.num);
      entry[item.kind === 'Certs' ? 'Cert' : item.kind === 'CRLs' ? 'CRL' : 'OCSP']!.push(ref);
    }
    vri[key] = {
      ...(entry.Cert!.length ? { Cert: entry.Cert } : {}),
      ...(entry.CRL!.length ? { CRL: entry.CRL } : {}),
      ...(entry.OCSP!.length ? { OCSP: entry.OCSP } : {}),
      TU: pdfDate(opts.now),
    };
  }
  const dss = update.add(withEntries(oldDss instanceof PdfDict ? oldDss : undefined, {
    Type: name('DSS'),
    Certs: arrays.Certs.length ? arrays.Certs : undefined,
    CRLs: arrays.CRLs.length ? arrays.CRLs : undefined,
    OCSPs: arrays.OCSPs.length ? arrays.OCSPs : undefined,
    VRI: vri,
  }));
  update.put(rootRef, withEntries(root, { ...(opts.catalog ?? {}), DSS: dss }));
}
