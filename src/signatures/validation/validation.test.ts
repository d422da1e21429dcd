import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestCa, type TestIdentity, createTestCa } from '../testing/pki.ts';
import { PAGE_TEXT, appendUpdate, locate, signPdf, unsignedPdf } from '../testing/signed-pdf.ts';
import { validatePdf } from './index.ts';
import type { SignatureReport, ValidateOptions } from './types.ts';

let ca: TestCa;
let other: TestCa;
let good: TestIdentity;
let ec: TestIdentity;
let expired: TestIdentity;
let future: TestIdentity;
let revoked: TestIdentity;
let encipherOnly: TestIdentity;
let serverOnly: TestIdentity;
let signed: Uint8Array;

const DAY = 24 * 3600_000;

beforeAll(() => {
  ca = createTestCa('Hoso Test Root');
  other = createTestCa('Other Root');
  good = ca.issue('Nguyễn Văn Ánh');
  ec = ca.issue('Trần Thị Bình', { keyType: 'ec' });
  expired = ca.issue('Expired Signer', { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 30 * DAY) });
  future = ca.issue('Future Signer', { notBefore: new Date(Date.now() + 30 * DAY), notAfter: new Date(Date.now() + 400 * DAY) });
  revoked = ca.issue('Revoked Signer');
  encipherOnly = ca.issue('Encipherment Only', { keyUsage: 'keyEncipherment' });
  serverOnly = ca.issue('TLS Server', { extendedKeyUsage: 'serverAuth' });
  ca.revoke(revoked);
  signed = signPdf(unsignedPdf(), good.certDer, good.key);
}, 60_000);

afterAll(() => {
  ca?.dispose();
  other?.dispose();
});

async function only(pdf: Uint8Array, opts: Partial<ValidateOptions> = {}): Promise<SignatureReport> {
  const r = await validatePdf(pdf, { trustAnchors: [ca.certDer], ...opts });
  expect(r.error).toBeNull();
  expect(r.signatures).toHaveLength(1);
  return r.signatures[0]!;
}

function flipByte(pdf: Uint8Array, at: number): Uint8Array {
  const b = new Uint8Array(pdf);
  b[at] = b[at] === 0x41 ? 0x42 : 0x41;
  return b;
}

/** Rewrites the ByteRange array in place; the writer leaves room (padding after `]`) for longer values. */
function rewriteByteRange(pdf: Uint8Array, at: number, values: string): Uint8Array {
  const b = Buffer.from(pdf);
  const end = b.indexOf(']', at);
  let stop = end + 1;
  while (b[stop] === 0x20) stop++;
  const text = `${values}]`;
  if (text.length > stop - at) throw new Error('no room for the new ByteRange');
  b.write(text.padEnd(stop - at, ' '), at, 'latin1');
  return new Uint8Array(b);
}

function flipHexDigit(pdf: Uint8Array, at: number): Uint8Array {
  const b = new Uint8Array(pdf);
  b[at] = b[at] === 0x30 ? 0x31 : 0x30;
  return b;
}

/** Position (in the file) of the hex digits that encode `needle` inside /Contents. */
function hexOffsetOf(pdf: Uint8Array, needle: Uint8Array): number {
  const { contentsHexStart } = locate(pdf);
  const text = Buffer.from(pdf).toString('latin1');
  const i = text.indexOf(Buffer.from(needle).toString('hex'), contentsHexStart);
  expect(i).toBeGreaterThan(0);
  return i;
}

describe('valid signatures', () => {
  it('passes an intact RSA signature chained to the anchor, naming signer and time', async () => {
    const s = await only(signed);
    expect(s.indication).toBe('TOTAL_PASSED');
    expect(s.modifiedAfterSigning).toBe('none');
    expect(s.coversWholeDocument).toBe(true);
    expect(s.padesLevel).toBe('B-B');
    expect(s.signer?.subject).toContain('CN=Nguyễn Văn Ánh');
    expect(s.messages.vi.join('\n')).toContain('Người ký: Nguyễn Văn Ánh (C=VN, O=Hoso Test, CN=Nguyễn Văn Ánh)');
    expect(s.messages.vi.join('\n')).toContain('Tính toàn vẹn: nội dung đã ký không bị thay đổi.');
    expect(s.chain.map((c) => c.subject)).toHaveLength(2);
  });

  it('passes ECDSA and RSA-PSS signatures', async () => {
    expect((await only(signPdf(unsignedPdf(), ec.certDer, ec.key, { scheme: 'ecdsa' }))).indication).toBe('TOTAL_PASSED');
    expect((await only(signPdf(unsignedPdf(), good.certDer, good.key, { scheme: 'rsa-pss' }))).indication).toBe('TOTAL_PASSED');
  });

  it('matches an anchor by subject and key even when given as PEM-equivalent bytes elsewhere', async () => {
    const s = await only(signed, { trustAnchors: [ca.certDer, other.certDer] });
    expect(s.indication).toBe('TOTAL_PASSED');
  });
});

