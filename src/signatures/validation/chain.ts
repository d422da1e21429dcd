import { type Cert, KU_KEY_CERT_SIGN, issuedBy } from './certs.ts';

export interface ChainResult {
  /** Leaf first; ends with the certificate that matched an anchor when trusted. */
  path: Cert[];
  trusted: boolean;
  /** Set when a trusted path exists but breaks a structural rule (non-CA issuer, unknown critical extension). */
  constraintFailure: string | undefined;
}

/** An anchor matches by subject and public key, not by exact bytes (re-issued roots keep name and key). */
export function matchesAnchor(c: Cert, anchors: Cert[]): boolean {
  return anchors.some((a) => a.subjectKey === c.subjectKey && a.spkiHex === c.spkiHex);
}

/** Depth-first path building from `leaf` to any anchor, using every certificate we know of. */
export function buildChain(leaf: Cert, pool: Cert[], anchors: Cert[]): ChainResult {
  const candidates = [...anchors, ...pool];
  let best: Cert[] = [leaf];
  const walk = (cert: Cert, path: Cert[]): Cert[] | undefined => {
    if (matchesAnchor(cert, anchors)) return path;
    if (path.length > best.length) best = path;
    if (path.length >= 12) return undefined;
    const seen = new Set<string>();
    for (const c of candidates) {
      if (c.subjectKey !== cert.issuerKey || seen.has(c.id) || path.some((p) => p.id === c.id)) continue;
      seen.add(c.id);
      if (!issuedBy(cert, c)) continue;
      const r = walk(c, [...path, c]);
      if (r) return r;
    }
    return undefined;
  };
  const trusted = walk(leaf, [leaf]);
  if (!trusted) return { path: best, trusted: false, constraintFailure: undefined };
  return { path: trusted, trusted: true, constraintFailure: constraintFailure(trusted, anchors) };
}

function constraintFailure(path: Cert[], anchors: Cert[]): string | undefined {
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    const isAnchor = i === path.length - 1 && matchesAnchor(c, anchors);
    if (c.unknownCritical.length > 0 && !isAnchor) return `unhandled critical extension ${c.unknownCritical[0]} in ${c.subject}`;
    if (i === 0) continue;
    // Issuers must be CAs; a trust anchor is trusted as configured, except that it must not be a leaf-only certificate.
    if (c.ca === false || (c.ca === undefined && !isAnchor)) return `issuer ${c.subject} is not a CA certificate`;
    if (c.keyUsage !== undefined && !(c.keyUsage & KU_KEY_CERT_SIGN)) return `issuer ${c.subject} may not sign certificates`;
  }
  return undefined;
}
