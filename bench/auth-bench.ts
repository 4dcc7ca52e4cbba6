/**
 * What checking a bearer token adds to each /v1 request (issue 14): the relay's own check
 * (`analystOfBearer`, the middleware's whole work), timed in-process against a real store holding
 * 200 analysts and 2,000 sessions, for a signed-in session's access token and for a static token.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnalyst } from '../relay/src/analysts/analyst-tokens.js';
import { ACCESS_TOKEN_PREFIX, hashToken } from '../relay/src/analysts/token-hash.js';
import { loadConfig } from '../relay/src/config.js';
import { analystOfBearer } from '../relay/src/http/analyst-auth.js';
import { createLogger } from '../relay/src/observability/logger.js';
import { createRelayContext } from '../relay/src/relay-server.js';
import { insertSession } from '../relay/src/store/queries/sessions-queries.js';
import { relayEnv } from '../relay/tests/relay-harness.js';
import { createTestDatabase } from '../relay/tests/test-store.js';
import { percentile } from './http-load.js';
import type { BenchRow } from './relay-bench.js';

export async function benchTokenValidation(
  store: 'sqlite' | 'postgres',
  samples = 5_000,
): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-bench-auth-'));
  const database = await createTestDatabase(dir, store);
  const { ctx } = await createRelayContext(loadConfig(relayEnv(database.url, 'http://127.0.0.1:9')), {
    logger: createLogger('silent'),
  });
  try {
    const now = new Date();
    let staticToken = '';
    const accessTokens: string[] = [];
    for (let index = 0; index < 200; index++) {
      const analyst = await createAnalyst(ctx.store.db, `Analista ${index}`, now);
      staticToken = analyst.token;
      for (let session = 0; session < 10; session++) {
        const accessToken = `${ACCESS_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
        accessTokens.push(accessToken);
        await insertSession(ctx.store.db, {
          id: randomUUID(),
          analyst_id: analyst.id,
          access_hash: hashToken(accessToken),
          access_expires_at: new Date(now.getTime() + 3_600_000).toISOString(),
          refresh_hash: hashToken(randomBytes(32).toString('base64url')),
          expires_at: new Date(now.getTime() + 12 * 3_600_000).toISOString(),
          idp_refresh_sealed: null,
          created_at: now.toISOString(),
          revoked_at: null,
          revoked_reason: null,
        });
      }
    }
    const time = async (tokenOf: (index: number) => string) => {
      // Not timed: the first calls prepare statements and warm the code up.
      for (let index = 0; index < 500; index++) await analystOfBearer(ctx.store, tokenOf(index), new Date());
      const timings: number[] = [];
      for (let index = 0; index < samples; index++) {
        const started = performance.now();
        const analyst = await analystOfBearer(ctx.store, tokenOf(index), new Date());
        timings.push(performance.now() - started);
        if (!analyst) throw new Error('a valid token was refused');
      }
      return timings;
    };
    const label = store === 'sqlite' ? 'SQLite' : 'PostgreSQL (throwaway server, loopback)';
    const row = (what: string, timings: number[]): BenchRow => {
      const p95 = percentile(timings, 95);
      return {
        what: `token validation per request, ${what}, ${label} (p50 ${percentile(timings, 50).toFixed(3)} ms, n=${samples})`,
        value: `p95 ${p95.toFixed(3)} ms`,
        target: 'p95 < 1 ms',
        ok: p95 < 1,
      };
    };
    return [
      row('signed-in access token', await time((index) => accessTokens[index % accessTokens.length]!)),
      row('static token', await time(() => staticToken)),
    ];
  } finally {
    await ctx.notifier.close();
    await ctx.store.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
