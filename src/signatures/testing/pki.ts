/**
 * Test-only PKI made with the `openssl` CLI in a temporary folder: a root CA and signers with chosen validity,
 * key usage and revocation. Private keys live only in the temp folder and are never committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, type KeyObject } from 'node:crypto';

export interface TestIdentity {
  name: string;
  certDer: Uint8Array;
  key: KeyObject;
}

export interface TestCa extends TestIdentity {
  dir: string;
  issue(name: string, opts?: IssueOptions): TestIdentity;
  revoke(id: TestIdentity, at?: Date): void;
  /** DER CRL listing every certificate revoked so far. */
  crl(): Uint8Array;
  /** RFC 3161 token (DER ContentInfo) over `data`, stamped now by a TSA certificate of this CA. */
  timestamp(data: Uint8Array): Uint8Array;
  dispose(): void;
}

export interface IssueOptions {
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: string;
  extendedKeyUsage?: string;
  keyType?: 'rsa' | 'ec';
  /** Issue as an intermediate CA. */
  ca?: boolean;
  /** CRL distribution point URL to put in the certificate. */
  crlUrl?: string;
}

const TS_CONFIG = `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = .
serial = tsaserial
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
ess_cert_id_alg = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
`;

function toPem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

function osslTime(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function run(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function pemToDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

const CONFIG = `
[ ca ]
default_ca = testca
[ testca ]
dir = .
database = index.txt
serial = serial
new_certs_dir = .
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
default_crl_days = 30
[ anything ]
commonName = supplied
organizationName = optional
countryName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = placeholder
[ v3_root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;

/** Creates a root CA. `label` distinguishes several roots in one test. */
export function createTestCa(label = 'Hoso Test Root'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-pki-'));
  writeFileSync(join(dir, 'openssl.cnf'), CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '7300',
    '-subj', `/CN=${label}/O=Hoso Test/C=VN`, '-config', 'openssl.cnf', '-extensions', 'v3_root', '-utf8'], dir);
  const caKey = createPrivateKey(readFileSync(join(dir, 'ca.key')));
  let count = 0;
  let tsaReady = false;
  const ca: TestCa = {
    name: label,
    dir,
    certDer: pemToDer(readFileSync(join(dir, 'ca.pem'), 'utf8')),
    key: caKey,
    issue(name, opts = {}) {
      const id = `id${++count}`;
      const keyArgs = opts.keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
      run(['req', '-new', ...keyArgs, '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${name}/O=Hoso Test/C=VN`, '-config', 'openssl.cnf', '-utf8'], dir);
      const ext = opts.ca
        ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n'
        : `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,${opts.keyUsage ?? 'digitalSignature,nonRepudiation'}\n${opts.extendedKeyUsage ? `extendedKeyUsage=${opts.extendedKeyUsage}\n` : ''}`;
      const cdp = opts.crlUrl ? `crlDistributionPoints=URI:${opts.crlUrl}\n` : '';
      writeFileSync(join(dir, `${id}.ext`), `${ext}${cdp}subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n`);
      const nb = opts.notBefore ?? new Date(Date.now() - 24 * 3600_000);
      const na = opts.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000);
      run(['ca', '-batch', '-config', 'openssl.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${id}.csr`, '-out', `${id}.pem`,
        '-startdate', osslTime(nb), '-enddate', osslTime(na), '-extfile', `${id}.ext`, '-notext', '-utf8'], dir);
      return { name, certDer: pemToDer(readFileSync(join(dir, `${id}.pem`), 'utf8')), key: createPrivateKey(readFileSync(join(dir, `${id}.key`))) };
    },
    revoke(idn) {
      // openssl ca records the revocation at the current time.
      const pemPath = join(dir, `revoke-${++count}.pem`);
      writeFileSync(pemPath, `-----BEGIN CERTIFICATE-----\n${Buffer.from(idn.certDer).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`);
      run(['ca', '-batch', '-config', 'openssl.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-revoke', pemPath], dir);
    },
    crl() {
      run(['ca', '-batch', '-config', 'openssl.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-gencrl', '-out', 'ca.crl'], dir);
      return pemToDer(readFileSync(join(dir, 'ca.crl'), 'utf8'));
    },
    timestamp(data) {
      if (!tsaReady) {
        const t = ca.issue('Hoso Test TSA', { keyUsage: 'digitalSignature', extendedKeyUsage: 'critical,timeStamping' });
        writeFileSync(join(dir, 'tsa.pem'), toPem(t.certDer));
        writeFileSync(join(dir, 'tsa.key'), t.key.export({ format: 'pem', type: 'pkcs8' }));
        writeFileSync(join(dir, 'ts.cnf'), TS_CONFIG);
        writeFileSync(join(dir, 'tsaserial'), '01\n');
        tsaReady = true;
      }
      writeFileSync(join(dir, 'ts.data'), data);
      run(['ts', '-query', '-data', 'ts.data', '-sha256', '-cert', '-no_nonce', '-out', 'ts.tsq'], dir);
      run(['ts', '-reply', '-config', 'ts.cnf', '-queryfile', 'ts.tsq', '-signer', 'tsa.pem', '-inkey', 'tsa.key', '-token_out', '-out', 'ts.tok'], dir);
      return new Uint8Array(readFileSync(join(dir, 'ts.tok')));
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return ca;
}
