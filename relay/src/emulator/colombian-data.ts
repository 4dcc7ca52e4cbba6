/**
 * Plausible Colombian PILA data: employers with NITs and CIIU activity codes, EPS and pension funds,
 * COP salaries. Employer names are invented; EPS and fund names are the public institutions' names.
 */

export const EPS = [
  'EPS Sura',
  'Sanitas EPS',
  'Nueva EPS',
  'Salud Total EPS',
  'Compensar EPS',
  'Famisanar EPS',
];
export const PENSION_FUNDS = ['Porvenir', 'Protección', 'Colfondos', 'Skandia', 'Colpensiones'];

export type Employer = {
  name: string;
  nit: number;
  activityCode: number;
  activity: string;
  contributorClass: 'A' | 'B' | 'C' | 'D';
  contributorType: number;
  contributorTypeDescription: string;
};

const CLASS_DESCRIPTIONS: Record<Employer['contributorClass'], string> = {
  A: 'EMPRESAS CON MAS DE 200 COTIZANTES',
  B: 'EMPRESAS CON MENOS DE 200 COTIZANTES',
  C: 'MIPYMES QUE SE ACOJAN A LEY 590 DE 2000',
  D: 'BENEFICIARIOS DEL ARTICULO 5 DE LA LEY 1429 DE 2010',
};

export const EMPLOYERS: Employer[] = [
  {
    name: 'Comercializadora Andina del Valle S.A.S.',
    nit: 900482317,
    activityCode: 4711,
    activity: 'COMERCIO AL POR MENOR EN ESTABLECIMIENTOS NO ESPECIALIZADOS',
    contributorClass: 'A',
    contributorType: 1,
    contributorTypeDescription: 'Empleador',
  },
  {
    name: 'Instituto Tecnológico de la Sabana',
    nit: 860512904,
    activityCode: 8544,
    activity: 'EDUCACIÓN DE UNIVERSIDADES',
    contributorClass: 'B',
    contributorType: 1,
    contributorTypeDescription: 'Empleador',
  },
  {
    name: 'Servicios Logísticos del Caribe S.A.S.',
    nit: 901237745,
    activityCode: 5229,
    activity: 'OTRAS ACTIVIDADES COMPLEMENTARIAS AL TRANSPORTE',
    contributorClass: 'B',
    contributorType: 1,
    contributorTypeDescription: 'Empleador',
  },
  {
    name: 'Alcaldía Municipal de San Bernardo del Viento',
    nit: 800096772,
    activityCode: 8411,
    activity: 'ACTIVIDADES LEGISLATIVAS DE LA ADMINISTRACIÓN PÚBLICA',
    contributorClass: 'A',
    contributorType: 2,
    contributorTypeDescription: 'Entidad pública',
  },
  {
    name: 'Fundación Salud del Pacífico',
    nit: 805014336,
    activityCode: 8610,
    activity: 'ACTIVIDADES DE HOSPITALES Y CLÍNICAS, CON INTERNACIÓN',
    contributorClass: 'B',
    contributorType: 1,
    contributorTypeDescription: 'Empleador',
  },
  {
    name: 'Textiles La Montaña S.A.',
    nit: 890904217,
    activityCode: 1312,
    activity: 'TEJEDURÍA DE PRODUCTOS TEXTILES',
    contributorClass: 'A',
    contributorType: 1,
    contributorTypeDescription: 'Empleador',
  },
  {
    name: 'Constructora Altos de Chipichape S.A.S.',
    nit: 901455120,
    activityCode: 4111,
    activity: 'CONSTRUCCIÓN DE EDIFICIOS RESIDENCIALES',
    contributorClass: 'C',
    contributorType: 1,
    contributorTypeDescription: 'Empleador',
  },
  {
    name: 'Cooperativa Cafetera del Quindío',
    nit: 890000441,
    activityCode: 4631,
    activity: 'COMERCIO AL POR MAYOR DE PRODUCTOS ALIMENTICIOS',
    contributorClass: 'B',
    contributorType: 1,
    contributorTypeDescription: 'Empleador',
  },
  {
    name: 'Soluciones Digitales Nariño S.A.S.',
    nit: 901602833,
    activityCode: 6201,
    activity: 'ACTIVIDADES DE DESARROLLO DE SISTEMAS INFORMÁTICOS',
    contributorClass: 'D',
    contributorType: 1,
    contributorTypeDescription: 'Empleador',
  },
];