describe('integrity', () => {
  it('fails with HASH_FAILURE when one byte of the signed range changes', async () => {
    const at = Buffer.from(signed).toString('latin1').indexOf(PAGE_TEXT) + 20;
    const s = await only(flipByte(signed, at));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
    expect(s.messages.vi.join('\n')).toContain('KHÔNG bảo đảm');
  });

  it('fails with SIG_CRYPTO_FAILURE when one byte of the CMS signature value changes', async () => {
    const cms = Buffer.from(Buffer.from(signed).toString('latin1').slice(locate(signed).contentsHexStart, locate(signed).contentsHexStart + 16384), 'hex');
    // The RSA signature value is the last 256 bytes before the zero padding.
    let end = cms.length;
    while (cms[end - 1] === 0) end--;
    const sigValue = cms.subarray(end - 256, end);
    const s = await only(flipHexDigit(signed, hexOffsetOf(signed, sigValue) + 100));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
  });

  it('fails when a signed attribute changes (the signing-certificate hash)', async () => {
    const { createHash } = await import('node:crypto');
    const essHash = createHash('sha256').update(good.certDer).digest();
    const s = await only(flipHexDigit(signed, hexOffsetOf(signed, essHash) + 10));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
  });

  it('fails with FORMAT_FAILURE on a ByteRange gap larger than /Contents', async () => {
    const { byteRangeAt, byteRange } = locate(signed);
    const [, b, c, d] = byteRange as [number, number, number, number];
    const bad = rewriteByteRange(signed, byteRangeAt, `0 ${b} ${c + 2} ${d - 2}`);
    const s = await only(new Uint8Array(bad));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
  });

  it('fails with FORMAT_FAILURE on overlapping ByteRange parts', async () => {
    const { byteRangeAt, byteRange } = locate(signed);
    const [, b, c, d] = byteRange as [number, number, number, number];
    const bad = rewriteByteRange(signed, byteRangeAt, `0 ${c + 10} ${c} ${d}`);
    const s = await only(new Uint8Array(bad));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
    expect(b).toBeLessThan(c);
  });

  it('fails with FORMAT_FAILURE when the ByteRange reaches past the end of the file', async () => {
    const s = await only(signed.subarray(0, signed.length - 1));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
  });
});

