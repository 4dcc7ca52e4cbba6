/**
 * The relay's HTTP contract (v1), shared by the relay and the extension so that a change to it is a
 * compile error on both sides. The OpenAPI document is generated from these schemas too.
 */
import { z } from 'zod';
import { parseCedula } from './cedula.js';
import { isUnreadableRecord, UNREADABLE_RECORD, UNREADABLE_STATUS } from './employment-reading.js';
import { BATCH_ROWS_MAX, CONSENT_REFERENCE_MAX } from './limits.js';

export { BATCH_ROWS_MAX, CONSENT_REFERENCE_MAX };

export const ERROR_CODES = [
  // Request problems.
  'invalid_json',
  'invalid_request',
  'invalid_cedula',
  'consent_required',
  'payload_too_large',
  'unsupported_media_type',
  'unauthorized',
  'forbidden_origin',
  'forbidden_role',
  'analyst_not_found',
  'own_roles_unchangeable',
  'roles_managed_by_identity_provider',
  'sign_in_required',
  'invalid_period',
  // Sign-in with the lender's identity provider.
  'sign_in_not_configured',
  'sign_in_refused',
  'sign_in_unavailable',
  'invalid_grant',
  'session_revoked',
  'session_expired',
  'daily_limit_reached',
  'too_many_waits',
  'too_many_connections',
  'not_found',
  'lookup_not_found',
  'not_ready',
  'report_purged',
  'person_erased',
  'batch_not_found',
  'batch_without_valid_rows',
  'duplicate_row',
  'internal_error',
  'store_unavailable',
  // Belvo outcomes, mapped from Belvo's own `code`.
  'belvo_login_error',
  'belvo_too_many_sessions',
  'institution_down',
  'institution_inactive',
  'belvo_link_invalid',
  'belvo_mfa_required',
  'belvo_unavailable',
  'belvo_auth_failed',
  'belvo_request_rejected',
  'belvo_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ApiErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable snake_case code; see ERROR_CODES.'),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'ApiError' });
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

export const LookupStatusSchema = z.enum(['pending', 'ready', 'failed']);
export type LookupStatus = z.infer<typeof LookupStatusSchema>;
export const LookupStageSchema = z.enum(['registering', 'waiting_for_belvo', 'fetching', 'done']);
export type LookupStage = z.infer<typeof LookupStageSchema>;

const ResourceCountSchema = z.object({
  expected: z.number().int().nullable().describe('What Belvo announced in its webhook; null until then.'),
  received: z.number().int(),
});

export const LookupErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
});
export type LookupError = z.infer<typeof LookupErrorSchema>;

export const LookupSchema = z
  .object({
    id: z.string(),
    status: LookupStatusSchema,
    stage: LookupStageSchema,
    cedulaMasked: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    reused: z.boolean().describe('True when a recent ready result was reused instead of a new Belvo link.'),
    counts: z.object({ employments: ResourceCountSchema, owners: ResourceCountSchema }),
    error: LookupErrorSchema.nullable(),
  })
  .meta({ id: 'Lookup' });
export type Lookup = z.infer<typeof LookupSchema>;

export const CreateLookupRequestSchema = z
  .object({
    cedula: z
      .string()
      .refine((value) => parseCedula(value).ok, 'not a cédula')
      .describe('3 to 10 digits, no leading zero; dots and spaces are ignored (invalid_cedula otherwise).'),
    consent: z.object({
      granted: z.literal(true).describe("The applicant's authorization (consent_required otherwise)."),
      reference: z.string().trim().max(CONSENT_REFERENCE_MAX).optional(),
    }),
    force: z.boolean().optional(),
  })
  .meta({ id: 'CreateLookupRequest' });
export type CreateLookupRequest = z.infer<typeof CreateLookupRequestSchema>;

export const LongPollQuerySchema = z.object({
  sinceVersion: z.coerce.number().int().min(0).optional(),
  waitSeconds: z.coerce.number().int().min(1).max(30).optional(),
});

/**
 * Belvo's records are passed through as received; only the fields the extension reads are typed. Each
 * schema exists twice from one list of fields: as documented (for /openapi.json), and as the extension
 * reads it, leniently, because real PILA data is messier than Belvo's documentation. Read leniently, a
 * field of another type than documented is absent (null), which the summary treats as missing, never
 * as zero; a line that is not an object reads as `null` and a record that is not an object as an
 * unreadable marker, both counted and skipped by the summary. So one bad record never fails a report.
 */
type Reading = 'documented' | 'lenient';
const field = <T extends z.ZodType>(schema: T, reading: Reading) =>
  reading === 'documented' ? schema.nullish() : schema.nullish().catch(null);

export { isUnreadableRecord, UNREADABLE_RECORD, UNREADABLE_STATUS };

