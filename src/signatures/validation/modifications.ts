import type { PdfDocument } from '../pdf/document.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue, nameOf } from '../pdf/objects.ts';
import type { FoundSignature } from './fields.ts';

export type ModificationLevel = 'none' | 'allowed' | 'disallowed';

export interface ModificationResult {
  level: ModificationLevel;
  /** Human-readable findings (English, technical). */
  findings: string[];
}

/** Permissions set by signatures: DocMDP level (1 no changes, 2 form filling + signing, 3 + annotations) and locked fields. */
export interface Permissions {
  docMdp: number | undefined;
  lockAll: boolean;
  locked: Set<string>;
  /** Fields excluded from an "Exclude" lock: everything else is locked. */
  lockExcept: Set<string> | undefined;
}

function fieldList(doc: PdfDocument, v: PdfValue | undefined): string[] {
  const a = doc.resolve(v);
  if (!Array.isArray(a)) return [];
  return a.map((x) => doc.resolve(x)).filter((x): x is PdfString => x instanceof PdfString).map((s) => s.text());
}

/** Reads DocMDP / FieldMDP transforms and the field /Lock of one signature. */
export function permissionsOf(doc: PdfDocument, sig: FoundSignature): Permissions {
  const p: Permissions = { docMdp: undefined, lockAll: false, locked: new Set(), lockExcept: undefined };
  const applyLock = (d: PdfDict): void => {
    const action = nameOf(doc.resolve(d.get('Action')));
    const fields = fieldList(doc, d.get('Fields'));
    if (action === 'All') p.lockAll = true;
    else if (action === 'Include') for (const f of fields) p.locked.add(f);
    else if (action === 'Exclude') p.lockExcept = new Set(fields);
    const lp = doc.resolve(d.get('P'));
    if (typeof lp === 'number') p.docMdp = Math.min(p.docMdp ?? 3, lp);
  };
  const refs = doc.resolve(sig.dict.get('Reference'));
  if (Array.isArray(refs)) {
    for (const r of refs) {
      const rd = doc.dict(r);
      if (!rd) continue;
      const method = nameOf(doc.resolve(rd.get('TransformMethod')));
      const params = doc.dict(rd.get('TransformParams'));
      if (method === 'DocMDP') {
        const pv = params ? doc.resolve(params.get('P')) : undefined;
        p.docMdp = Math.min(p.docMdp ?? 3, typeof pv === 'number' && pv >= 1 && pv <= 3 ? pv : 2);
      } else if (method === 'FieldMDP' && params) applyLock(params);
    }
  }
  if (sig.lock) applyLock(sig.lock);
  return p;
}

function mergePermissions(list: Permissions[]): Permissions {
  const out: Permissions = { docMdp: undefined, lockAll: false, locked: new Set(), lockExcept: undefined };
  for (const p of list) {
    if (p.docMdp !== undefined) out.docMdp = Math.min(out.docMdp ?? 3, p.docMdp);
    out.lockAll ||= p.lockAll;
    for (const f of p.locked) out.locked.add(f);
    if (p.lockExcept) {
      if (!out.lockExcept) out.lockExcept = new Set(p.lockExcept);
      else for (const f of out.lockExcept) if (!p.lockExcept.has(f)) out.lockExcept.delete(f);
    }
  }
  return out;
}

function isLocked(p: Permissions, name: string): boolean {
  if (p.lockAll) return true;
  for (const l of p.locked) if (name === l || name.startsWith(`${l}.`)) return true;
  if (p.lockExcept) {
    for (const l of p.lockExcept) if (name === l || name.startsWith(`${l}.`)) return false;
    return true;
  }
  return false;
}

/** Structural equality; references compare by object number, streams by dictionary and raw bytes. */
/** Largest difference between two reals that still counts as the same value (1/720 000 inch). */
const REAL_TOLERANCE = 1e-4;

export function sameValue(a: PdfValue | undefined, b: PdfValue | undefined, depth = 0): boolean {
  if (depth > 64) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  // Writers re-serialize reals with fewer digits when they rewrite an object (595.2755905511812 → 595.27559);
  // ISO 32000-1 Annex C.2 only promises about five decimal digits, so such a difference changes nothing rendered.
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= REAL_TOLERANCE;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfString) return b instanceof PdfString && Buffer.compare(a.bytes, b.bytes) === 0;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i], depth + 1));
  if (a instanceof PdfStream) {
    return b instanceof PdfStream && sameValue(dictWithout(a.dict, 'Length'), dictWithout(b.dict, 'Length'), depth + 1) && Buffer.compare(a.data, b.data) === 0;
  }
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!sameValue(v, b.map.get(k), depth + 1)) return false;
    return true;
  }
  return false;
}

