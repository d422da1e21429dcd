/**
 * The PDF reader of the signature library, for other rooms that must look inside a PDF without changing it (upload
 * checks): a lazy, bounded, read-only view of every revision. Signing appends to files through `./writer.ts`.
 */
export { PdfDocument, type XrefEntry, type XrefSection } from './document.ts';
export { DEFAULT_LIMITS, PdfError, type PdfErrorCode, type PdfLimits } from './errors.ts';
export { PdfDict, PdfName, PdfRef, PdfStream, PdfString, isName, nameOf, numberOf, type PdfValue } from './objects.ts';