const detailSchema = (reading: Reading) =>
  z.looseObject({
    month: field(z.string(), reading),
    gross_amount: field(z.number(), reading),
    net_amount: field(z.number(), reading),
    employment_type: field(z.string(), reading),
    employment_type_additional_info: field(z.string(), reading),
    parafiscal_contribution: field(z.boolean(), reading),
    salary_comprehensive: field(z.boolean(), reading),
    salary_type: field(z.string(), reading),
    pension_fund_name: field(z.string(), reading),
    healthcare_provider_name: field(z.string(), reading),
    status_changes:
      reading === 'documented'
        ? z.array(z.string()).nullish()
        : z.array(z.string().catch(UNREADABLE_STATUS)).nullish().catch([UNREADABLE_STATUS]),
  });

const employmentSchema = (reading: Reading) =>
  z.looseObject({
    id: reading === 'documented' ? z.string() : z.string().catch(''),
    link: field(z.string(), reading),
    collected_at: field(z.string(), reading),
    created_at: field(z.string(), reading),
    employer_data: field(
      z.looseObject({
        name: field(z.string(), reading),
        id_type: field(z.string(), reading),
        id_number: field(z.union([z.number(), z.string()]), reading),
        economic_activity_code: field(z.union([z.number(), z.string()]), reading),
        economic_activity_code_description: field(z.string(), reading),
        tenure: field(z.number(), reading),
      }),
      reading,
    ),
    // Lenient: a line that is not an object reads as null; a list that is not a list, as one unreadable line.
    salary_and_benefit_details:
      reading === 'documented'
        ? z.array(detailSchema(reading)).nullish()
        : z.array(detailSchema(reading).nullable().catch(null)).nullish().catch([null]),
  });

export const SalaryAndBenefitDetailSchema = detailSchema('documented');
export const EmploymentSchema = employmentSchema('documented').meta({ id: 'Employment' });
/** What the extension reads: every record on its own, a record that is not an object marked as such. */
export const ReadableEmploymentSchema = employmentSchema('lenient').catch({
  id: '',
  [UNREADABLE_RECORD]: true,
});

/** A record as the extension reads it; its lines may be null (unreadable). */
export type Employment = z.output<typeof ReadableEmploymentSchema>;
/** A line as the extension reads it. */
export type SalaryAndBenefitDetail = NonNullable<
  NonNullable<Employment['salary_and_benefit_details']>[number]
>;

export const OwnerSchema = z
  .looseObject({
    id: z.string(),
    display_name: z.string().nullish(),
    document_id: z
      .looseObject({ document_type: z.string().nullish(), document_number: z.string().nullish() })
      .nullish(),
    collected_at: z.string().nullish(),
  })
  .meta({ id: 'Owner' });
export type Owner = z.infer<typeof OwnerSchema>;

export const ReportSchema = z
  .object({ lookup: LookupSchema, owners: z.array(OwnerSchema), employments: z.array(EmploymentSchema) })
  .meta({ id: 'Report' });
/** The report as the extension reads it: each employment record on its own (see ReadableEmploymentSchema). */
export const ReadableReportSchema = z.object({
  lookup: LookupSchema,
  // An owner record of another shape is left out: the name is then shown as unknown, never a failure.
  owners: z
    .array(OwnerSchema.nullable().catch(null))
    .transform((owners) => owners.filter((owner) => owner !== null)),
  employments: z.array(ReadableEmploymentSchema),
});
export type Report = z.output<typeof ReadableReportSchema>;

export const LookupListSchema = z.object({ lookups: z.array(LookupSchema) }).meta({ id: 'LookupList' });
export type LookupList = z.infer<typeof LookupListSchema>;

/**
 * What a person may do at the relay: analyst (lookups and batches), supervisor (the team's usage),
 * data-protection officer (a person's audit trail and erasure), admin (analysts and their roles).
 */
