import type { PdfDocument } from '../pdf/document.ts';
import { PdfDict, PdfRef, PdfString, type PdfValue, nameOf } from '../pdf/objects.ts';

export interface FoundSignature {
  fieldName: string;
  fieldRef: PdfRef | undefined;
  /** The signature dictionary's object number when indirect. */
  sigRef: PdfRef | undefined;
  dict: PdfDict;
  /** True when the dictionary was read straight from the file (so /Contents offsets are file offsets). */
  fileOffsets: boolean;
  type: 'signature' | 'document-timestamp';
  subFilter: string;
  contents: PdfString | undefined;
  byteRange: PdfValue | undefined;
  lock: PdfDict | undefined;
  /** Newest revision in which the field still holds this signature. */
  lastRev: number;
}

export interface FieldInfo {
  name: string;
  ref: PdfRef | undefined;
  dict: PdfDict;
  ft: string | undefined;
}

/** Terminal form fields of revision `rev`, with inherited /FT and full names. Bounded in depth and count. */
export function listFields(doc: PdfDocument, rev: number): FieldInfo[] {
  const out: FieldInfo[] = [];
  const root = doc.dict(doc.trailer(rev).get('Root'), rev);
  const acro = doc.dict(root?.get('AcroForm'), rev);
  const fields = doc.resolve(acro?.get('Fields'), rev);
  if (!Array.isArray(fields)) return out;
  const seen = new Set<number>();
  const walk = (v: PdfValue, prefix: string, ft: string | undefined, depth: number): void => {
    if (depth > 32 || out.length > 10_000) return;
    const ref = v instanceof PdfRef ? v : undefined;
    if (ref) {
      if (seen.has(ref.num)) return;
      seen.add(ref.num);
    }
    const d = doc.dict(v, rev);
    if (!d) return;
    const t = d.get('T');
    const part = t instanceof PdfString ? t.text() : '';
    const name = part ? (prefix ? `${prefix}.${part}` : part) : prefix;
    const myFt = nameOf(doc.resolve(d.get('FT'), rev)) ?? ft;
    const kids = doc.resolve(d.get('Kids'), rev);
    const fieldKids = Array.isArray(kids) ? kids.filter((k) => doc.dict(k, rev)?.has('T')) : [];
    if (Array.isArray(kids) && fieldKids.length > 0) {
      for (const k of fieldKids) walk(k, name, myFt, depth + 1);
      return;
    }
    out.push({ name, ref, dict: d, ft: myFt });
  };
  for (const f of fields) walk(f, '', undefined, 0);
  return out;
}

function isPlaceholder(s: PdfString | undefined): boolean {
  if (!s) return true;
  for (const b of s.bytes) if (b !== 0) return false;
  return true;
}

/**
 * Every signature of the document, including ones that a later revision unlinked or replaced (a spoofing
 * attack hides the original signature from readers that look only at the newest revision).
 */
export function findSignatures(doc: PdfDocument): FoundSignature[] {
  const byKey = new Map<string, FoundSignature>();
  for (let rev = doc.lastRev; rev >= 0; rev--) {
    let fields: FieldInfo[];
    try {
      fields = listFields(doc, rev);
    } catch {
      continue;
    }
    for (const f of fields) {
      if (f.ft !== 'Sig') continue;
      const vRaw = f.dict.get('V');
      const sigRef = vRaw instanceof PdfRef ? vRaw : undefined;
      const d = doc.dict(vRaw, rev);
      if (!d) continue;
      const contents = doc.resolve(d.get('Contents'), rev);
      const cs = contents instanceof PdfString ? contents : undefined;
      if (isPlaceholder(cs)) continue;
      const holder = sigRef ?? f.ref;
      const entry = holder ? doc.entry(holder.num, rev) : undefined;
      const fileOffsets = entry?.type === 1 && !(d.get('Contents') instanceof PdfRef);
      const key = `${fileOffsets ? cs!.start : `obj${holder?.num}`}:${cs!.bytes.length}`;
      const existing = byKey.get(key);
      if (existing) continue;
      const type = nameOf(d.get('Type')) === 'DocTimeStamp' || nameOf(d.get('SubFilter')) === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature';
      byKey.set(key, {
        fieldName: f.name,
        fieldRef: f.ref,
        sigRef,
        dict: d,
        fileOffsets,
        type,
        subFilter: nameOf(doc.resolve(d.get('SubFilter'), rev)) ?? '',
        contents: cs,
        byteRange: doc.resolve(d.get('ByteRange'), rev),
        lock: doc.dict(f.dict.get('Lock'), rev),
        lastRev: rev,
      });
    }
  }
  return [...byKey.values()];
}
