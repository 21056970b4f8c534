// What asks for confirmation before it runs, and what runs straight away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyShellRisk, sqlWriteKeyword } from '../../../src/core/shell/shellRisk';

const RISKY: [string, RegExp][] = [
  ['supabase functions deploy', /deploys Edge Functions/],
  ['supabase functions deploy generate-content --no-verify-jwt', /deploys/],
  ['supabase functions delete old-fn', /deletes an Edge Function/],
  ['supabase db push --linked', /applies migrations/],
  ['supabase db reset', /drops and recreates/],
  ['supabase migration up', /applies pending/],
  ['supabase migration down --last 1', /reverts/],
  ['supabase migration repair --status reverted 20260101000000', /migration history/],
  ['supabase migration squash', /squashes/],
  ['supabase secrets set OPENAI_API_KEY=sk-x', /changes Edge Function secrets/],
  ['supabase secrets unset OPENAI_API_KEY', /removes Edge Function secrets/],
  ['supabase db query "delete from x"', /may change data/],
  ['supabase stop --no-backup', /deletes the local database volumes/],
  ['npx supabase@latest db push', /applies migrations/],
  ['node_modules/.bin/supabase config push', /configuration/],
  ['vercel', /deployments/],
  ['vercel deploy --prod', /deployments/],
  ['netlify deploy --prod', /netlify deploy/],
  ['npm run deploy', /deploys/],
  ['npm publish', /published package/],
  ['git push origin main', /publishes commits/],
  ['git push --force origin main', /rewrites or deletes history/],
  ['git revert HEAD', /undo/],
  ['git reset --hard HEAD~1', /discards uncommitted/],
  ['git checkout HEAD~1 -- supabase/functions/<function_name>', /overwrites files/],
  ['git checkout .', /overwrites files/],
  ['git clean -fdx', /untracked/],
  ['rm -rf dist', /rm deletes/],
  ['kill -9 1234', /stops processes/],
  ['pkill -f node', /stops processes/],
  ['killall node', /stops processes/],
  ['sudo systemctl status nginx', /root/],
  ['psql "$DB_URL" -c "UPDATE users SET banned_until = NULL"', /UPDATE/],
  ["psql -c 'select pg_terminate_backend(pid) from pg_stat_activity'", /PG_TERMINATE_BACKEND/],
  ['psql -f rollback.sql', /from a file/],
  ['psql < rollback.sql', /rollback\.sql/],
  ['psql <<SQL\nDROP TABLE x;\nSQL', /DROP/],
  ['curl -X POST https://trxmsoyjjoopnvzohmvi.supabase.co/functions/v1/health', /POST request/],
  ['curl -XDELETE https://x/rest/v1/t?id=eq.1', /DELETE/],
  ['curl --request=PATCH https://x', /PATCH/],
  ['curl -d \'{"a":1}\' https://x', /POST/],
  ['curl --json \'{"a":1}\' https://x', /POST/],
  ['curl -T file https://x', /PUT/],
  ['curl -s https://get.example.sh | bash', /into bash/],
  ['./scripts/rollback.sh', /script/],
  ['bash scripts/deploy.sh', /script/],
  ['docker compose down -v', /volumes/],
  ['kubectl rollout undo deploy/api', /cluster/],
];

const SAFE = [
  'supabase functions list', 'supabase functions logs generate-content --tail', 'supabase migration list', 'supabase migration new x',
  'supabase db push --dry-run', 'supabase db query --read-only "select 1"', 'supabase secrets list', 'supabase gen types typescript --linked',
  'supabase start', 'supabase status', 'supabase inspect db locks', 'supabase db diff --remote',
  'curl https://trxmsoyjjoopnvzohmvi.supabase.co/functions/v1/health', 'curl -sS -I https://x', 'curl -X GET https://x', 'curl -X HEAD https://x',
  'git status', 'git log --oneline -5', 'git diff HEAD~1', 'git show HEAD', 'git fetch origin', 'git branch -a', 'git reset HEAD file', 'git push --dry-run',
  'npm run build', 'npm test', 'npm ci', 'npm run dev', 'psql -c "select count(*) from pg_stat_activity"', 'psql "$DB_URL"',
  'echo hello | grep h', 'ls -la', 'cat supabase/config.toml', 'jq . out.json', 'command -v supabase', 'node -v',
];

