/**
 * The data of an administrative document in the format of Nghị định 30/2020/NĐ-CP (Phụ lục I): what the renderer
 * draws, independent of which one-stop form or result it is. Plain data, so builders and templates can produce it
 * without a database and tests can compare it.
 */

/**
 * A rectangle in PDF points on a page (origin bottom-left, as PDF draws); `page` is 0-based. The shape of the
 * signing engine's visible appearance (signatures/signing `VisibleAppearance`), so a box passes straight to it.
 */
export interface Rect {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A piece of text with its own style, for lines that mix regular and bold words. */
export interface TextRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

/** Either plain text or styled runs. */
export type RichText = string | readonly TextRun[];

export type Alignment = 'left' | 'center' | 'right' | 'justify';

/** A body paragraph: by default justified with a first-line indent, as ND 30 lays out the body. */
export interface ParagraphBlock {
  kind: 'paragraph';
  text: RichText;
  align?: Alignment;
  /** First-line indent; true by default. */
  indent?: boolean;
  bold?: boolean;
  italic?: boolean;
  /** Points; the body size (14) by default. */
  fontSize?: number;
}

/** A section heading in bold ("1. Thành phần hồ sơ gồm:"). */
export interface HeadingBlock {
  kind: 'heading';
  text: string;
  align?: 'left' | 'center';
}

/** "Label: value" lines; the value is bold so the filled-in data stands out from the form's wording. */
export interface KeyValueBlock {
  kind: 'keyValue';
  items: readonly { label: string; value: RichText }[];
}

export interface TableColumn {
  header: string;
  /** Relative width; columns share the text width in proportion. */
  width: number;
  align?: 'left' | 'center' | 'right';
}

/** A table with wrapping cells; it breaks between pages at row boundaries and repeats its header row. */
export interface TableBlock {
  kind: 'table';
  columns: readonly TableColumn[];
  rows: readonly (readonly string[])[];
  /** Points; 12 by default. */
  fontSize?: number;
}

/**
 * Horizontal bars with their label and value text (report charts). The same numbers should also appear in a table
 * of the document, so the chart adds a picture and takes nothing away from a reader of the text.
 */
export interface BarChartBlock {
  kind: 'barChart';
  /** Caption above the chart (bold). */
  caption: string;
  bars: readonly { label: string; value: number | null; valueText: string }[];
  /** The value of a full-width bar; the largest value when absent. */
  max?: number;
}

/** Vertical space in points. */
export interface SpacerBlock {
  kind: 'spacer';
  height: number;
}

export type Block = ParagraphBlock | HeadingBlock | KeyValueBlock | TableBlock | BarChartBlock | SpacerBlock;

/** The signer block (bottom right): "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC", room for the signature, the full name. */
export interface Signer {
  /** Signing on behalf: "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN", "TL. GIÁM ĐỐC"; absent when signing in one's own right. */
  authority?: string;
  /** The signer's position, uppercase in the output ("PHÓ GIÁM ĐỐC", "NGƯỜI TIẾP NHẬN HỒ SƠ"). */
  position: string;
  fullName: string;
}

/** "Nơi nhận:" (bottom left): each recipient on its own line. */
export interface Recipients {
  /** "Nơi nhận:" unless given. */
  heading?: string;
  items: readonly string[];
}

/** A QR code to a public page (verification or status) with a caption beside it. */
export interface QrCode {
  url: string;
  caption: string;
}

/** The document number: `value` null for a draft the records office has not yet numbered. */
export interface DocumentNumber {
  value: number | null;
  symbol: string;
}

export interface AdministrativeDocument {
  /** Cơ quan chủ quản, e.g. "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"; absent for bodies without one. */
  governingBody?: string;
  /** Cơ quan ban hành, e.g. "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG". */
  issuingAgency: string;
  number?: DocumentNumber;
  /** Place name of the date line ("Hà Nội", "Phường Hoàn Kiếm"). */
  place: string;
  date: Date;
  /** Document type title, e.g. "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"; printed uppercase. */
  title: string;
  /** Trích yếu or a subtitle line under the title. */
  summary?: string;
  body: readonly Block[];
  recipients?: Recipients;
  signer?: Signer;
  qr?: QrCode;
  orientation?: 'portrait' | 'landscape';
}

export interface RenderOptions {
  /** The PDF's CreationDate and ModDate; the document's date when absent. The renderer never reads the clock. */
  now?: Date;
  /** PDF Subject and Keywords, for search in document stores. */
  subject?: string;
  keywords?: readonly string[];
}

export interface RenderedDocument {
  pdf: Uint8Array;
  /** Where the visible signature (ND 30: signature image, seal, signing information) belongs; absent without a signer. */
  signatureBox?: Rect;
  qrBox?: Rect;
  pageCount: number;
}