function dictWithout(d: PdfDict, key: string): PdfDict {
  const m = new Map(d.map);
  m.delete(key);
  return new PdfDict(m);
}

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !sameValue(a.get(k), b.get(k)));
}

type Role =
  | 'catalog' | 'pages' | 'page' | 'annots' | 'acroform' | 'fields' | 'field' | 'widget' | 'annotation'
  | 'appearance' | 'sigdict' | 'dss' | 'info' | 'metadata' | 'structure' | 'protected';

interface RoleInfo {
  roles: Set<Role>;
  fieldName?: string;
  signedField?: boolean;
}

/** Walks revision `rev` from its trailer and records what each indirect object is used for. */
export function mapRoles(doc: PdfDocument, rev: number): Map<number, RoleInfo> {
  const roles = new Map<number, RoleInfo>();
  let budget = 200_000;
  const mark = (num: number, role: Role, extra?: Partial<RoleInfo>): boolean => {
    let r = roles.get(num);
    if (!r) {
      r = { roles: new Set() };
      roles.set(num, r);
    }
    if (extra) Object.assign(r, extra);
    if (r.roles.has(role)) return false;
    r.roles.add(role);
    return --budget > 0;
  };
  const walk = (v: PdfValue | undefined, role: Role, depth: number, skip?: Set<string>): void => {
    if (depth > 48 || v === undefined || v === null || budget <= 0) return;
    if (v instanceof PdfRef) {
      if (!mark(v.num, role)) return;
      walk(doc.getObject(v.num, rev), role, depth + 1, skip);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) walk(x, role, depth + 1);
      return;
    }
    const d = v instanceof PdfStream ? v.dict : v instanceof PdfDict ? v : undefined;
    if (!d) return;
    for (const [k, x] of d.map) {
      if (k === 'Parent' || k === 'P' || skip?.has(k)) continue;
      walk(x, role, depth + 1);
    }
  };
  const walkAppearance = (v: PdfValue | undefined, depth: number): void => walk(v, 'appearance', depth);
  const walkAnnot = (ref: PdfValue, depth: number): void => {
    const d = doc.dict(ref, rev);
    if (!d) return;
    const isWidget = nameOf(d.get('Subtype')) === 'Widget';
    if (ref instanceof PdfRef && !mark(ref.num, isWidget ? 'widget' : 'annotation')) return;
    for (const [k, x] of d.map) {
      if (k === 'Parent' || k === 'P' || k === 'V') continue;
      if (k === 'AP') walkAppearance(x, depth + 1);
      else if (!isWidget && k !== 'Popup' && k !== 'IRT') walk(x, 'annotation', depth + 1);
      else if (isWidget && (k === 'MK' || k === 'DA' || k === 'AS')) continue;
      else if (!isWidget) continue;
      else walk(x, 'protected', depth + 1);
    }
  };
  const walkPages = (v: PdfValue | undefined, depth: number): void => {
    if (depth > 32 || !(v instanceof PdfRef)) return walk(v, 'protected', depth);
    const d = doc.dict(v, rev);
    if (!d) return;
    const isPage = nameOf(d.get('Type')) === 'Page' || !d.has('Kids');
    if (!mark(v.num, isPage ? 'page' : 'pages')) return;
    for (const [k, x] of d.map) {
      if (k === 'Parent') continue;
      if (!isPage && k === 'Kids') {
        const kids = doc.resolve(x, rev);
        if (x instanceof PdfRef) mark(x.num, 'pages');
        if (Array.isArray(kids)) for (const kid of kids) walkPages(kid, depth + 1);
      } else if (isPage && k === 'Annots') {
        if (x instanceof PdfRef) mark(x.num, 'annots');
        const list = doc.resolve(x, rev);
        if (Array.isArray(list)) for (const a of list) walkAnnot(a, depth + 1);
      } else walk(x, 'protected', depth + 1);
    }
  };
  const walkField = (v: PdfValue, prefix: string, depth: number): void => {
    if (depth > 32) return;
    const d = doc.dict(v, rev);
    if (!d) return;
    const t = d.get('T');
    const part = t instanceof PdfString ? t.text() : '';
    const name = part ? (prefix ? `${prefix}.${part}` : part) : prefix;
    const sigV = doc.dict(d.get('V'), rev);
    const signed = !!sigV && sigV.get('Contents') instanceof PdfString;
    if (v instanceof PdfRef && !mark(v.num, 'field', { fieldName: name, signedField: signed })) return;
    for (const [k, x] of d.map) {
      if (k === 'Parent' || k === 'P') continue;
      if (k === 'Kids') {
        if (x instanceof PdfRef) mark(x.num, 'field', { fieldName: name });
        const kids = doc.resolve(x, rev);
        if (Array.isArray(kids)) for (const kid of kids) {
          if (doc.dict(kid, rev)?.has('T')) walkField(kid, name, depth + 1);
          else {
            walkAnnot(kid, depth + 1);
            if (kid instanceof PdfRef) roles.get(kid.num)!.fieldName = name;
          }
        }
      } else if (k === 'AP') walkAppearance(x, depth + 1);
      else if (k === 'V' && signed) {
        if (x instanceof PdfRef) mark(x.num, 'sigdict');
        const sd = doc.dict(x, rev)!;
        // /Reference /Data points back at the catalog: not part of the signature dictionary itself.
        for (const [sk, sx] of sd.map) if (sk !== 'Contents' && sk !== 'Reference') walk(sx, 'sigdict', depth + 1);
      } else if (k === 'V' || k === 'DV' || k === 'Lock' || k === 'SV' || k === 'MK' || k === 'DR') walk(x, 'appearance', depth + 1);
      else walk(x, 'protected', depth + 1);
    }
  };
  const trailer = doc.trailer(rev);
  const rootRef = trailer.get('Root');
  if (rootRef instanceof PdfRef) mark(rootRef.num, 'catalog');
  const root = doc.dict(rootRef, rev);
  if (root) {
    for (const [k, x] of root.map) {
      if (k === 'Pages') walkPages(x, 1);
      else if (k === 'AcroForm') {
        if (x instanceof PdfRef) mark(x.num, 'acroform');
        const af = doc.dict(x, rev);
        if (!af) continue;
        for (const [ak, ax] of af.map) {
          if (ak === 'Fields') {
            if (ax instanceof PdfRef) mark(ax.num, 'fields');
            const list = doc.resolve(ax, rev);
            if (Array.isArray(list)) for (const f of list) walkField(f, '', 2);
          } else if (ak === 'DR' || ak === 'DA' || ak === 'NeedAppearances' || ak === 'SigFlags') walk(ax, 'appearance', 2);
          else walk(ax, 'protected', 2);
        }
      } else if (k === 'DSS') walk(x, 'dss', 1);
      else if (k === 'StructTreeRoot') walk(x, 'structure', 1);
      else if (k === 'Metadata') walk(x, 'metadata', 1);
      else walk(x, 'protected', 1);
    }
  }
  for (const [k, x] of trailer.map) {
    if (k === 'Root' || k === 'Prev' || k === 'Size' || k === 'ID' || k === 'XRefStm' || k === 'Encrypt') continue;
    if (k === 'Info') walk(x, 'info', 1);
    else if (['Type', 'W', 'Index', 'Filter', 'DecodeParms', 'Length'].includes(k)) continue;
    else walk(x, 'protected', 1);
  }
  return roles;
}

