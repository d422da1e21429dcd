/**
 * The catalog's data shapes as TypeBox schemas: one definition serves the HTTP validation, the import file check
 * (structural errors with JSON-pointer paths) and the published JSON Schema (`docs/catalog.schema.json`).
 * Pure data, no I/O.
 */
import { Type, type Static } from 'typebox';

export const AGENCY_KINDS = ['people_committee', 'department', 'commune', 'service_center', 'branch', 'other'] as const;
export const CHANNELS = ['full_online', 'partly_online', 'counter', 'post'] as const;
/** R2 validity bases. */
export const VALIDITY_BASES = ['DIGITIZED_SIGNED', 'ECOPY_FROM_REGISTER', 'E_CERTIFIED', 'SELF_DECLARED', 'REUSED'] as const;
/** TT 03/2025 Art. 5: papers that are only shown, classified documents; OTHER needs a note. */
export const EXEMPT_REASONS = ['SHOWN_ONLY', 'CLASSIFIED', 'OTHER'] as const;
export const STEP_KINDS = ['reception', 'assignment', 'appraisal', 'review', 'approval', 'result_return', 'transfer'] as const;
export const PROCEDURE_LEVELS = ['province', 'commune'] as const;
export const DEADLINE_UNITS = ['working_days', 'working_hours'] as const;
export const FORM_FIELD_TYPES = ['text', 'textarea', 'date', 'number', 'select', 'checkbox', 'id_number', 'phone', 'email'] as const;
/** Officer roles that can hold a process step (identity room's roles). */
export const STEP_ROLES = ['counter_officer', 'specialist', 'leader'] as const;

export type AgencyKind = (typeof AGENCY_KINDS)[number];
export type Channel = (typeof CHANNELS)[number];
export type ValidityBasis = (typeof VALIDITY_BASES)[number];
export type ExemptReason = (typeof EXEMPT_REASONS)[number];
export type StepKind = (typeof STEP_KINDS)[number];
export type ProcedureLevel = (typeof PROCEDURE_LEVELS)[number];
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number];

// A plain `enum` keeps validation errors to one precise line (a union of literals reports one error per branch).
const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

const Text = (max = 500) => Type.String({ minLength: 1, maxLength: max });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Hhmm = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM' });
export const AgencyCodeSchema = Type.String({
  pattern: '^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-K][0-9]{2}$',
  description: 'Electronic identifier code (QĐ 20/2020/QĐ-TTg): four dot-separated levels, e.g. 000.00.12.H26',
});
const Key = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,79}$', description: 'stable lower-case key' });
const ComponentKey = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,79}$' });

export const AgencySchema = Type.Object(
  {
    code: AgencyCodeSchema,
    name: Text(300),
    nameEn: Type.Optional(Type.Union([Text(300), Type.Null()])),
    kind: literals(AGENCY_KINDS),
    parentCode: Type.Union([AgencyCodeSchema, Type.Null()]),
    gsoCode: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{2,5}$' }), Type.Null()])),
    effectiveFrom: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    effectiveTo: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    address: Type.Optional(Type.Union([Text(500), Type.Null()])),
  },
  { additionalProperties: false },
);
export type AgencyInput = Static<typeof AgencySchema>;

export const FeeSchema = Type.Object(
  {
    /** phí (fee for a service) or lệ phí (charge). */
    kind: literals(['fee', 'charge'] as const),
    case: Text(500),
    amountVnd: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const DeadlineSchema = Type.Object(
  {
    value: Type.Number({ minimum: 0, multipleOf: 0.5 }),
    unit: literals(DEADLINE_UNITS),
    /** The published wording when it says more than a number (e.g. "Trong ngày; sau 15 giờ trả ngày làm việc tiếp theo"). */
    note: Type.Optional(Type.Union([Text(500), Type.Null()])),
  },
  { additionalProperties: false },
);
export type Deadline = Static<typeof DeadlineSchema>;

const TemplateText = (max = 2000) => Type.String({ minLength: 1, maxLength: max, description: 'text with {{placeholders}} (docs/results.md)' });
const Align = literals(['left', 'center', 'right', 'justify'] as const);

/** One block of a result template's body (the ND 30 renderer's blocks, every text a template string). */
export const ResultTemplateBlockSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('paragraph'),
      text: TemplateText(),
      align: Type.Optional(Align),
      indent: Type.Optional(Type.Boolean()),
      bold: Type.Optional(Type.Boolean()),
      italic: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('heading'), text: TemplateText(500), align: Type.Optional(literals(['left', 'center'] as const)) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('keyValue'),
      items: Type.Array(Type.Object({ label: TemplateText(300), value: TemplateText() }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('table'),
      columns: Type.Array(
        Type.Object({ header: Text(200), width: Type.Number({ exclusiveMinimum: 0 }), align: Type.Optional(literals(['left', 'center', 'right'] as const)) }, { additionalProperties: false }),
        { minItems: 1, maxItems: 12 },
      ),
      rows: Type.Optional(Type.Array(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 12 }), { maxItems: 200 })),
      repeat: Type.Optional(Type.Object({ over: Type.String({ maxLength: 200 }), cells: Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 12 }) }, { additionalProperties: false })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('spacer'), height: Type.Number({ minimum: 0, maximum: 200 }) }, { additionalProperties: false }),
]);