export const FIRST_NAMES = [
  'María Fernanda',
  'Juan Camilo',
  'Luisa',
  'Andrés Felipe',
  'Daniela',
  'Carlos Alberto',
  'Valentina',
  'Jorge Iván',
  'Paula Andrea',
  'Santiago',
  'Diana Marcela',
  'Sebastián',
];
export const SURNAMES = [
  'Gómez',
  'Restrepo',
  'Rodríguez',
  'Martínez',
  'Pérez',
  'Quintero',
  'Rojas',
  'Díaz',
  'Ospina',
  'Cárdenas',
  'Mejía',
  'Londoño',
  'Castaño',
  'Valencia',
  'Zapata',
  'Ramírez',
];

/** Minimum monthly wage by year, the floor of any salaried PILA contribution. */
export function minimumWage(year: number): number {
  if (year <= 2024) return 1_300_000;
  if (year === 2025) return 1_423_500;
  return 1_750_905;
}

/** Deterministic randomness, so a cédula always yields the same history. */
export function seededRandom(seedText: string): () => number {
  let seed = 2166136261;
  for (const char of seedText) seed = Math.imul(seed ^ char.charCodeAt(0), 16777619);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `YYYY-MM` for `offset` months after `month`. */
export function addMonths(month: string, offset: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (monthNumber - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** PILA reports lag: the latest month with data is the one before `now`. */
export function latestPilaMonth(now: Date): string {
  return addMonths(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`, -1);
}

export type MonthEntry = {
  /** `YYYY-MM`, or whatever a messy record carries (the demo people of real-data cases). */
  month: string;
  /** Null: PILA's line has no amount, as real records sometimes do. */
  gross: number | null;
  employmentType: 'SALARIED' | 'CONTRACTUAL' | 'PENSIONED';
  salaryType: 'FIXED' | 'VARIABLE';
  comprehensive?: boolean;
  statusChanges?: string[];
  eps: string;
  pensionFund: string | null;
};

export type EmploymentSpec = {
  employer: Employer;
  tenure: number;
  months: MonthEntry[];
  /** PILA names neither the employer nor its id (seen in real records). */
  anonymous?: boolean;
};

/** Net after the worker's 4 % health and 4 % pension (contractors pay their own, on 40 % of gross). */
function netOf(entry: MonthEntry): number | null {
  if (entry.gross === null) return null;
  const rate = entry.employmentType === 'CONTRACTUAL' ? 0.4 * 0.285 : 0.08;
  return Math.round(entry.gross * (1 - rate));
}

export function toBelvoEmployment(
  spec: EmploymentSpec,
  ids: { id: string; link: string },
  collectedAt: string,
): Record<string, unknown> {
  const { employer } = spec;
  return {
    id: ids.id,
    link: ids.link,
    created_at: collectedAt,
    collected_at: collectedAt,
    employer_data: {
      name: spec.anonymous ? null : employer.name,
      id_type: spec.anonymous ? null : 'NIT',
      id_number: spec.anonymous ? null : employer.nit,
      economic_activity_code: employer.activityCode,
      economic_activity_code_description: employer.activity,
      contributor_class_code: employer.contributorClass,
      contributor_class_code_description: CLASS_DESCRIPTIONS[employer.contributorClass],
      contributor_type_code: employer.contributorType,
      contributor_type_description: employer.contributorTypeDescription,
      tenure: spec.tenure,
    },
    salary_and_benefit_details: spec.months.map((entry) => ({
      month: entry.month,
      gross_amount: entry.gross,
      net_amount: netOf(entry),
      employment_type: entry.employmentType,
      employment_type_additional_info: null,
      parafiscal_contribution: entry.employmentType === 'SALARIED',
      salary_comprehensive: entry.comprehensive ?? false,
      salary_type: entry.salaryType,
      pension_fund_name: entry.pensionFund,
      healthcare_provider_name: entry.eps,
      status_changes: entry.statusChanges ?? [],
    })),
  };
}
