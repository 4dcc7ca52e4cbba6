/**
 * `npm start`: the Belvo emulator and the relay in demo mode, with everything a first run needs made
 * on the spot (a local encryption key, the webhook secret, an analyst) and kept under data/demo/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatCedula } from '@lupa/contract/cedula';
import pino from 'pino';
import { startDemoCrm } from '../demo-crm/crm-server.js';
import { DEV_EXTENSION_ORIGIN } from '../dev-extension-identity.js';
import { createAnalyst } from '../relay/src/analysts/analyst-tokens.js';
import { loadConfig } from '../relay/src/config.js';
import { createBelvoEmulator } from '../relay/src/emulator/belvo-emulator.js';
import { DEMO_PEOPLE } from '../relay/src/emulator/demo-people.js';
import { createLogger } from '../relay/src/observability/logger.js';
import { startRelay } from '../relay/src/relay-server.js';

const DEMO_DIR = resolve('data/demo');
const SECRETS_FILE = resolve(DEMO_DIR, 'secrets.json');

type DemoSecrets = {
  encryptionKey: string;
  webhookAuthorization: string;
  belvoSecretId: string;
  belvoSecretPassword: string;
  analystToken?: string;
};

function loadOrCreateSecrets(): DemoSecrets {
  mkdirSync(DEMO_DIR, { recursive: true });
  if (existsSync(SECRETS_FILE)) return JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as DemoSecrets;
  const secrets: DemoSecrets = {
    encryptionKey: randomBytes(32).toString('base64'),
    webhookAuthorization: `Bearer ${randomBytes(24).toString('base64url')}`,
    belvoSecretId: 'demo-secret-id',
    belvoSecretPassword: randomBytes(12).toString('base64url'),
  };
  writeFileSync(SECRETS_FILE, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const relayPort = Number(process.env.PORT ?? 8787);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 8788);
const secrets = loadOrCreateSecrets();

const emulator = createBelvoEmulator({
  secretId: secrets.belvoSecretId,
  secretPassword: secrets.belvoSecretPassword,
  port: emulatorPort,
  extractionMs: Number(process.env.EMULATOR_EXTRACTION_MS ?? 5_000),
  webhook: {
    url: `http://127.0.0.1:${relayPort}/webhooks/belvo`,
    authorization: secrets.webhookAuthorization,
  },
});
const emulatorUrl = await emulator.listen();
// The development build runs the CRM overlay on this origin without a prompt (LUPA_DEV_ORIGINS).
const demoCrm = await startDemoCrm(Number(process.env.DEMO_CRM_PORT ?? 8789));

const env: Record<string, string | undefined> = {
  ...process.env,
  PORT: String(relayPort),
  // Prometheus has nothing to scrape in a demo: any free port, so it never collides with a real one.
  METRICS_PORT: process.env.METRICS_PORT ?? '0',
  DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${resolve(DEMO_DIR, 'relay.db')}`,
  BELVO_BASE_URL: emulatorUrl,
  BELVO_SECRET_ID: secrets.belvoSecretId,
  BELVO_SECRET_PASSWORD: secrets.belvoSecretPassword,
  BELVO_WEBHOOK_AUTHORIZATION: secrets.webhookAuthorization,
  RELAY_ENCRYPTION_KEY: secrets.encryptionKey,
  WEBHOOK_TIMEOUT_SECONDS: process.env.WEBHOOK_TIMEOUT_SECONDS ?? '60',
  LENDER_NAME: process.env.LENDER_NAME ?? 'Financiera Demo S.A.',
  // The development build pins its id, so the demo relay can allow exactly that extension.
  RELAY_ALLOWED_ORIGINS: process.env.RELAY_ALLOWED_ORIGINS ?? DEV_EXTENSION_ORIGIN,
};
const config = loadConfig(env);
const logFile = resolve(DEMO_DIR, 'relay.log');
const relay = await startRelay(config, {
  logger: createLogger(config.logLevel, pino.destination({ dest: logFile, mkdir: true, sync: false })),
});

if (!secrets.analystToken) {
  const analyst = await createAnalyst(relay.ctx.store.db, 'Analista de demostración', new Date());
  secrets.analystToken = analyst.token;
  // Demo only: a real deployment shows the token once and keeps nothing but its hash.
  writeFileSync(SECRETS_FILE, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}

writeFileSync(
  resolve(DEMO_DIR, 'relay.env'),
  [
    'DATABASE_URL',
    'BELVO_BASE_URL',
    'BELVO_SECRET_ID',
    'BELVO_SECRET_PASSWORD',
    'BELVO_WEBHOOK_AUTHORIZATION',
    'RELAY_ENCRYPTION_KEY',
  ]
    .map((name) => `export ${name}='${env[name]}'`)
    .join('\n')
    .concat('\n'),
  { mode: 0o600 },
);

const people = DEMO_PEOPLE.map(
  (person) => `    ${formatCedula(person.cedula).padEnd(14)} ${person.scenario}`,
).join('\n');
console.log(`
Lupa demo is running (Belvo is emulated; nothing here talks to the real Belvo).

  Relay           ${relay.url}   (logs: data/demo/relay.log)
  Belvo emulator  ${emulatorUrl}
  Extension       ${resolve('.output/chrome-mv3')}
  Demo CRM pages  ${demoCrm.url}/ (in-house), ${demoCrm.url}/salesforce.html, ${demoCrm.url}/hubspot.html

  1. Chrome or Chromium: chrome://extensions → Developer mode → Load unpacked → the folder above.
  2. Lupa's options: "URL del servidor de tu entidad" = ${relay.url}, "Token de analista" = the token at the end.
  3. Open the Lupa popup and look up one of the demo cédulas (any other valid one gets a generated history),
     or open a demo CRM page: the panel appears beside the cédula.
${people}

  Relay CLI against the demo data:  . data/demo/relay.env && npm run relay -- audit --cedula 1020304050
  Stop with Ctrl+C.

  Analyst token:
${secrets.analystToken}
`);

const stop = async () => {
  await relay.stop();
  await emulator.close();
  await demoCrm.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
