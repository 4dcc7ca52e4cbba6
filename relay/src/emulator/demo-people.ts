/**
 * The people the emulator knows, chosen by cédula (listed in the README). Any other valid cédula gets a
 * history generated from it, the same every time.
 */
import {
  addMonths,
  EMPLOYERS,
  type EmploymentSpec,
  EPS,
  FIRST_NAMES,
  type MonthEntry,
  minimumWage,
  PENSION_FUNDS,
  SURNAMES,
  seededRandom,
} from './colombian-data.js';

export type DemoPerson = {
  cedula: string;
  displayName: string;
  /** What the scenario shows, for the README table. */
  scenario: string;
  /** Belvo refuses the link at creation with this error (HTTP 400). */
  linkError?: { code: string; message: string };
  /** Belvo answers 500 to this many link creations before accepting one. */
  failedLinkCreations?: number;
  /** Overrides the emulator's usual extraction time. */
  extractionMs?: number;
  /** Records sent as they are after the person's employments: what real data may hold. */
  unreadableRecords?: unknown[];
  employments(latestMonth: string): EmploymentSpec[];
};

const employer = (index: number) => EMPLOYERS[index % EMPLOYERS.length]!;

function months(
  latest: string,
  from: number,
  to: number,
  entry: (index: number, month: string) => Omit<MonthEntry, 'month'>,
): MonthEntry[] {
  const result: MonthEntry[] = [];
  for (let index = from; index <= to; index++) {
    const month = addMonths(latest, index - 23);
    result.push({ month, ...entry(index, month) });
  }
  return result;
}

const longCareer: DemoPerson = {
  cedula: '1020304050',
  displayName: 'María Fernanda Gómez Restrepo',
  scenario: 'Long formal career: salary raises, an employer that ended, two current employers',
  employments: (latest) => [
    {
      employer: employer(0),
      tenure: 86,
      months: months(latest, 0, 23, (index) => ({
        gross: index < 10 ? 4_200_000 : index < 22 ? 4_600_000 : 5_100_000,
        employmentType: 'SALARIED',
        salaryType: 'FIXED',
        statusChanges:
          index === 10 || index === 22 ? ['PERMANENT_SALARY_CHANGE'] : index === 14 ? ['ON_VACATION'] : [],
        eps: 'EPS Sura',
        pensionFund: 'Protección',
      })),
    },
    {
      employer: employer(1),
      tenure: 8,
      months: months(latest, 16, 23, (index) => ({
        gross: 1_800_000,
        employmentType: 'SALARIED',
        salaryType: 'FIXED',
        statusChanges: index === 16 ? ['FIRST_MONTH'] : [],
        eps: 'EPS Sura',
        pensionFund: 'Protección',
      })),
    },
    {
      employer: employer(2),
      tenure: 31,
      months: months(latest, 0, 4, (index) => ({
        gross: 900_000 + index * 150_000,
        employmentType: 'SALARIED',
        salaryType: 'VARIABLE',
        statusChanges: index === 4 ? ['FINAL_MONTH'] : [],
        eps: 'EPS Sura',
        pensionFund: 'Protección',
      })),
    },
  ],
};

const contractorIncome = [3_200_000, 4_850_000, 3_900_000, 6_500_000, 4_100_000, 5_300_000];

const contractor: DemoPerson = {
  cedula: '52123456',
  displayName: 'Luis Alberto Pérez Quintero',
  scenario: 'Independent contractor: variable income from three entities, with gaps between contracts',
  employments: (latest) => {
    const contract = (index: number): Omit<MonthEntry, 'month'> => ({
      gross: contractorIncome[index % contractorIncome.length]!,
      employmentType: 'CONTRACTUAL',
      salaryType: 'VARIABLE',
      eps: 'Nueva EPS',
      pensionFund: 'Colpensiones',
    });
    return [
      { employer: employer(3), tenure: 8, months: months(latest, 0, 7, contract) },
      {
        employer: employer(4),
        tenure: 8,
        months: months(latest, 11, 18, (index) => ({
          ...contract(index),
          statusChanges: index === 18 ? ['FINAL_MONTH'] : [],
        })),
      },
      {
        employer: employer(8),
        tenure: 4,
        months: months(latest, 20, 23, (index) => ({
          ...contract(index),
          statusChanges: index === 20 ? ['FIRST_MONTH'] : [],
        })),
      },
    ];
  },
};

