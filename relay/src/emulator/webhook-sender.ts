/**
 * Delivers webhooks the way docs/belvo.md §3 describes: POST with the configured Authorization, retried
 * with a linear backoff while the receiver fails or is unreachable.
 */
export type WebhookDeliveryOptions = {
  url: string;
  authorization: string;
  attempts: number;
  retryDelayMs: number;
};

export type WebhookPayload = { webhook_id: string; webhook_type: string; [field: string]: unknown };

export type DeliveryRecord = {
  webhookId: string;
  webhookType: string;
  attempts: number;
  delivered: boolean;
  lastStatus: number;
};

export function createWebhookSender(options: () => WebhookDeliveryOptions | undefined) {
  const deliveries: DeliveryRecord[] = [];
  const pending = new Set<Promise<void>>();
  let stopped = false;

  async function deliver(payload: WebhookPayload): Promise<void> {
    const target = options();
    const record: DeliveryRecord = {
      webhookId: payload.webhook_id,
      webhookType: payload.webhook_type,
      attempts: 0,
      delivered: false,
      lastStatus: 0,
    };
    deliveries.push(record);
    if (!target) return;
    for (let attempt = 1; attempt <= target.attempts && !stopped; attempt++) {
      record.attempts = attempt;
      try {
        const response = await fetch(target.url, {
          method: 'POST',
          headers: { authorization: target.authorization, 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(5_000),
        });
        record.lastStatus = response.status;
        await response.body?.cancel();
        if (response.ok) {
          record.delivered = true;
          return;
        }
      } catch {
        record.lastStatus = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, target.retryDelayMs * attempt));
    }
  }

  return {
    deliveries,
    /** Starts a delivery; `settled` resolves once it succeeded or gave up. */
    send(payload: WebhookPayload): Promise<void> {
      const delivery = deliver(payload).finally(() => pending.delete(delivery));
      pending.add(delivery);
      return delivery;
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...pending]);
    },
  };
}
