import type { KeyObject } from 'node:crypto';
import { generateKey, issueCertificate } from '../../signatures/pki/index.ts';
import { LocalTimestampSource, type TsaIdentity } from '../../signatures/tsa/index.ts';
import { keyCheckpointSigner, type CheckpointSigner } from './checkpoint.ts';

/**
 * A throw-away PKI for tests and benchmarks: a root, a seal certificate issued by it and an in-process TSA, all
 * with fresh EC keys (fast to make). Never used by the product at run time.
 */
export function makeTestSeal(now = new Date()): {
  signer: CheckpointSigner;
  root: Uint8Array;
  rootKey: KeyObject;
  sealCertificate: Uint8Array;
  untimestampedSigner: CheckpointSigner;
} {
  const notBefore = new Date(now.getTime() - 3600_000);
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);
  const rootKey = generateKey({ kind: 'ec', curve: 'P-256' });
  const root = issueCertificate({
    profile: 'root-ca',
    subject: { commonName: 'hoso Test Root', organization: 'hoso Test', country: 'VN' },
    publicKey: rootKey.publicKey,
    selfSignKey: rootKey.privateKey,
    notBefore,
    notAfter,
  });
  const issuer = { certificate: root, privateKey: rootKey.privateKey };
  const sealKey = generateKey({ kind: 'ec', curve: 'P-256' });
  const sealCertificate = issueCertificate({
    profile: 'seal',
    subject: { commonName: 'Trung tâm Phục vụ hành chính công (thử nghiệm)', organization: 'hoso Test', country: 'VN' },
    publicKey: sealKey.publicKey,
    issuer,
    notBefore,
    notAfter,
  });
  const tsaKey = generateKey({ kind: 'ec', curve: 'P-256' });
  const tsa: TsaIdentity = {
    certificate: issueCertificate({
      profile: 'tsa',
      subject: { commonName: 'hoso Test TSA', organization: 'hoso Test', country: 'VN' },
      publicKey: tsaKey.publicKey,
      issuer,
      notBefore,
      notAfter,
    }),
    privateKey: tsaKey.privateKey,
    chain: [root],
  };
  const certificateChain = [sealCertificate, root];
  return {
    signer: keyCheckpointSigner({ privateKey: sealKey.privateKey, certificateChain, timestamps: new LocalTimestampSource(tsa, [root]) }),
    untimestampedSigner: keyCheckpointSigner({ privateKey: sealKey.privateKey, certificateChain }),
    root,
    rootKey: rootKey.privateKey,
    sealCertificate,
  };
}
