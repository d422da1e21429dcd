/** Codes of the only errors the PDF reader throws; callers map them to a clean "malformed" report. */
export type PdfErrorCode =
  | 'PDF_SYNTAX'
  | 'PDF_XREF'
  | 'PDF_LIMIT'
  | 'PDF_STREAM'
  | 'PDF_NOT_PDF'
  /** Only the writer: an encrypted file cannot be updated without its key. */
  | 'PDF_ENCRYPTED';

export class PdfError extends Error {
  readonly code: PdfErrorCode;
  constructor(code: PdfErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'PdfError';
  }
}

/** Bounds that keep any input from exhausting time or memory. */
export interface PdfLimits {
  maxDepth: number;
  maxObjects: number;
  maxRevisions: number;
  maxStreamBytes: number;
  maxInflateRatio: number;
  maxTotalInflated: number;
}

export const DEFAULT_LIMITS: PdfLimits = {
  maxDepth: 64,
  maxObjects: 2_000_000,
  maxRevisions: 2_000,
  maxStreamBytes: 64 * 1024 * 1024,
  maxInflateRatio: 1000,
  maxTotalInflated: 256 * 1024 * 1024,
};
