/** Administrative documents in the format of Nghị định 30/2020/NĐ-CP: renderer, one-stop forms, result templates. */
export { renderAdministrativeDocument, recipientLines, MARGINS, SIZES, NATIONAL_MOTTO, NATIONAL_TAGLINE } from './render.ts';
export {
  formatVietnameseDate,
  formatVietnameseDateWords,
  formatVietnameseInstant,
  formatDayMonth,
  formatShortDate,
  formatShortDateTime,
  formatVnd,
  formatGroupedInteger,
  numberToVietnameseWords,
  vndInWords,
  formatDocumentNumber,
  vietnamDateParts,
} from './format.ts';
export {
  FORM_TITLES,
  HANDOVER_OUTCOME_LABELS,
  buildReceipt,
  buildSupplementRequest,
  buildRefusal,
  buildApology,
  buildStopNotice,
  buildControlSheet,
  buildRegister,
  handoverOutcome,
  validityBasisLabel,
} from './forms.ts';
export type {
  FormNumber,
  IssuingOffice,
  Applicant,
  ProcedureRef,
  FormCommon,
  ComponentBasis,
  ReceivedComponent,
  ReceiptData,
  SupplementItem,
  SupplementRequestData,
  RefusalData,
  ApologyData,
  StopNoticeData,
  HandoverOutcome,
  HandoverParty,
  Handover,
  ControlSheetData,
  RegisterEntry,
  RegisterData,
} from './forms.ts';
export { fillResultTemplate, fillText, placeholdersOf, templatePlaceholders, TemplateFillError, TEMPLATE_FORMATS } from './template.ts';
export type { ResultTemplate, ResultContext, TemplateBlock, TemplateData, TemplateValue, TemplateFormat } from './template.ts';
export type * from './types.ts';
