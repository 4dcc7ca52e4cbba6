import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitUntilFinal } from './relay-harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());
afterEach(() => stack.emulator.clearFaults());

describe('Belvo failures end the lookup with a stable code', () => {
  it('a login error is failed with belvo_login_error, not retryable', async () => {
    const started = await stack.startLookup('1000000001');
    const failed = await waitUntilFinal(stack.api, started.body.id);
    expect(failed).toMatchObject({
      status: 'failed',
      stage: 'done',
      error: { code: 'belvo_login_error', retryable: false },
    });
    expect((await stack.api.get(`v1/lookups/${started.body.id}/report`)).status).toBe(409);
  });

  it('an institution that is down is failed with institution_down, retryable', async () => {
    const started = await stack.startLookup('1000000002');
    const failed = await waitUntilFinal(stack.api, started.body.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'institution_down', retryable: true } });
  });

  it('a failed lookup is not reused: asking again tries Belvo again', async () => {
    const before = stack.emulator.counters.requests;
    const again = await stack.startLookup('1000000002');
    expect(again.status).toBe(202);
    await waitUntilFinal(stack.api, again.body.id);
    expect(stack.emulator.counters.requests).toBeGreaterThan(before);
  });

  it('retries 5xx on link creation and reaches ready with a single link', async () => {
    const linksBefore = stack.emulator.counters.linksCreated;
    const started = await stack.startLookup('1000000004');
    const ready = await waitUntilFinal(stack.api, started.body.id);
    expect(ready.status).toBe('ready');
    expect(stack.emulator.counters.linksCreated).toBe(linksBefore + 1);
    const retried = stack.logLines.filter(
      (line) => line.includes('"path":"/api/links/"') && line.includes('"status":500'),
    );
    expect(retried).toHaveLength(2);
  });

  it('retries 5xx and too_many_sessions while reading data', async () => {
    stack.emulator.failNext({
      method: 'GET',
      pathPrefix: '/api/co/employments/',
      count: 2,
      status: 500,
      code: 'unexpected_error',
    });
    stack.emulator.failNext({
      method: 'GET',
      pathPrefix: '/api/owners/',
      count: 1,
      status: 400,
      code: 'too_many_sessions',
    });
    const started = await stack.startLookup('22345678');
    const ready = await waitUntilFinal(stack.api, started.body.id);
    expect(ready.status).toBe('ready');
    expect(ready.counts.owners.received).toBe(1);
  });

  it('fails with belvo_unavailable when Belvo keeps answering 5xx after 5 retries', async () => {
    stack.emulator.failNext({
      method: 'POST',
      pathPrefix: '/api/links/',
      count: 100,
      status: 503,
      code: 'unexpected_error',
    });
    stack.emulator.failNext({
      method: 'GET',
      pathPrefix: '/api/links/',
      count: 100,
      status: 503,
      code: 'unexpected_error',
    });
    const started = await stack.startLookup('23345678');
    const failed = await waitUntilFinal(stack.api, started.body.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'belvo_unavailable', retryable: true } });
    // One POST, then before each of the 5 retries a look for a link made by an answer we lost.
    const calls = stack.logLines
      .filter((line) => line.includes('"path":"/api/links/"') && line.includes('"status":503'))
      .map((line) => JSON.parse(line).belvo);
    expect(calls.map((call) => `${call.method}#${call.attempt}`)).toEqual([
      'POST#0',
      'GET#1',
      'GET#2',
      'GET#3',
      'GET#4',
      'GET#5',
    ]);
  });

  it('fails with belvo_auth_failed when Belvo rejects the relay’s keys', async () => {
    stack.emulator.failNext({
      method: 'POST',
      pathPrefix: '/api/links/',
      count: 1,
      status: 401,
      code: 'authentication_failed',
    });
    const started = await stack.startLookup('24345678');
    const failed = await waitUntilFinal(stack.api, started.body.id);
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'belvo_auth_failed', retryable: false },
    });
  });

  it('logs every Belvo call with its request_id when Belvo gives one', async () => {
    const calls = stack.logLines.filter((line) => line.includes('"msg":"belvo call"'));
    expect(calls.length).toBeGreaterThan(5);
    const failures = calls.map((line) => JSON.parse(line)).filter((entry) => entry.belvo.status >= 400);
    expect(failures.length).toBeGreaterThan(0);
    for (const entry of failures) expect(entry.belvo.requestId).toMatch(/^[0-9a-f]{32}$/);
  });
});
