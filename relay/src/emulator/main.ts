/**
 * Runs the Belvo emulator on its own: `npm run emulator`. `npm start` runs it for you; this is for
 * pointing a relay you started yourself at it.
 */
import { createBelvoEmulator } from './belvo-emulator.js';

const env = process.env;
const emulator = createBelvoEmulator({
  secretId: env.EMULATOR_SECRET_ID ?? 'demo-secret-id',
  secretPassword: env.EMULATOR_SECRET_PASSWORD ?? 'demo-secret-password',
  port: Number(env.EMULATOR_PORT ?? 8788),
  extractionMs: Number(env.EMULATOR_EXTRACTION_MS ?? 3_000),
  webhook: env.EMULATOR_WEBHOOK_URL
    ? { url: env.EMULATOR_WEBHOOK_URL, authorization: env.EMULATOR_WEBHOOK_AUTHORIZATION ?? '' }
    : undefined,
});
const url = await emulator.listen();
console.log(`Belvo emulator on ${url} (Basic auth ${env.EMULATOR_SECRET_ID ?? 'demo-secret-id'}:…)`);
console.log(
  env.EMULATOR_WEBHOOK_URL
    ? `Webhooks go to ${env.EMULATOR_WEBHOOK_URL}`
    : 'No EMULATOR_WEBHOOK_URL: webhooks are not sent',
);
const stop = () => emulator.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