export const ROLES = ['analyst', 'supervisor', 'dpo', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/**
 * Who sets an analyst's roles: the identity provider's groups (OIDC_ROLE_GROUPS, at each sign-in), or
 * the relay (its CLI and the admin routes). Never both: the relay refuses to edit the provider's.
 */
export const ROLES_SOURCES = ['relay', 'identity_provider'] as const;
export type RolesSource = (typeof ROLES_SOURCES)[number];

export const MeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    // Optional for relays older than the extension.
    roles: z.array(RoleSchema).optional(),
    usage: z.object({
      lookupsToday: z.number().int(),
      dailyLimit: z.number().int(),
      resetsAt: z.string().describe('Next midnight in Bogotá, ISO 8601.'),
    }),
    // Optional for relays older than the extension (lenders update the relay on their own schedule).
    policies: z
      .object({
        reuseWindowHours: z
          .number()
          .describe(
            'A ready lookup younger than this is reused for the same cédula, with no new Belvo link.',
          ),
        alertThresholds: z
          .object({
            recentHireMonths: z.number(),
            intermittentBelowMonths: z.number(),
            incomeDropPercent: z.number(),
            declaredRatioAbove: z.number(),
          })
          .optional()
          .describe(
            "The lender's thresholds for the summary's alerts (ALERT_* settings); analysts cannot change them.",
          ),
      })
      .optional(),
    lender: z
      .object({ name: z.string() })
      .optional()
      .describe('The lender running this relay (LENDER_NAME), as the credit-file report prints it.'),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof MeSchema>;

export const CreateBatchRequestSchema = z
  .object({
    rows: z
      .array(
        z.object({
          cedula: z.string().max(40),
          consentReference: z
            .string()
            .max(CONSENT_REFERENCE_MAX)
            .describe("The applicant's signed authorisation for this row (required: consent per row)."),
          line: z.number().int().positive().optional().describe("The row's line in the analyst's file."),
        }),
      )
      .min(1)
      .max(BATCH_ROWS_MAX)
      // A row is known by its line (sealed values are bound to it): two rows may not share one.
      .superRefine((rows, ctx) => {
        const seen = new Set<number>();
        rows.forEach((row, index) => {
          if (row.line === undefined) return;
          if (seen.has(row.line))
            ctx.addIssue({ code: 'custom', path: [index, 'line'], message: `line ${row.line} is repeated` });
          seen.add(row.line);
        });
      }),
  })
  .meta({ id: 'CreateBatchRequest' });
export type CreateBatchRequest = z.infer<typeof CreateBatchRequestSchema>;

export const BatchRowStatusSchema = z.enum(['pending', 'running', 'ready', 'failed', 'refused', 'cancelled']);
export type BatchRowStatus = z.infer<typeof BatchRowStatusSchema>;

export const InvalidBatchRowSchema = z.object({
  line: z.number().int(),
  code: z.enum(['invalid_cedula', 'consent_required', 'duplicate_row']),
  message: z.string(),
});
export type InvalidBatchRow = z.infer<typeof InvalidBatchRowSchema>;

export const BatchSchema = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'cancelled', 'done']),
    total: z.number().int(),
    counts: z.record(BatchRowStatusSchema, z.number().int()),
    rows: z.array(
      z.object({
        line: z.number().int(),
        cedulaMasked: z.string(),
        status: BatchRowStatusSchema,
        lookupId: z.string().nullable(),
        reused: z.boolean(),
        errorCode: z.string().nullable().describe('Why the row failed or was refused.'),
      }),
    ),
    createdAt: z.string(),
    version: z.string().describe('Changes whenever a row does; pass it back as sinceVersion to wait.'),
  })
  .meta({ id: 'Batch' });
export type Batch = z.infer<typeof BatchSchema>;

export const BatchCreatedSchema = BatchSchema.extend({
  invalid: z.array(InvalidBatchRowSchema).describe('Rows left out, each with its line and reason.'),
}).meta({ id: 'BatchCreated' });
export type BatchCreated = z.infer<typeof BatchCreatedSchema>;

export const DeletedSchema = z.object({ deleted: z.literal(true), id: z.string() }).meta({ id: 'Deleted' });

/** `GET /v1/usage?from=&to=`: Bogotá days, both included. */
export const UsageQuerySchema = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .describe('First Bogotá day, YYYY-MM-DD.'),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .describe('Last Bogotá day, YYYY-MM-DD (included).'),
});

export const UsageRowSchema = z.object({
  day: z.string().describe('Bogotá day, YYYY-MM-DD.'),
  analystId: z.string(),
  analystName: z.string(),
  lookups: z.number().int().describe('Lookups the analyst asked for (new, reused and joined).'),
  reuses: z
    .number()
    .int()
    .describe('Of those, answered from an earlier or running extraction: no Belvo charge.'),
  linksRegistered: z.number().int().describe('Belvo links registered for their lookups (the paid step).'),
  failures: z.number().int().describe('Their lookups that ended failed.'),
});
export type UsageRow = z.infer<typeof UsageRowSchema>;

export const UsageSchema = z
  .object({ from: z.string(), to: z.string(), rows: z.array(UsageRowSchema) })
  .meta({ id: 'Usage' });
export type Usage = z.infer<typeof UsageSchema>;

/** A person, named by cédula in a body (never in a URL, which proxies and logs keep). */
export const PersonRequestSchema = z.object({ cedula: z.string().max(40) });

export const PersonAuditSchema = z
  .object({
    entries: z.array(
      z.object({
        at: z.string(),
        action: z.string(),
        analyst: z.object({ id: z.string(), name: z.string() }).nullable(),
        lookupId: z.string().nullable(),
        consentReference: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'PersonAudit' });
export type PersonAudit = z.infer<typeof PersonAuditSchema>;

export const PersonErasedSchema = z.object({ extractionsErased: z.number().int() });

export const AnalystSchema = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
  rolesSource: z.enum(ROLES_SOURCES),
  /** When the analyst's static token stops working; null for those who only sign in. */
  tokenExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type AnalystView = z.infer<typeof AnalystSchema>;
export const AnalystListSchema = z.object({ analysts: z.array(AnalystSchema) }).meta({ id: 'AnalystList' });
export const SetRolesRequestSchema = z.object({ roles: z.array(RoleSchema).min(1) });

/** `POST /auth/token`: the extension's one-time code with its PKCE verifier, or a refresh token. */
export const TokenRequestSchema = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('authorization_code'),
    code: z.string().min(1).max(200),
    code_verifier: z.string().min(43).max(128),
  }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string().min(1).max(200) }),
]);
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

export const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().describe('Seconds the access token lives.'),
  })
  .meta({ id: 'Tokens' });
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

export const SignOutRequestSchema = z.object({ refresh_token: z.string().min(1).max(200) });