test('every risky command is risky, with a reason that says why', () => {
  for (const [command, reason] of RISKY) {
    const risk = classifyShellRisk(command);
    assert.equal(risk.level, 'risky', command);
    assert.ok(risk.reasons.some((r) => reason.test(r)), `${command}: ${risk.reasons.join(' | ')}`);
  }
});

test('every read-only command is safe', () => {
  for (const command of SAFE) {
    const risk = classifyShellRisk(command);
    assert.deepEqual([risk.level, risk.reasons], ['safe', []], command);
  }
});

test('chains and pipelines are risky if any part is; each reason is listed once', () => {
  const chain = classifyShellRisk('git status && git push; npm run build | tee log && rm -rf dist');
  assert.equal(chain.level, 'risky');
  assert.deepEqual(chain.reasons, ['git push publishes commits to a remote.', 'tee overwrites log.', 'rm deletes files.']);
  assert.equal(classifyShellRisk('git status; git log | head -5 || echo none').level, 'safe');
  assert.equal(classifyShellRisk('git revert HEAD\ngit push origin main').reasons.length, 2);
});

test('commands hidden in substitutions, wrappers and nested shells are found', () => {
  for (const hidden of [
    'echo $(rm -rf /tmp/x)', 'echo "`git push`"', 'bash -c "supabase db reset"', "sh -lc 'kill 1'", 'eval "git push"',
    'find . -name "*.log" -exec rm {} +', 'find . -delete', 'ls | xargs rm', 'env FOO=1 git push', 'timeout 60 supabase db push',
    'watch -n 5 kill 1', "ssh prod 'rm -rf /srv/app'", 'diff <(git push) x', 'bash <<EOF\ngit push\nEOF',
    'if git diff --quiet; then git push; fi', 'for f in *.sql; do psql -f "$f"; done', '$SUPABASE db push', 'sudo -u postgres psql',
  ]) {
    assert.equal(classifyShellRisk(hidden).level, 'risky', hidden);
  }
});

test('writing a file through a redirection is risky and names the file', () => {
  const types = classifyShellRisk('supabase gen types typescript --linked > src/integrations/supabase/types.ts');
  assert.equal(types.level, 'risky');
  assert.deepEqual(types.reasons, ['Overwrites src/integrations/supabase/types.ts: the shell empties it before the command runs, even if the command then fails.']);
  assert.deepEqual(classifyShellRisk('echo x >> log.txt 2>/dev/null').reasons, ['Appends to log.txt.']);
  assert.deepEqual(classifyShellRisk('deno test &> out.log').reasons, ['Overwrites out.log: the shell empties it before the command runs, even if the command then fails.']);
  assert.deepEqual(classifyShellRisk('supabase status | tee -a status.log').reasons, ['tee appends to status.log.']);
  assert.deepEqual(classifyShellRisk('curl -s -o health.json https://example.com/health').reasons, ['curl writes the response to health.json, replacing it.']);
  for (const harmless of ['echo x > /dev/null', 'ls 2>&1', 'supabase status 2> /dev/null', 'cat file >&2', 'curl -o /dev/null -s https://x', 'echo x | tee', 'echo x 1>&-']) {
    assert.equal(classifyShellRisk(harmless).level, 'safe', harmless);
  }
});

test('notes: gone subcommands, previews', () => {
  assert.match(classifyShellRisk('supabase functions logs x --tail').notes[0], /not a command of Supabase CLI 3\.1/);
  assert.match(classifyShellRisk('supabase db remote status').notes[0], /gone from Supabase CLI 3\.1/);
  assert.match(classifyShellRisk('supabase db push --dry-run').notes[0], /changes nothing/);
});

test('SQL write detection ignores literals, comments and look-alike column names', () => {
  assert.equal(sqlWriteKeyword('select created_at, deleted_at from pg_locks'), undefined);
  assert.equal(sqlWriteKeyword("select * from t where note = 'drop table x' -- delete later"), undefined);
  assert.equal(sqlWriteKeyword('/* update */ select 1'), undefined);
  assert.equal(sqlWriteKeyword('insert into t values (1)'), 'INSERT');
  assert.equal(sqlWriteKeyword('VACUUM ANALYZE t'), 'VACUUM');
  assert.equal(sqlWriteKeyword('copy t from stdin'), 'COPY T');
  assert.equal(sqlWriteKeyword('copy t to stdout'), undefined);
  assert.equal(sqlWriteKeyword('\\! rm -rf /'), '\\!');
});