const TRAILER_BOOKKEEPING = new Set(['Size', 'Prev', 'Root', 'Info', 'ID', 'XRefStm', 'Type', 'W', 'Index', 'Filter', 'DecodeParms', 'Length', 'DL']);

function isStructureNode(v: PdfValue | undefined): boolean {
  if (!(v instanceof PdfDict)) return false;
  const t = nameOf(v.get('Type'));
  return t === 'StructTreeRoot' || t === 'StructElem' || t === 'MCR' || t === 'OBJR' || v.has('Nums') || (t === undefined && v.has('S') && v.has('P'));
}

const CATALOG_ALLOWED = new Set(['AcroForm', 'DSS', 'Metadata', 'Extensions', 'Version', 'Perms']);
/** Page-tree keys whose change alters which pages exist or how they render (inheritable attributes). */
const PAGE_TREE_KEYS = new Set(['Kids', 'Count', 'Resources', 'MediaBox', 'CropBox', 'Rotate', 'Type']);
const ACROFORM_ALLOWED = new Set(['Fields', 'SigFlags', 'NeedAppearances', 'DR', 'DA']);
const FIELD_FILL_KEYS = new Set(['V', 'AP', 'AS', 'MK', 'DA']);
const WIDGET_KEYS = new Set(['AP', 'AS', 'MK', 'DA', 'F', 'P']);

