/** The parts of Belvo's payloads the relay reads (docs/belvo.md §2–§5). Everything else passes through. */
import { z } from 'zod';

export const BelvoLinkSchema = z.looseObject({
  id: z.string(),
  institution: z.string().nullish(),
  status: z.string().nullish(),
  external_id: z.string().nullish(),
  last_accessed_at: z.string().nullish(),
});
export type BelvoLink = z.infer<typeof BelvoLinkSchema>;

export const BelvoPageSchema = z.object({
  count: z.number().nullish(),
  next: z.string().nullish(),
  results: z.array(z.looseObject({ id: z.string() })),
});

/**
 * A page of employments or owners: the records are kept exactly as received, whatever their shape
 * (the extension reads each on its own and counts what it cannot read), so one bad record never
 * fails a lookup.
 */
export const BelvoResourcePageSchema = z.object({
  count: z.number().nullish(),
  next: z.string().nullish(),
  results: z.array(z.unknown()),
});

export const BelvoErrorItemSchema = z.looseObject({
  code: z.string().nullish(),
  message: z.string().nullish(),
  request_id: z.string().nullish(),
  field: z.string().nullish(),
});

export const BelvoWebhookSchema = z.looseObject({
  webhook_id: z.string().min(1),
  webhook_type: z.string().nullish(),
  webhook_code: z.string().nullish(),
  process_type: z.string().nullish(),
  link_id: z.string().nullish(),
  request_id: z.string().nullish(),
  external_id: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
});
export type BelvoWebhook = z.infer<typeof BelvoWebhookSchema>;