const noRecords: DemoPerson = {
  cedula: '1030405060',
  displayName: 'Camila Andrea Rojas Díaz',
  scenario: 'No PILA records: Belvo announces 0 employments (a valid, ready result)',
  employments: () => [],
};

const loginError: DemoPerson = {
  cedula: '1000000001',
  displayName: '—',
  scenario: 'Belvo login error: PILA rejects the cédula (400 login_error)',
  linkError: { code: 'login_error', message: 'Invalid credentials provided to login to the institution' },
  employments: () => [],
};

const institutionDown: DemoPerson = {
  cedula: '1000000002',
  displayName: '—',
  scenario: 'PILA is down (400 institution_down)',
  linkError: { code: 'institution_down', message: 'The financial institution is down, try again later' },
  employments: () => [],
};

const slow: DemoPerson = {
  cedula: '1000000003',
  displayName: 'Jorge Iván Ospina Cárdenas',
  scenario: 'Slow extraction: Belvo takes 40 s instead of a few',
  extractionMs: 40_000,
  employments: (latest) => generatedEmployments('1000000003', latest),
};

const flaky: DemoPerson = {
  cedula: '1000000004',
  displayName: 'Paula Andrea Valencia Zapata',
  scenario: 'Belvo answers 500 twice, then accepts the link (retried with backoff)',
  failedLinkCreations: 2,
  employments: (latest) => generatedEmployments('1000000004', latest),
};

const formulaEmployer: DemoPerson = {
  cedula: '1000000005',
  displayName: 'Santiago Londoño Mejía',
  scenario: 'An employer whose registered name starts with "=" (CSV export must neutralise it)',
  employments: (latest) => [
    {
      employer: { ...employer(6), name: '=HYPERLINK("http://example.com","Constructora")', nit: 901455121 },
      tenure: 14,
      months: months(latest, 10, 23, () => ({
        gross: 3_250_000,
        employmentType: 'SALARIED',
        salaryType: 'FIXED',
        eps: 'Salud Total EPS',
        pensionFund: 'Colfondos',
      })),
    },
  ],
};

/** A salaried job at one base, with `override` for the months that tell the case. */
function steadyJob(
  latest: string,
  from: number,
  gross: number,
  override: (index: number) => Partial<Omit<MonthEntry, 'month'>> = () => ({}),
): MonthEntry[] {
  return months(latest, from, 23, (index) => ({
    gross,
    employmentType: 'SALARIED',
    salaryType: 'FIXED',
    eps: 'EPS Sura',
    pensionFund: 'Porvenir',
    ...override(index),
  }));
}

// The credit-indicator cases (utils/report/credit/credit-indicators.ts), one person each.

const contractorOnBase: DemoPerson = {
  cedula: '1000000006',
  displayName: 'Natalia Cristina Arango Vélez',
  scenario:
    'Indicator case: a contractor whose gross is the contribution base (40 % of a $6.000.000 contract)',
  employments: (latest) => [
    {
      employer: employer(3),
      tenure: 24,
      months: steadyJob(latest, 0, 2_400_000, () => ({
        employmentType: 'CONTRACTUAL',
        salaryType: 'FIXED',
        pensionFund: 'Colpensiones',
      })),
    },
  ],
};

const integral: DemoPerson = {
  cedula: '1000000007',
  displayName: 'Ricardo José Villegas Uribe',
  scenario: 'Indicator case: salario integral, contributing on 70 % of $30.000.000',
  employments: (latest) => [
    {
      employer: employer(0),
      tenure: 40,
      months: steadyJob(latest, 0, 21_000_000, () => ({ comprehensive: true })),
    },
  ],
};

const lateFiler: DemoPerson = {
  cedula: '1000000008',
  displayName: 'Diana Marcela Restrepo Gil',
  scenario: "Indicator case: two jobs, one employer's latest planilla not filed yet (both stay current)",
  employments: (latest) => [
    { employer: employer(0), tenure: 30, months: steadyJob(latest, 0, 4_000_000).slice(0, -1) },
    { employer: employer(5), tenure: 24, months: steadyJob(latest, 0, 2_000_000) },
  ],
};

