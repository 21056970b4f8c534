// Commands that do not end on their own get a terminal of their own and no exit code to wait for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLongRunning, longRunningReason } from '../../../src/core/safety/longRunning';

test('followed logs, watchers, dev servers and the local stack are long-running', () => {
  for (const command of [
    'supabase functions logs generate-content --tail',
    'supabase functions logs <name> --tail',
    'tail -f /var/log/syslog',
    'tail -n 100 -F app.log',
    'journalctl -u nginx --follow',
    'docker logs -f api',
    'kubectl logs -f deploy/api',
    'heroku logs --tail',
    'watch -n 5 supabase functions list',
    'supabase start',
    'supabase functions serve',
    'supabase logs --remote --service postgres',
    'npm run dev',
    'npm start',
    'pnpm dev',
    'yarn run watch',
    'tsc --watch',
    'vite',
    'docker compose up',
    'ping example.com',
    'psql "$DB_URL"',
    'ssh prod',
    'git status && npm run dev',
  ]) {
    assert.ok(isLongRunning(command), command);
    assert.ok(longRunningReason(command), command);
  }
});

test('commands that end by themselves are not', () => {
  for (const command of [
    'supabase functions list',
    'supabase db push',
    'git log --follow -- file',
    'docker logs --tail 100 api',
    'docker logs --tail=50 api',
    'rm -f x',
    'npm run build',
    'vite build',
    'curl -f https://x',
    'ping -c 3 example.com',
    'psql -c "select 1"',
    'psql -f a.sql',
    'supabase logs --remote --output-format json',
    'supabase logs --remote --service auth | grep error',
    'docker compose up -d',
    'npm run dev &',
    'ssh prod uptime',
    'echo tail -f',
  ]) {
    assert.equal(isLongRunning(command), false, command);
  }
});

test('the reason explains itself', () => {
  assert.match(longRunningReason('supabase start') ?? '', /can take minutes/);
  assert.match(longRunningReason('watch date') ?? '', /until stopped/);
  assert.match(longRunningReason('supabase logs') ?? '', /interactive log viewer/);
});