interface Ctx {
  doc: PdfDocument;
  perms: Permissions;
  findings: string[];
  level: ModificationLevel;
}

function flag(ctx: Ctx, allowed: boolean, what: string): void {
  if (!allowed) {
    ctx.level = 'disallowed';
    ctx.findings.push(what);
  } else if (ctx.level === 'none') ctx.level = 'allowed';
}

function refNums(doc: PdfDocument, v: PdfValue | undefined, rev: number): number[] {
  const a = doc.resolve(v, rev);
  return Array.isArray(a) ? a.filter((x): x is PdfRef => x instanceof PdfRef).map((r) => r.num) : [];
}

/** Checks one incremental update (revision `rev` over `rev - 1`). */
function checkStep(ctx: Ctx, rev: number, roles: Map<number, RoleInfo>, docTsOnly: boolean): void {
  const { doc, perms } = ctx;
  const old = rev - 1;
  const p = perms.docMdp;
  const section = doc.sections[rev]!;
  const oldRoot = doc.trailer(old).get('Root');
  const newRoot = doc.trailer(rev).get('Root');
  if (oldRoot instanceof PdfRef && newRoot instanceof PdfRef && oldRoot.num !== newRoot.num) {
    checkCatalog(ctx, doc.dict(oldRoot, old), doc.dict(newRoot, rev), old, rev);
  }
  const ot = doc.trailer(old);
  const nt = doc.trailer(rev);
  for (const k of new Set([...ot.map.keys(), ...nt.map.keys()])) {
    if (TRAILER_BOOKKEEPING.has(k)) continue;
    // Writers keep private trailer entries up to date (LibreOffice's /AdditionalStreams); a new entry is
    // something the signer never saw and can be used to re-attach detached objects.
    if (!ot.has(k)) flag(ctx, false, `trailer entry /${k} added`);
    else if (!nt.has(k)) flag(ctx, true, `trailer entry /${k} removed`);
    else if (!sameValue(ot.get(k), nt.get(k))) flag(ctx, true, `trailer entry /${k} updated`);
  }
  for (const [num, entry] of section.entries) {
    if (doc.storageKey(num, old) === doc.storageKey(num, rev)) continue;
    const info = roles.get(num);
    if (!info) continue; // new or unreachable object: judged through whatever references it
    const oldV = doc.getObject(num, old);
    const newV = entry.type === 0 ? undefined : doc.getObject(num, rev);
    if (sameValue(oldV, newV)) continue;
    const r = info.roles;
    if (oldV === undefined) {
      // A number the signed revision referenced but never defined, now filled in. Writers reuse such numbers
      // for new annotations and signatures; filling a dangling reference in page content is a hiding attack.
      const d = newV instanceof PdfDict ? newV : undefined;
      const harmless = !!d && (nameOf(d.get('Type')) === 'Annot' || d.has('FT') || nameOf(d.get('Type')) === 'Sig' || nameOf(d.get('Type')) === 'DocTimeStamp' || d.has('Certs') || d.has('VRI'));
      flag(ctx, harmless || !(r.has('protected') || r.has('page') || r.has('pages')), `previously undefined object ${num} defined`);
      continue;
    }
    if (newV === undefined) {
      flag(ctx, !r.has('protected') && !r.has('page') && !r.has('pages') && !r.has('field') && !r.has('sigdict') && !r.has('catalog'), `object ${num} deleted`);
      continue;
    }
    const od = oldV instanceof PdfStream ? oldV.dict : oldV;
    const nd = newV instanceof PdfStream ? newV.dict : newV;
    if (r.has('catalog')) {
      checkCatalog(ctx, od instanceof PdfDict ? od : undefined, nd instanceof PdfDict ? nd : undefined, old, rev);
      continue;
    }
    if (r.has('sigdict')) {
      flag(ctx, false, `signature dictionary ${num} changed after signing`);
      continue;
    }
    if (r.has('pages')) {
      const keys = od instanceof PdfDict && nd instanceof PdfDict ? changedKeys(od, nd) : ['Kids'];
      const bad = keys.filter((k) => PAGE_TREE_KEYS.has(k));
      if (bad.length) flag(ctx, false, `page tree ${num} changed (${bad.join(', ')}: pages added, removed or reordered)`);
      else flag(ctx, true, `page tree ${num} annotated by the writer`);
      continue;
    }
    if (r.has('page')) {
      if (!(od instanceof PdfDict) || !(nd instanceof PdfDict)) {
        flag(ctx, false, `page ${num} replaced`);
        continue;
      }
      const keys = changedKeys(od, nd).filter((k) => k !== 'Annots');
      if (keys.length) flag(ctx, false, `page ${num} changed (${keys.join(', ')})`);
      if (!sameValue(od.get('Annots'), nd.get('Annots'))) checkAnnots(ctx, refNums(doc, od.get('Annots'), old), refNums(doc, nd.get('Annots'), rev), rev, docTsOnly);
      continue;
    }
    if (r.has('annots')) {
      checkAnnots(ctx, refNums(doc, oldV, old), refNums(doc, newV, rev), rev, docTsOnly);
      continue;
    }
    if (r.has('acroform')) {
      if (!(od instanceof PdfDict) || !(nd instanceof PdfDict)) {
        flag(ctx, false, 'form dictionary replaced');
        continue;
      }
      const keys = changedKeys(od, nd);
      const bad = keys.filter((k) => !ACROFORM_ALLOWED.has(k));
      if (bad.length) flag(ctx, false, `form dictionary changed (${bad.join(', ')})`);
      if (keys.includes('Fields')) checkFields(ctx, refNums(doc, od.get('Fields'), old), refNums(doc, nd.get('Fields'), rev), rev);
      else if (keys.length) flag(ctx, p !== 1 || docTsOnly, 'form dictionary updated');
      continue;
    }
    if (r.has('fields')) {
      checkFields(ctx, refNums(doc, oldV, old), refNums(doc, newV, rev), rev);
      continue;
    }
    if (r.has('field') || r.has('widget')) {
      const name = info.fieldName ?? '';
      if (!(od instanceof PdfDict) || !(nd instanceof PdfDict)) {
        flag(ctx, false, `form field ${name} replaced`);
        continue;
      }
      const keys = changedKeys(od, nd);
      if (info.signedField) {
        const bad = keys.filter((k) => !(k === 'MK' || k === 'F' || k === 'P' || k === 'AP' && !r.has('field')));
        if (bad.length) flag(ctx, false, `signed field ${name} changed (${bad.join(', ')})`);
        continue;
      }
      const isSigField = nameOf(doc.resolve(od.get('FT'), old)) === 'Sig' || nameOf(doc.resolve(nd.get('FT'), rev)) === 'Sig';
      for (const k of keys) {
        const was = od.get(k);
        if (was instanceof PdfRef && roles.get(was.num)?.roles.has('protected')) flag(ctx, false, `field ${name} detached object ${was.num} shared with other content`);
      }
      if (isSigField) {
        // An empty signature field being signed.
        const bad = keys.filter((k) => !['V', 'AP', 'AS', 'MK', 'DA', 'F', 'P', 'Lock', 'SV', 'Rect', 'Ff'].includes(k));
        if (bad.length) flag(ctx, false, `signature field ${name} changed (${bad.join(', ')})`);
        else flag(ctx, (p !== 1 || docTsOnly) && !(isLocked(perms, name) && !docTsOnly && keys.some((k) => k !== 'V' && k !== 'AP')), `signature field ${name} filled`);
        continue;
      }
      // Re-pointing a field at a new appearance is form filling, unless the old object is shared with
      // content outside the form (a "sneaky" update that detaches something the document still shows).
      for (const k of keys) {
        const was = od.get(k);
        if (was instanceof PdfRef && roles.get(was.num)?.roles.has('protected')) flag(ctx, false, `field ${name} detached object ${was.num} shared with other content`);
      }
      const allowedKeys = r.has('field') ? FIELD_FILL_KEYS : WIDGET_KEYS;
      const bad = keys.filter((k) => !allowedKeys.has(k) && !(r.has('widget') && FIELD_FILL_KEYS.has(k)));
      if (bad.length) flag(ctx, false, `form field ${name} changed (${bad.join(', ')})`);
      else if (isLocked(perms, name)) flag(ctx, false, `locked field ${name} modified`);
      else flag(ctx, p === undefined || p >= 2, `form field ${name} filled`);
      continue;
    }
    if (r.has('structure') && isStructureNode(od)) {
      flag(ctx, true, `structure tree node ${num} updated`);
      continue;
    }
    if (r.has('protected')) {
      flag(ctx, false, `object ${num} changed (content outside forms and annotations)`);
      continue;
    }
    if (r.has('annotation')) {
      flag(ctx, p === undefined || p >= 3, `annotation ${num} modified`);
      continue;
    }
    if (r.has('appearance')) {
      flag(ctx, p === undefined || p >= 2 || docTsOnly, `appearance ${num} updated`);
      continue;
    }
    // dss, metadata, info, structure tree: allowed (LTV data, XMP, document information, tagging of new fields).
    flag(ctx, true, `object ${num} updated`);
  }
}

