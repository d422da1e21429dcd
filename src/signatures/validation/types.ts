export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

export interface CertSummary {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
}

export interface SignatureReport {
  type: 'signature' | 'document-timestamp';
  indication: Indication;
  subIndication: string | null;
  modifiedAfterSigning: 'none' | 'allowed' | 'disallowed';
  fieldName: string;
  subFilter: string;
  signer: { subject: string; issuer: string; serial: string } | null;
  /** Time the signer claims (/M or CMS signing-time); not proof. */
  claimedSigningTime: string | null;
  /** Earliest time proven by a trusted timestamp. */
  provenSigningTime: string | null;
  padesLevel: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | null;
  coversWholeDocument: boolean;
  /** Index of the revision the signature covers (0 = original file). */
  revision: number;
  digestAlgorithm: string | null;
  chain: CertSummary[];
  revocation: 'good' | 'revoked' | 'unknown' | 'not-checked';
  modifications: string[];
  messages: { vi: string[]; en: string[] };
}

export interface ValidationReport {
  error: { code: string; message: string } | null;
  revisions: number;
  signatures: SignatureReport[];
}

export interface ValidateOptions {
  /** DER certificates trusted as anchors. */
  trustAnchors: Uint8Array[];
  /** Extra DER CRLs and OCSP responses (e.g. fetched by the operator). */
  crls?: Uint8Array[];
  ocsps?: Uint8Array[];
  /** Extra DER certificates usable for path building (not trusted). */
  certificates?: Uint8Array[];
  /** Validation time; defaults to the current time. */
  at?: Date;
  /** Fetch CRLs from the certificates' distribution points (off by default). */
  fetchRevocation?: boolean;
  fetchTimeoutMs?: number;
}
