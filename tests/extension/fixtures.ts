import type { Lookup, Report } from '@lupa/contract';
import type { CachedLookup } from '../../utils/storage/lookup-cache.js';

export function relayLookup(overrides: Partial<Lookup> = {}): Lookup {
  return {
    id: 'lookup-1',
    status: 'pending',
    stage: 'registering',
    cedulaMasked: '******4050',
    createdAt: '2026-11-27T15:00:00.000Z',
    updatedAt: '2026-11-27T15:00:00.000Z',
    version: 1,
    reused: false,
    counts: { employments: { expected: null, received: 0 }, owners: { expected: null, received: 0 } },
    error: null,
    ...overrides,
  };
}

export function relayReport(lookup: Lookup): Report {
  return {
    lookup,
    owners: [
      {
        id: 'owner-1',
        display_name: 'María Fernanda Gómez Restrepo',
        document_id: { document_type: 'CC', document_number: '1020304050' },
      },
    ],
    employments: [
      {
        id: 'emp-1',
        collected_at: '2026-11-27T15:00:10.000Z',
        employer_data: {
          name: 'Comercializadora Andina del Valle S.A.S.',
          id_type: 'NIT',
          id_number: 900482317,
          tenure: 86,
        },
        salary_and_benefit_details: [
          {
            month: '2026-09',
            gross_amount: 4_600_000,
            net_amount: 4_232_000,
            employment_type: 'SALARIED',
            salary_type: 'FIXED',
            status_changes: [],
          },
          {
            month: '2026-10',
            gross_amount: 5_100_000,
            net_amount: 4_692_000,
            employment_type: 'SALARIED',
            salary_type: 'FIXED',
            status_changes: [],
          },
        ],
      },
    ],
  };
}

export function cachedLookup(overrides: Partial<CachedLookup> = {}): CachedLookup {
  return {
    id: 'lookup-1',
    cedula: '1020304050',
    cedulaMasked: '******4050',
    displayName: null,
    status: 'pending',
    stage: 'registering',
    version: 1,
    createdAt: '2026-11-27T15:00:00.000Z',
    updatedAt: '2026-11-27T15:00:00.000Z',
    reused: false,
    error: null,
    connectionProblem: null,
    consentReference: null,
    savedAt: Date.now(),
    ...overrides,
  };
}