function checkCatalog(ctx: Ctx, od: PdfDict | undefined, nd: PdfDict | undefined, old: number, rev: number): void {
  if (!od || !nd) {
    flag(ctx, false, 'document catalog replaced');
    return;
  }
  const keys = changedKeys(od, nd);
  const bad = keys.filter((k) => !CATALOG_ALLOWED.has(k) && !(k === 'Names' && onlyAppearanceNames(ctx, od, nd, old, rev)));
  if (bad.length) flag(ctx, false, `document catalog changed (${bad.join(', ')})`);
  if (keys.includes('Names') && !bad.includes('Names')) flag(ctx, ctx.perms.docMdp === undefined || ctx.perms.docMdp >= 3, 'named appearances for annotations added');
  else if (keys.length) flag(ctx, true, 'document catalog updated');
  if (keys.includes('Perms')) {
    const a = ctx.doc.dict(od.get('Perms'), old);
    const b = ctx.doc.dict(nd.get('Perms'), rev);
    if (a && a.has('DocMDP') && !(b && sameValue(a.get('DocMDP'), b.get('DocMDP')))) flag(ctx, false, 'certification permissions removed');
  }
  if (keys.includes('AcroForm') && !(od.get('AcroForm') instanceof PdfRef && nd.get('AcroForm') instanceof PdfRef)) {
    const a = ctx.doc.dict(od.get('AcroForm'), old);
    const b = ctx.doc.dict(nd.get('AcroForm'), rev);
    if (a && b) {
      const ak = changedKeys(a, b);
      const badA = ak.filter((k) => !ACROFORM_ALLOWED.has(k));
      if (badA.length) flag(ctx, false, `form dictionary changed (${badA.join(', ')})`);
      if (ak.includes('Fields')) checkFields(ctx, refNums(ctx.doc, a.get('Fields'), old), refNums(ctx.doc, b.get('Fields'), rev), rev);
    }
  }
}

