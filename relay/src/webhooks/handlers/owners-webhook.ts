import { historicalUpdateHandler } from './webhook-handler.js';

/** OWNERS historical_update: the person's name and document, `data.total_owners` records. */
export const handleOwnersWebhook = historicalUpdateHandler('owners', 'total_owners');