/** A value the specialist decides while drafting (e.g. the scope granted), filled in as `{{decision.<name>}}`. */
export const ResultInputSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,59}$' }),
    label: Text(300),
    required: Type.Boolean(),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  { additionalProperties: false },
);

/**
 * The result document in the ND 30 format, filled from the dossier (applicant, self-declared forms, dates) and the
 * specialist's inputs. Without one, the standard template of the results room is used (docs/results.md).
 */
export const ResultTemplateSchema = Type.Object(
  {
    title: TemplateText(300),
    summary: Type.Optional(TemplateText(500)),
    /** Symbol of the document number, e.g. "CCHND-SYT". */
    numberSymbol: Type.String({ pattern: '^[A-ZĐ0-9][A-ZĐ0-9./-]{0,39}$' }),
    body: Type.Array(ResultTemplateBlockSchema, { minItems: 1, maxItems: 200 }),
    recipients: Type.Optional(Type.Array(TemplateText(300), { maxItems: 20 })),
    inputs: Type.Optional(Type.Array(ResultInputSchema, { maxItems: 30 })),
    /** The signer's position printed in the signer block ("GIÁM ĐỐC"); by the issuing agency's kind when absent. */
    signer: Type.Optional(Type.Object({ authority: Type.Optional(Text(100)), position: Text(100) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type ResultTemplateInput = Static<typeof ResultTemplateSchema>;

export const ResultSchema = Type.Object(
  {
    name: Text(300),
    /** R6: every result is a signed e-document; true when the law also requires a paper original. */
    paperAlsoRequiredByLaw: Type.Boolean(),
    /** The document type of the result (as components name it): what a later dossier may reuse it for. */
    documentType: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,79}$' }), Type.Null()])),
    template: Type.Optional(Type.Union([ResultTemplateSchema, Type.Null()])),
  },
  { additionalProperties: false },
);

export const PostAuditSchema = Type.Object(
  {
    /** Share of self-declared dossiers sampled for post-audit, 0–1. */
    sampleRate: Type.Number({ minimum: 0, maximum: 1 }),
    riskRules: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,59}$' }),
          description: Text(500),
          /** Sample rate when the rule matches (overrides the base rate). */
          sampleRate: Type.Number({ minimum: 0, maximum: 1 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

export const FormFieldSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,59}$' }),
    label: Text(300),
    type: literals(FORM_FIELD_TYPES),
    required: Type.Boolean(),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    options: Type.Optional(
      Type.Array(Type.Object({ value: Text(100), label: Text(300) }, { additionalProperties: false }), { minItems: 1 }),
    ),
  },
  { additionalProperties: false },
);

export const FormTemplateSchema = Type.Object(
  {
    /** Template the form reproduces, e.g. "Mẫu số 02 Phụ lục I NĐ 54/2017/NĐ-CP". */
    title: Text(300),
    fields: Type.Array(FormFieldSchema, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type FormTemplate = Static<typeof FormTemplateSchema>;

export const ComponentSchema = Type.Object(
  {
    key: ComponentKey,
    name: Text(1000),
    required: Type.Boolean(),
    input: literals(['upload', 'form'] as const),
    formTemplate: Type.Optional(Type.Union([FormTemplateSchema, Type.Null()])),
    copies: Type.Integer({ minimum: 1, maximum: 100 }),
    /** Document type used to find a reusable document in the applicant's e-store (REUSED basis). */
    documentType: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,79}$' }), Type.Null()])),
    acceptedBases: Type.Array(literals(VALIDITY_BASES), { uniqueItems: true }),
    exempt: Type.Optional(
      Type.Union([
        Type.Object({ reason: literals(EXEMPT_REASONS), note: Type.Optional(Type.Union([Text(500), Type.Null()])) }, { additionalProperties: false }),
        Type.Null(),
      ]),
    ),
    note: Type.Optional(Type.Union([Text(1000), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ComponentInput = Static<typeof ComponentSchema>;

export const StepSchema = Type.Object(
  {
    kind: literals(STEP_KINDS),
    name: Text(300),
    role: literals(STEP_ROLES),
    /** Agency code; null = the agency running the process. */
    agency: Type.Union([AgencyCodeSchema, Type.Null()]),
    /** Working hours (a working day is 8 office hours). */
    quotaHours: Type.Number({ minimum: 0, multipleOf: 0.25 }),
  },
  { additionalProperties: false },
);
export type StepInput = Static<typeof StepSchema>;

export const ProcessSchema = Type.Object(
  {
    /** Agency code running the process; null = the default process of a commune-level procedure. */
    agency: Type.Union([AgencyCodeSchema, Type.Null()]),
    note: Type.Optional(Type.Union([Text(1000), Type.Null()])),
    steps: Type.Array(StepSchema, { minItems: 2, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type ProcessInput = Static<typeof ProcessSchema>;

const procedureFields = {
  key: Key,
  nationalCode: Type.Union([Type.String({ pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Z.]+)?$' }), Type.Null()]),
  name: Text(1000),
  field: Text(200),
  level: literals(PROCEDURE_LEVELS),
  /** Agency code; null only for commune-level procedures (each commune is competent). */
  competentAgency: Type.Union([AgencyCodeSchema, Type.Null()]),
  /** Agency codes receiving dossiers (one-stop branches); empty for commune-level = the commune itself. */
  receivingAgencies: Type.Array(AgencyCodeSchema, { uniqueItems: true }),
  channels: Type.Array(literals(CHANNELS), { minItems: 1, uniqueItems: true }),
  deadline: DeadlineSchema,
  cutoff: Hhmm,
  fees: Type.Array(FeeSchema, { maxItems: 50 }),
  result: ResultSchema,
  postAudit: PostAuditSchema,
  legalBasis: Type.Optional(Type.Union([Text(2000), Type.Null()])),
  sourceUrl: Type.Optional(Type.Union([Type.String({ pattern: '^https?://', maxLength: 2000 }), Type.Null()])),
  active: Type.Optional(Type.Boolean()),
};

/** A procedure's own fields (admin create/update), without components and processes. */
export const ProcedureFieldsSchema = Type.Object(procedureFields, { additionalProperties: false });
export type ProcedureFields = Static<typeof ProcedureFieldsSchema>;

export const ProcedureSchema = Type.Object(
  {
    ...procedureFields,
    components: Type.Array(ComponentSchema, { maxItems: 100 }),
    /** The current process of each agency (import creates a new version when the steps differ). */
    processes: Type.Array(ProcessSchema, { maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type ProcedureInput = Static<typeof ProcedureSchema>;

export const CATALOG_FORMAT = 'hoso-catalog';
export const CATALOG_FORMAT_VERSION = 1;

export const CatalogFileSchema = Type.Object(
  {
    format: Type.Literal(CATALOG_FORMAT),
    formatVersion: Type.Literal(CATALOG_FORMAT_VERSION),
    exportedAt: Type.Optional(Type.String()),
    agencies: Type.Array(AgencySchema, { maxItems: 20000 }),
    procedures: Type.Array(ProcedureSchema, { maxItems: 20000 }),
  },
  {
    additionalProperties: false,
    $id: 'https://hoso.example/schemas/catalog-v1.json',
    title: 'hoso catalog (agencies, procedures, components, internal processes)',
  },
);
export type CatalogFile = Static<typeof CatalogFileSchema>;

/** The published JSON Schema (draft 2020-12) of a catalog file. */
export function catalogJsonSchema(): Record<string, unknown> {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...JSON.parse(JSON.stringify(CatalogFileSchema)) };
}