/** Adding annotation appearance names (/Names /AP) is part of annotating; other name trees (JavaScript, files) are not. */
function onlyAppearanceNames(ctx: Ctx, od: PdfDict, nd: PdfDict, old: number, rev: number): boolean {
  const a = ctx.doc.dict(od.get('Names'), old) ?? new PdfDict(new Map());
  const b = ctx.doc.dict(nd.get('Names'), rev);
  if (!b) return false;
  return changedKeys(a, b).every((k) => k === 'AP');
}

function checkFields(ctx: Ctx, before: number[], after: number[], rev: number): void {
  const now = new Set(after);
  for (const n of before) if (!now.has(n)) flag(ctx, false, `form field ${n} removed`);
  const was = new Set(before);
  for (const n of after) {
    if (was.has(n)) continue;
    const d = ctx.doc.dict(new PdfRef(n, 0), rev);
    const isSig = d && nameOf(ctx.doc.resolve(d.get('FT'), rev)) === 'Sig';
    if (isSig) {
      flag(ctx, ctx.perms.docMdp !== 1 || isDocTimestampField(ctx.doc, d, rev), 'signature field added');
    } else flag(ctx, false, `form field ${n} added after signing`);
  }
}

function isDocTimestampField(doc: PdfDocument, field: PdfDict, rev: number): boolean {
  const v = doc.dict(field.get('V'), rev);
  return !!v && (nameOf(v.get('Type')) === 'DocTimeStamp' || nameOf(v.get('SubFilter')) === 'ETSI.RFC3161');
}

