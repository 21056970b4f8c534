// Tailing a function's logs through logs.all (CLI 3 has no `functions logs --tail`), against the local Management
// API held to the official document: the function's events since the last one shown, oldest first, each once; a
// spent rate limit is reported and the tail goes on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManagementApiClient } from '../../../src/node/supabase/managementApiClient';
import { FunctionLogTail, type FunctionLogLine } from '../../../src/node/supabase/functionLogTail';
import { VirtualClock } from '../../../src/node/http/clock';
import { ManagementApiServer } from '../../helpers/managementApiServer';
import { waitFor } from '../../helpers/wait';

// Made up: the Management API stand-in accepts any token of the right shape.
const TOKEN = 'sbp_2222222222222222222222222222222222222222';
const REF = 'functionlogtailtestx';
const FUNCTION_ID = '3c078cce-ad70-4148-9f37-4da362789053';
const events: Array<{ id: string; at: number; message: string; level: string }> = [];
let server: ManagementApiServer;
let client: ManagementApiClient;

before(async () => {
  server = new ManagementApiServer(TOKEN, {
    'v1-get-project-logs': (request) => {
      const sql = request.query.get('sql') ?? '';
      const start = Date.parse(request.query.get('iso_timestamp_start')!);
      const end = Date.parse(request.query.get('iso_timestamp_end')!);
      if (!sql.includes(`metadata.function_id = '${FUNCTION_ID}'`)) return { result: [] };
      return {
        result: events
          .filter((e) => e.at >= start && e.at <= end)
          .sort((a, b) => b.at - a.at)
          .map((e) => ({ id: e.id, timestamp: e.at * 1000, event_message: `${e.message}\n`, level: e.level })),
      };
    },
  });
  await server.start();
  client = new ManagementApiClient({ baseUrl: server.url, token: () => TOKEN });
});

after(async () => {
  await client.close();
  await server.close();
});

test('new events appear once, oldest first; the query filters by the function and a time range', async () => {
  const clock = new VirtualClock(Date.parse('2026-03-01T12:00:00Z'));
  const now = clock.now();
  events.push(
    { id: 'a', at: now - 10 * 60_000, message: 'too old', level: 'info' },
    { id: 'b', at: now - 60_000, message: 'booted', level: 'info' },
    { id: 'c', at: now - 30_000, message: 'generated 3 assets', level: 'info' },
  );
  const shown: FunctionLogLine[] = [];
  const problems: string[] = [];
  const tail = new FunctionLogTail({
    client,
    ref: REF,
    functionId: FUNCTION_ID,
    clock,
    intervalMs: 5000,
    onLines: (lines) => shown.push(...lines),
    onProblem: (m) => problems.push(m),
  });
  try {
    clock.advance(0);
    await waitFor(() => shown.length === 2, 'the first poll');
    assert.deepEqual(
      shown.map((l) => l.message),
      ['booted', 'generated 3 assets'],
    );
    events.push({ id: 'd', at: now + 2000, message: 'OpenAI timed out', level: 'error' });
    clock.advance(5000);
    await waitFor(() => shown.length === 3, 'the second poll');
    await tail.idle();
    assert.equal(shown[2].level, 'error');
    clock.advance(5000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await tail.idle();
    assert.equal(shown.length, 3, 'nothing shown twice');
    assert.deepEqual(server.rejected, []);

    server.spend();
    clock.advance(5000);
    await waitFor(() => problems.length === 1, 'the rate limit to be reported');
    assert.match(problems[0], /rate limit/);
  } finally {
    tail.dispose();
    server.refill();
  }
});
