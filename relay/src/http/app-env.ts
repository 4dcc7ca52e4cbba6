import type { Analyst } from '../store/queries/analysts-queries.js';

export type AppEnv = { Variables: { requestId: string; analyst: Analyst } };