function checkAnnots(ctx: Ctx, before: number[], after: number[], rev: number, docTsOnly: boolean): void {
  const { doc, perms } = ctx;
  const now = new Set(after);
  for (const n of before) if (!now.has(n)) flag(ctx, false, `annotation ${n} removed`);
  const was = new Set(before);
  const fieldNums = new Set<number>();
  const root = doc.dict(doc.trailer(rev).get('Root'), rev);
  const af = doc.dict(root?.get('AcroForm'), rev);
  const collect = (list: PdfValue | undefined, depth: number): void => {
    const a = doc.resolve(list, rev);
    if (!Array.isArray(a) || depth > 16) return;
    for (const x of a) {
      if (!(x instanceof PdfRef) || fieldNums.has(x.num)) continue;
      fieldNums.add(x.num);
      collect(doc.dict(x, rev)?.get('Kids'), depth + 1);
    }
  };
  collect(af?.get('Fields'), 0);
  for (const n of after) {
    if (was.has(n)) continue;
    const d = doc.dict(new PdfRef(n, 0), rev);
    if (!d) continue;
    if (nameOf(d.get('Subtype')) === 'Widget') {
      const parent = d.get('Parent');
      const owner = fieldNums.has(n) ? n : parent instanceof PdfRef && fieldNums.has(parent.num) ? parent.num : undefined;
      if (owner === undefined) {
        flag(ctx, false, `widget annotation ${n} added without a form field`);
        continue;
      }
      const fd = doc.dict(new PdfRef(owner, 0), rev);
      const isSig = fd && nameOf(doc.resolve(fd.get('FT'), rev)) === 'Sig';
      flag(ctx, !!isSig && (perms.docMdp !== 1 || docTsOnly), isSig ? 'signature widget added' : `form widget ${n} added`);
    } else flag(ctx, perms.docMdp === undefined || perms.docMdp >= 3, `annotation ${n} (${nameOf(d.get('Subtype')) ?? '?'}) added`);
  }
}

/**
 * Classifies every incremental update once. Permissions for an update come from all signatures signed before
 * it, so a certification or a field lock tightens the rules for everything that follows. Index `rev` of the
 * result judges revision `rev` against `rev - 1` (index 0 is always 'none').
 */
export function analyseRevisions(doc: PdfDocument, sigs: { sig: FoundSignature; rev: number }[]): ModificationResult[] {
  const out: ModificationResult[] = [{ level: 'none', findings: [] }];
  for (let rev = 1; rev <= doc.lastRev; rev++) {
    const ctx: Ctx = {
      doc,
      perms: mergePermissions(sigs.filter((s) => s.rev < rev && s.sig.type === 'signature').map((s) => permissionsOf(doc, s.sig))),
      findings: [],
      level: 'none',
    };
    const added = sigs.filter((s) => s.rev === rev);
    const docTsOnly = added.length > 0 && added.every((s) => s.sig.type === 'document-timestamp');
    try {
      checkStep(ctx, rev, mapRoles(doc, rev - 1), docTsOnly);
    } catch (e) {
      flag(ctx, false, `revision ${rev} could not be analysed: ${(e as Error).message}`);
    }
    out.push({ level: ctx.level, findings: ctx.findings });
  }
  return out;
}

const RANK: Record<ModificationLevel, number> = { none: 0, allowed: 1, disallowed: 2 };

/** Worst change among the revisions after `signedRev`. */
export function changesAfter(steps: ModificationResult[], signedRev: number): ModificationResult {
  let level: ModificationLevel = 'none';
  const findings: string[] = [];
  for (let rev = signedRev + 1; rev < steps.length; rev++) {
    const st = steps[rev]!;
    if (RANK[st.level] > RANK[level]) level = st.level;
    for (const f of st.findings) findings.push(`revision ${rev}: ${f}`);
  }
  return { level, findings };
}
