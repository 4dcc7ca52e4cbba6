import { historicalUpdateHandler } from './webhook-handler.js';

/** EMPLOYMENTS historical_update: `data.total_employments` records are ready to read (0 is a result). */
export const handleEmploymentsWebhook = historicalUpdateHandler('employments', 'total_employments');
