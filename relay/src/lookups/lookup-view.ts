import type { Lookup } from '@lupa/contract';
import type { LookupRow } from '../store/queries/lookups-queries.js';

export function toLookup(row: LookupRow): Lookup {
  const { extraction } = row;
  return {
    id: row.id,
    status: extraction.status,
    stage: extraction.stage,
    cedulaMasked: row.cedula_masked,
    createdAt: row.created_at,
    // A reused result keeps its extraction's time, but this lookup cannot have changed before it existed.
    updatedAt:
      extraction.updated_at.localeCompare(row.created_at) > 0 ? extraction.updated_at : row.created_at,
    version: extraction.version,
    reused: row.reused === 1,
    counts: {
      employments: { expected: extraction.employments_expected, received: extraction.employments_received },
      owners: { expected: extraction.owners_expected, received: extraction.owners_received },
    },
    error: extraction.error_code
      ? {
          code: extraction.error_code,
          message: extraction.error_message ?? '',
          retryable: extraction.error_retryable === 1,
        }
      : null,
  };
}
