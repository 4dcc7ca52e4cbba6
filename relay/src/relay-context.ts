/** What every relay module is handed: built once in relay-server.ts. */
import type { Logger } from 'pino';
import type { AnalystAdmin } from './analysts/analyst-admin.js';
import type { BatchService } from './batches/batch-service.js';
import type { BelvoClient } from './belvo/belvo-client.js';
import type { RelayConfig } from './config.js';
import type { ChangeNotifier } from './lookups/change-notifier.js';
import type { LookupService } from './lookups/lookup-service.js';
import type { RelayMetrics } from './observability/metrics.js';
import type { DataProtector } from './privacy/data-protector.js';
import type { SignInService } from './sign-in/sign-in-service.js';
import type { Store } from './store/open-store.js';

export type RelayContext = {
  config: RelayConfig;
  store: Store;
  protector: DataProtector;
  belvo: BelvoClient;
  notifier: ChangeNotifier;
  logger: Logger;
  metrics: RelayMetrics;
  /** Nudges the job runner after a due job was committed. */
  wakeJobs(): void;
  now(): Date;
};

/** The services, each built once in relay-server.ts. */
export type RelayServices = {
  lookups: LookupService;
  batches: BatchService;
  analysts: AnalystAdmin;
  /** Only where an identity provider is configured (OIDC_ISSUER). */
  signIn: SignInService | undefined;
};