const splitLines: DemoPerson = {
  cedula: '1000000009',
  displayName: 'Andrés Felipe Cardona Ríos',
  scenario: 'Indicator case: a month of sick leave reported as two lines of one employer',
  employments: (latest) => {
    const regular = steadyJob(latest, 0, 4_000_000);
    const leave = { ...regular.at(-1)!, statusChanges: ['ON_LEAVE'] };
    return [{ employer: employer(1), tenure: 52, months: [...regular, leave] }];
  },
};

const bonusMonth: DemoPerson = {
  cedula: '1000000010',
  displayName: 'Carolina Isabel Mejía Henao',
  scenario: 'Indicator case: a $12.000.000 one-off payment a year earlier (temporary salary change)',
  employments: (latest) => [
    {
      employer: employer(2),
      tenure: 60,
      months: steadyJob(latest, 0, 4_000_000, (index) =>
        index === 11 ? { gross: 12_000_000, statusChanges: ['TEMPORARY_SALARY_CHANGE'] } : {},
      ),
    },
  ],
};

const leaveMonth: DemoPerson = {
  cedula: '1000000011',
  displayName: 'Juan Sebastián Ocampo Duque',
  scenario: 'Indicator case: a licence month paid on a lower base (ON_LEAVE), left out of regular income',
  employments: (latest) => [
    {
      employer: employer(4),
      tenure: 33,
      months: steadyJob(latest, 0, 5_200_000, (index) =>
        index === 22 ? { gross: 2_600_000, statusChanges: ['ON_LEAVE'] } : {},
      ),
    },
  ],
};

const pensioner: DemoPerson = {
  cedula: '1000000012',
  displayName: 'Gloria Inés Zuluaga Marín',
  scenario: 'Indicator case: a pensioner (libranza bound from the net)',
  employments: (latest) => [
    {
      employer: {
        ...employer(7),
        name: 'Administradora Colombiana de Pensiones Colpensiones',
        nit: 900336004,
      },
      tenure: 24,
      months: steadyJob(latest, 0, 3_200_000, () => ({ employmentType: 'PENSIONED', pensionFund: null })),
    },
  ],
};

// Real PILA is messier than Belvo's documentation (docs/credit-reading.md): one person per mess.

const staleData: DemoPerson = {
  cedula: '1000000013',
  displayName: 'Hernán Darío Quintero Salazar',
  scenario: 'Real-data case: the only employer stopped contributing six months before the consultation',
  employments: (latest) => [
    { employer: employer(1), tenure: 41, months: steadyJob(latest, 0, 3_800_000).slice(0, -6) },
  ],
};

const strayLines: DemoPerson = {
  cedula: '1000000014',
  displayName: 'Luz Adriana Betancur Ospina',
  scenario:
    'Real-data case: a line dated a year after the consultation, a line with month "13" and a record that is not a record',
  unreadableRecords: ['registro truncado'],
  employments: (latest) => {
    const regular = steadyJob(latest, 0, 3_000_000);
    const typo = { ...regular.at(-1)!, month: addMonths(latest, 12), gross: 9_000_000 };
    const malformed = { ...regular.at(-1)!, month: `${latest.slice(0, 4)}-13` };
    return [
      { employer: employer(2), tenure: 30, months: regular },
      { employer: employer(6), tenure: 1, months: [typo, malformed] },
    ];
  },
};

const correctionPlanilla: DemoPerson = {
  cedula: '1000000015',
  displayName: 'Camilo Andrés Rendón Patiño',
  scenario: 'Real-data case: a correction planilla repeats one month with another base (no novelty)',
  employments: (latest) => {
    const regular = steadyJob(latest, 0, 4_000_000);
    const corrected = { ...regular.at(-2)!, gross: 4_300_000 };
    return [{ employer: employer(3), tenure: 28, months: [...regular, corrected] }];
  },
};

