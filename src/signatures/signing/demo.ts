import type { DemoPki } from '../pki/demo.ts';
import { P12Backend } from '../keys/p12.ts';
import { StaticRevocationSource } from '../keys/revocation.ts';
import { LocalTimestampSource } from '../tsa/local.ts';

/**
 * Everything another room needs to sign with the demo PKI in-process: trust anchors, revocation data (the demo
 * CRLs), an in-process TSA, and PKCS#12 signers by id.
 *
 *   const demo = demoSigning(pki);
 *   const { bytes } = await signPdf(pdf, { ...demo.options, signer: await demo.seal('so-y-te'), level: 'B-T', certify: 2 });
 */
type DemoSigning = {
  options: { trustAnchors: Uint8Array[]; revocation: StaticRevocationSource; tsa: LocalTimestampSource };
  person(id: string): Promise<P12Backend>;
  seal(id: string): Promise<P12Backend>;
};

// One set per PKI: the revocation source and TSA keep what they parsed between documents.
const perPki = new WeakMap<DemoPki, DemoSigning>();

export function demoSigning(pki: DemoPki): DemoSigning {
  const known = perPki.get(pki);
  if (known) return known;
  const options = {
    trustAnchors: pki.trustAnchors,
    revocation: new StaticRevocationSource([pki.crls.root, pki.crls.agency]),
    tsa: new LocalTimestampSource({ certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey, chain: pki.tsa.chain }, pki.trustAnchors),
  };
  const open = async (set: DemoPki['people'], kind: string, id: string): Promise<P12Backend> => {
    const s = set[id];
    if (!s) throw new Error(`demo PKI has no ${kind} "${id}"`);
    return P12Backend.fromFile(s.p12Path, s.password);
  };
  const signing: DemoSigning = { options, person: (id) => open(pki.people, 'person', id), seal: (id) => open(pki.seals, 'seal', id) };
  perPki.set(pki, signing);
  return signing;
}
