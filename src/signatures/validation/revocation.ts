import { createHash } from 'node:crypto';
import { digestName, verifySignatureValue } from './algorithms.ts';
import { type Cert, certKey, issuedBy, parseCert } from './certs.ts';
import { bitStringBytes, children, content, hex, intHex, parseDer, raw, time, type Node } from './der.ts';

export interface RevocationStatus {
  /** 'good': a verified source says not revoked; 'revoked'; 'unknown': no usable data. */
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  source?: 'crl' | 'ocsp';
}

interface ParsedCrl {
  issuerKey: string;
  tbs: Uint8Array;
  sigAlg: Node;
  sig: Uint8Array;
  thisUpdate: Date;
  revoked: Map<string, Date>;
}

interface ParsedOcsp {
  tbs: Uint8Array;
  sigAlg: Node;
  sig: Uint8Array;
  certs: Cert[];
  producedAt: Date;
  responses: { hashAlg: string | undefined; nameHash: string; serial: string; status: 'good' | 'revoked' | 'unknown'; revokedAt?: Date }[];
}

export function parseCrl(der: Uint8Array): ParsedCrl {
  const [tbs, sigAlg, sig] = children(parseDer(der));
  const f = children(tbs!);
  let i = 0;
  if (f[0]?.tag === 0x02) i = 1;
  const issuer = f[i + 1]!;
  const thisUpdate = time(f[i + 2]!);
  let j = i + 3;
  if (f[j] && (f[j]!.tag === 0x17 || f[j]!.tag === 0x18)) j++;
  const revoked = new Map<string, Date>();
  if (f[j]?.tag === 0x30) {
    for (const rc of children(f[j]!)) {
      const [serial, date] = children(rc);
      revoked.set(intHex(serial!), time(date!));
    }
  }
  return { issuerKey: hex(raw(issuer)), tbs: raw(tbs!), sigAlg: sigAlg!, sig: bitStringBytes(sig!), thisUpdate, revoked };
}

export function parseOcsp(der: Uint8Array): ParsedOcsp {
  let n = parseDer(der);
  let parts = children(n);
  if (parts[0]?.tag === 0x0a) {
    // OCSPResponse wrapper: responseStatus, [0] responseBytes.
    if (content(parts[0])[0] !== 0 || !parts[1]) throw new Error('unsuccessful OCSP response');
    const rb = children(children(parts[1])[0]!);
    n = parseDer(content(rb[1]!));
    parts = children(n);
  }
  const [tbs, sigAlg, sig, certsWrap] = parts;
  const rd = children(tbs!);
  let i = 0;
  if (rd[0]?.tag === 0xa0) i = 1;
  const producedAt = time(rd[i + 1]!);
  const responses: ParsedOcsp['responses'] = [];
  for (const sr of children(rd[i + 2]!)) {
    const [certId, st] = children(sr);
    const cid = children(certId!);
    let status: 'good' | 'revoked' | 'unknown' = 'unknown';
    let revokedAt: Date | undefined;
    if (st!.tag === 0x80) status = 'good';
    else if (st!.tag === 0xa1) {
      status = 'revoked';
      revokedAt = time(children(st!)[0]!);
    }
    responses.push({ hashAlg: digestName(cid[0]!), nameHash: hex(content(cid[1]!)), serial: intHex(cid[3]!), status, revokedAt });
  }
  const certs: Cert[] = [];
  if (certsWrap?.tag === 0xa0) {
    for (const c of children(children(certsWrap)[0]!)) {
      try {
        certs.push(parseCert(raw(c)));
      } catch {
        /* ignore */
      }
    }
  }
  return { tbs: raw(tbs!), sigAlg: sigAlg!, sig: bitStringBytes(sig!), certs, producedAt, responses };
}

const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

/** Revocation data gathered for one validation; parsed lazily and once. */
export class RevocationStore {
  private crls: ParsedCrl[] = [];
  private ocsps: ParsedOcsp[] = [];
  private seen = new Set<string>();

  add(kind: 'crl' | 'ocsp', der: Uint8Array): void {
    const k = `${kind}:${der.length}:${hex(der.subarray(Math.max(0, der.length - 32)))}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    try {
      if (kind === 'crl') this.crls.push(parseCrl(der));
      else this.ocsps.push(parseOcsp(der));
    } catch {
      /* unreadable revocation data is ignored: revocation stays unknown */
    }
  }

  get size(): number {
    return this.crls.length + this.ocsps.length;
  }

  /** Status of `cert` issued by `issuer`. Only data verified with the issuer's key (or a delegated responder) counts. */
  check(cert: Cert, issuer: Cert): RevocationStatus {
    let result: RevocationStatus = { status: 'unknown' };
    for (const crl of this.crls) {
      if (crl.issuerKey !== cert.issuerKey) continue;
      let ok = false;
      try {
        ok = verifySignatureValue(crl.sigAlg, undefined, certKey(issuer), crl.tbs, crl.sig);
      } catch {
        ok = false;
      }
      if (!ok) continue;
      const at = crl.revoked.get(cert.serial);
      if (at) return { status: 'revoked', revokedAt: at, source: 'crl' };
      result = { status: 'good', source: 'crl' };
    }
    for (const resp of this.ocsps) {
      for (const r of resp.responses) {
        if (r.serial !== cert.serial || !r.hashAlg) continue;
        if (hex(createHash(r.hashAlg).update(Buffer.from(hex2(cert.issuerKey))).digest()) !== r.nameHash) continue;
        if (!this.ocspSignedFor(resp, issuer)) continue;
        if (r.status === 'revoked') return { status: 'revoked', revokedAt: r.revokedAt, source: 'ocsp' };
        if (r.status === 'good') result = { status: 'good', source: 'ocsp' };
      }
    }
    return result;
  }

  private ocspSignedFor(resp: ParsedOcsp, issuer: Cert): boolean {
    const signers = [issuer, ...resp.certs.filter((c) => (c.eku ?? []).includes(OCSP_SIGNING) && issuedBy(c, issuer))];
    for (const s of signers) {
      try {
        if (verifySignatureValue(resp.sigAlg, undefined, certKey(s), resp.tbs, resp.sig)) return true;
      } catch {
        /* try the next */
      }
    }
    return false;
  }

  /** Certificates carried inside OCSP responses (responder certificates), for path building. */
  certificates(): Cert[] {
    return this.ocsps.flatMap((o) => o.certs);
  }
}

function hex2(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h, 'hex'));
}