const withoutBase: DemoPerson = {
  cedula: '1000000016',
  displayName: 'Paola Andrea Giraldo Castaño',
  scenario: 'Real-data case: two recent months whose lines carry no amount',
  employments: (latest) => [
    {
      employer: employer(4),
      tenure: 35,
      months: steadyJob(latest, 0, 3_000_000, (index) =>
        index === 18 || index === 20 ? { gross: null } : {},
      ),
    },
  ],
};

const unnamedEmployers: DemoPerson = {
  cedula: '1000000017',
  displayName: 'Jhon Fredy Muñoz Cárdenas',
  scenario: 'Real-data case: two jobs whose employers PILA names neither by name nor by id',
  employments: (latest) => [
    { employer: employer(0), tenure: 20, anonymous: true, months: steadyJob(latest, 4, 2_000_000) },
    { employer: employer(5), tenure: 14, anonymous: true, months: steadyJob(latest, 10, 1_500_000) },
  ],
};

const contractorAtMinimum: DemoPerson = {
  cedula: '1000000018',
  displayName: 'Yuliana Marcela Torres Agudelo',
  scenario:
    'Real-data case: a contractor at the minimum base (up to 2,5 SMMLV); declare $ 6.000.000 to see the alert',
  employments: (latest) => [
    {
      employer: employer(6),
      tenure: 24,
      months: months(latest, 0, 23, (_index, month) => ({
        gross: minimumWage(Number(month.slice(0, 4))),
        employmentType: 'CONTRACTUAL',
        salaryType: 'FIXED',
        eps: 'Nueva EPS',
        pensionFund: 'Colpensiones',
      })),
    },
  ],
};

export const DEMO_PEOPLE: DemoPerson[] = [
  longCareer,
  contractor,
  noRecords,
  loginError,
  institutionDown,
  slow,
  flaky,
  formulaEmployer,
  contractorOnBase,
  integral,
  lateFiler,
  splitLines,
  bonusMonth,
  leaveMonth,
  pensioner,
  staleData,
  strayLines,
  correctionPlanilla,
  withoutBase,
  unnamedEmployers,
  contractorAtMinimum,
];

/** One to three employers, a raise now and then, sometimes a gap; salaried at or above the minimum wage. */
function generatedEmployments(cedula: string, latest: string): EmploymentSpec[] {
  const random = seededRandom(cedula);
  const count = 1 + Math.floor(random() * 3);
  const specs: EmploymentSpec[] = [];
  let start = Math.floor(random() * 4);
  for (let index = 0; index < count && start <= 23; index++) {
    const last = index === count - 1 ? 23 : Math.min(23, start + 4 + Math.floor(random() * 10));
    const base = Math.round((1.2 + random() * 5) * 500_000) * 2;
    const eps = EPS[Math.floor(random() * EPS.length)]!;
    const pensionFund = PENSION_FUNDS[Math.floor(random() * PENSION_FUNDS.length)]!;
    specs.push({
      employer: EMPLOYERS[Math.floor(random() * EMPLOYERS.length)]!,
      tenure: last - start + 1 + (index === 0 ? Math.floor(random() * 40) : 0),
      months: months(latest, start, last, (monthIndex, month) => ({
        gross: Math.max(
          minimumWage(Number(month.slice(0, 4))),
          base + (monthIndex - start >= 12 ? 250_000 : 0),
        ),
        employmentType: 'SALARIED',
        salaryType: 'FIXED',
        statusChanges: [
          ...(monthIndex === start && start > 0 ? ['FIRST_MONTH'] : []),
          ...(monthIndex === last && last < 23 ? ['FINAL_MONTH'] : []),
        ],
        eps,
        pensionFund,
      })),
    });
    start = last + 1 + Math.floor(random() * 3);
  }
  return specs;
}

function generatedName(cedula: string): string {
  const random = seededRandom(`name:${cedula}`);
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  return `${pick(FIRST_NAMES)} ${pick(SURNAMES)} ${pick(SURNAMES)}`;
}

export function personFor(cedula: string): DemoPerson {
  return (
    DEMO_PEOPLE.find((person) => person.cedula === cedula) ?? {
      cedula,
      displayName: generatedName(cedula),
      scenario: 'Generated from the cédula',
      employments: (latest) => generatedEmployments(cedula, latest),
    }
  );
}