describe('trust and certificates', () => {
  it('is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND under an untrusted root', async () => {
    const s = await only(signed, { trustAnchors: [other.certDer] });
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });

  it('is INDETERMINATE/OUT_OF_BOUNDS_NO_POE for an expired signer without proof of existence', async () => {
    const pdf = signPdf(unsignedPdf(), expired.certDer, expired.key, { claimedTime: new Date(Date.now() - 60 * DAY) });
    const s = await only(pdf);
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
  });

  it('fails with EXPIRED when the signer claims to have signed after expiry', async () => {
    const pdf = signPdf(unsignedPdf(), expired.certDer, expired.key, { signingTime: new Date() });
    const s = await only(pdf);
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'EXPIRED']);
  });

  it('passes an expired signer when validated at a time inside its validity', async () => {
    const pdf = signPdf(unsignedPdf(), expired.certDer, expired.key, { claimedTime: new Date(Date.now() - 60 * DAY) });
    const s = await only(pdf, { at: new Date(Date.now() - 50 * DAY) });
    expect(s.indication).toBe('TOTAL_PASSED');
  });

  it('fails with NOT_YET_VALID for a signer whose certificate starts later', async () => {
    const s = await only(signPdf(unsignedPdf(), future.certDer, future.key));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'NOT_YET_VALID']);
  });

  it('reports a revoked signer when a CRL lists it', async () => {
    const pdf = signPdf(unsignedPdf(), revoked.certDer, revoked.key, { claimedTime: new Date(Date.now() + 60_000) });
    const withCrl = await only(pdf, { crls: [ca.crl()] });
    expect(withCrl.revocation).toBe('revoked');
    expect([withCrl.indication, withCrl.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
    const earlier = await only(signPdf(unsignedPdf(), revoked.certDer, revoked.key, { claimedTime: new Date(Date.now() - DAY) }), { crls: [ca.crl()] });
    expect([earlier.indication, earlier.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    const withoutCrl = await only(pdf);
    expect(withoutCrl.indication).toBe('TOTAL_PASSED');
    expect(withoutCrl.revocation).toBe('unknown');
  });

  it('downloads the CRL only with fetchRevocation, and gives up after the timeout', async () => {
    const { createServer } = await import('node:http');
    let hits = 0;
    let slow = false;
    const server = createServer((req, res) => {
      hits++;
      if (slow) return; // never answers: the client must time out
      res.writeHead(200, { 'content-type': 'application/pkix-crl' });
      res.end(Buffer.from(ca.crl()));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      const online = ca.issue('Online Revoked', { crlUrl: `http://127.0.0.1:${port}/ca.crl` });
      ca.revoke(online);
      const pdf = signPdf(unsignedPdf(), online.certDer, online.key, { claimedTime: new Date(Date.now() + 60_000) });
      const offline = await only(pdf);
      expect(hits).toBe(0);
      expect(offline.revocation).toBe('unknown');
      const fetched = await only(pdf, { fetchRevocation: true, fetchTimeoutMs: 5000 });
      expect(hits).toBe(1);
      expect([fetched.indication, fetched.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
      slow = true;
      const timedOut = await only(pdf, { fetchRevocation: true, fetchTimeoutMs: 200 });
      expect(timedOut.revocation).toBe('unknown');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('confirms a good signer as not revoked from the same CRL', async () => {
    const s = await only(signed, { crls: [ca.crl()] });
    expect(s.indication).toBe('TOTAL_PASSED');
    expect(s.revocation).toBe('good');
  });

  it('is INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE for wrong key usage or extended key usage', async () => {
    const ku = await only(signPdf(unsignedPdf(), encipherOnly.certDer, encipherOnly.key));
    expect([ku.indication, ku.subIndication]).toEqual(['INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE']);
    const eku = await only(signPdf(unsignedPdf(), serverOnly.certDer, serverOnly.key));
    expect([eku.indication, eku.subIndication]).toEqual(['INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE']);
  });

  it('is INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND when the CMS omits the signer certificate', async () => {
    const s = await only(signPdf(unsignedPdf(), good.certDer, good.key, { omitSignerCert: true }));
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
  });
});

describe('signature timestamps (PAdES B-T)', () => {
  it('uses a trusted signature timestamp as proof of existence for a signer that expired later', async () => {
    const shortLived = ca.issue('Short Lived', { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) });
    const later = new Date(Date.now() + 10 * DAY);
    const plain = await only(signPdf(unsignedPdf(), shortLived.certDer, shortLived.key), { at: later });
    expect([plain.indication, plain.subIndication]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
    const stamped = await only(signPdf(unsignedPdf(), shortLived.certDer, shortLived.key, { timestamp: (v) => ca.timestamp(v) }), { at: later });
    expect(stamped.indication).toBe('TOTAL_PASSED');
    expect(stamped.padesLevel).toBe('B-T');
    expect(stamped.provenSigningTime).not.toBeNull();
  });

  it('fails a signature whose timestamp token is broken', async () => {
    const pdf = signPdf(unsignedPdf(), good.certDer, good.key, {
      timestamp: (v) => {
        const tok = ca.timestamp(v);
        tok[tok.length - 10] ^= 0x01; // inside the TSA's signature value
        return tok;
      },
    });
    const s = await only(pdf);
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
  });

  it('fails a signature whose timestamp covers other data', async () => {
    const s = await only(signPdf(unsignedPdf(), good.certDer, good.key, { timestamp: () => ca.timestamp(new Uint8Array([1, 2, 3])) }));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
  });
});

describe('changes after signing', () => {
  it('allows an annotation added in a later revision', async () => {
    const updated = appendUpdate(signed, [
      [8, '<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (Da xem) /P 3 0 R >>'],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> /Annots [4 0 R 8 0 R] >>'],
    ]);
    const s = await only(updated);
    expect(s.indication).toBe('TOTAL_PASSED');
    expect(s.modifiedAfterSigning).toBe('allowed');
    expect(s.coversWholeDocument).toBe(false);
  });

  it('flags a shadow attack that replaces the page content in an incremental update', async () => {
    const evil = 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 9) Tj ET';
    const updated = appendUpdate(signed, [[6, `<< /Length ${evil.length} >>\nstream\n${evil}\nendstream`]]);
    const s = await only(updated);
    expect(s.modifiedAfterSigning).toBe('disallowed');
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE']);
    expect(s.modifications.join(' ')).toMatch(/object 6 changed/);
    expect(s.messages.vi.join('\n')).toContain('CẢNH BÁO');
  });

  it('flags a page added after signing', async () => {
    const updated = appendUpdate(signed, [
      [9, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R 9 0 R] /Count 2 >>'],
    ]);
    expect((await only(updated)).modifiedAfterSigning).toBe('disallowed');
  });

  it('flags a replaced signature dictionary (spoofing)', async () => {
    const updated = appendUpdate(signed, [[5, '<< /Type /Sig /Filter /Adobe.PPKLite /Reason (Forged) /ByteRange [0 1 2 3] /Contents <00> >>']]);
    const r = await validatePdf(updated, { trustAnchors: [ca.certDer] });
    expect(r.signatures.some((s) => s.modifiedAfterSigning === 'disallowed')).toBe(true);
  });

  it('does not flag a second signature added in a later revision', async () => {
    const withField = appendUpdate(signed, [
      [10, '<< /FT /Sig /T (Signature2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R >>'],
      [1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 10 0 R] /SigFlags 3 >> >>'],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> /Annots [4 0 R 10 0 R] >>'],
    ]);
    const twice = signPdf(withField, ec.certDer, ec.key, { scheme: 'ecdsa', fieldNum: 10, fieldName: 'Signature2', sigNum: 11 });
    const r = await validatePdf(twice, { trustAnchors: [ca.certDer] });
    expect(r.signatures.map((s) => [s.indication, s.modifiedAfterSigning])).toEqual([
      ['TOTAL_PASSED', 'allowed'],
      ['TOTAL_PASSED', 'none'],
    ]);
  });
});

describe('certification signatures (DocMDP)', () => {
  const annotate = (pdf: Uint8Array): Uint8Array =>
    appendUpdate(pdf, [
      [8, '<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (Ghi chu) /P 3 0 R >>'],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> /Annots [4 0 R 8 0 R] >>'],
    ]);
  const secondSignature = (pdf: Uint8Array): Uint8Array => {
    const withField = appendUpdate(pdf, [
      [10, '<< /FT /Sig /T (Signature2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R >>'],
      [1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 10 0 R] /SigFlags 3 >> /Perms << /DocMDP 5 0 R >> >>'],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> /Annots [4 0 R 10 0 R] >>'],
    ]);
    return signPdf(withField, ec.certDer, ec.key, { scheme: 'ecdsa', fieldNum: 10, fieldName: 'Signature2', sigNum: 11 });
  };

  it('P=1 forbids any later annotation or signature', async () => {
    const certified = signPdf(unsignedPdf(), good.certDer, good.key, { certify: 1 });
    expect((await only(certified)).indication).toBe('TOTAL_PASSED');
    expect((await only(annotate(certified))).modifiedAfterSigning).toBe('disallowed');
    const r = await validatePdf(secondSignature(certified), { trustAnchors: [ca.certDer] });
    expect(r.signatures[0]!.modifiedAfterSigning).toBe('disallowed');
  });

  it('P=2 allows another signature but not annotations', async () => {
    const certified = signPdf(unsignedPdf(), good.certDer, good.key, { certify: 2 });
    expect((await only(annotate(certified))).modifiedAfterSigning).toBe('disallowed');
    const r = await validatePdf(secondSignature(certified), { trustAnchors: [ca.certDer] });
    expect(r.signatures.map((s) => [s.indication, s.modifiedAfterSigning])).toEqual([
      ['TOTAL_PASSED', 'allowed'],
      ['TOTAL_PASSED', 'none'],
    ]);
  });

  it('P=3 allows annotations', async () => {
    const certified = signPdf(unsignedPdf(), good.certDer, good.key, { certify: 3 });
    const s = await only(annotate(certified));
    expect([s.indication, s.modifiedAfterSigning]).toEqual(['TOTAL_PASSED', 'allowed']);
  });
});

describe('unreadable input', () => {
  it('reports a clean error for random bytes and for a truncated header', async () => {
    const random = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);
    const r1 = await validatePdf(random, { trustAnchors: [] });
    expect(r1.error?.code).toBe('PDF_NOT_PDF');
    const r2 = await validatePdf(signed.subarray(0, 3), { trustAnchors: [] });
    expect(r2.error?.code).toBe('PDF_NOT_PDF');
  });

  it('never throws on truncated signed files', async () => {
    for (const cut of [20, 200, 1100, 5000, 17000, signed.length - 40]) {
      const r = await validatePdf(signed.subarray(0, cut), { trustAnchors: [ca.certDer] });
      if (r.error) expect(r.error.code).toMatch(/^PDF_/);
      else for (const s of r.signatures) expect(s.indication).not.toBe('TOTAL_PASSED');
    }
  });

  it('reports no signatures for an unsigned file', async () => {
    const r = await validatePdf(unsignedPdf(), { trustAnchors: [] });
    expect(r.error).toBeNull();
    expect(r.signatures).toEqual([]);
  });
});
