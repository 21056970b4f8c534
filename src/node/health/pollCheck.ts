// One poll of one check: an attempt, and as many retries as the runbook allows while the attempts fail, each with the
// check's timeout. Endpoints go through the prober with the project's public key, the database through its pool,
// the Management API through the shared client; the verdicts come from core/health.
import type { Runbook } from '../../core/model/types';
import type { CheckSpec } from '../../core/health/checkPlan';
import type { AttemptVerdict } from '../../core/health/judgeEndpoint';
import { judgeEndpointAttempt } from '../../core/health/judgeEndpoint';
import { judgeDatabase, longQueryThreshold } from '../../core/health/judgeDatabase';
import { HEALTH_SERVICES, judgeManagementApi, type ManagementObservation } from '../../core/health/judgeManagementApi';
import { judgeTraffic, JUDGEMENT_WINDOW_MS, type TrafficObservation } from '../../core/health/judgeTraffic';
import type { AttemptRecord, PollRecord } from '../../core/health/projectHealth';
import type { HttpProber } from '../http/httpProber';
import type { PgRunner } from '../pg/pgRunner';
import { observeDatabase } from '../pg/databaseHealth';
import { isManagementApiError, type ManagementApiClient } from '../supabase/managementApiClient';
import { readFunctionTraffic } from '../supabase/functionTraffic';

/** Where a project's checks go, and with what. No secret here is ever put in a result. */
export interface HealthTarget {
  apiUrl?: string;
  /** The project's anon or publishable key: never the service role key. */
  key?: string;
  /** The project's database pool, when it has a database. */
  database?: () => Promise<PgRunner | undefined>;
  /** The Management API and the project's ref, when a personal access token is set. */
  management?: { client: ManagementApiClient; ref: string };
}

export interface PollContext {
  runbook: Runbook;
  prober: HttpProber;
  now: () => number;
}

export async function pollCheck(spec: CheckSpec, target: HealthTarget, context: PollContext): Promise<PollRecord> {
  const attempts: AttemptRecord[] = [];
  let verdict: AttemptVerdict | undefined;
  let traffic: TrafficObservation | undefined;
  for (let attempt = 0; attempt <= spec.timing.retries; attempt++) {
    const t = context.now();
    const result = await attemptOnce(spec, target, context);
    verdict = result.verdict;
    traffic = result.traffic ?? traffic;
    attempts.push({
      t,
      latencyMs: result.latencyMs ?? null,
      passed: verdict.passed,
      failedRequest: result.failedRequest ?? !verdict.passed,
    });
    if (verdict.passed) break;
  }
  const record: PollRecord = { verdict: verdict!, attempts, finishedAt: context.now() };
  if (traffic) record.traffic = traffic;
  if (attempts.length > 1 && verdict!.passed)
    record.verdict = {
      ...verdict!,
      summary: `${verdict!.summary} (passed after retry ${attempts.length - 1} of ${spec.timing.retries})`,
    };
  else if (attempts.length > 1)
    record.verdict = { ...verdict!, summary: `${verdict!.summary} (all ${attempts.length} attempts failed)` };
  return record;
}

interface AttemptResult {
  verdict: AttemptVerdict;
  latencyMs?: number;
  /** No answer or a 5xx, for the error rate. */
  failedRequest?: boolean;
  traffic?: TrafficObservation;
}

async function attemptOnce(spec: CheckSpec, target: HealthTarget, context: PollContext): Promise<AttemptResult> {
  switch (spec.kind) {
    case 'endpoint':
    case 'healthFunction':
      return probeEndpoint(spec, target, context);
    case 'database':
      return checkDatabase(spec, target, context);
    case 'managementApi':
      return checkManagementApi(spec, target);
    case 'traffic':
      return checkTraffic(target, context);
  }
}

async function probeEndpoint(spec: CheckSpec, target: HealthTarget, context: PollContext): Promise<AttemptResult> {
  const route = spec.endpoint!.route;
  if (!target.apiUrl)
    return { verdict: unknown('The project has no API URL: add "apiUrl" or "ref" to it in runbook.projects') };
  if (!target.key)
    return {
      verdict: unknown(
        'No anon or publishable key for this project: set one (Runbook: Set Project Secret), or a personal access token to fetch it',
      ),
    };
  // Always the project's own API URL: a row written as a full URL to another host never gets the key.
  const url = probeUrl(target.apiUrl, route.probed);
  const { headers, secrets } = headersFor(target.key);
  const attempt = await context.prober.probe({ url, headers, timeoutMs: spec.timing.timeoutMs, secrets });
  return {
    verdict: judgeEndpointAttempt(spec, attempt),
    ...(attempt.status !== undefined ? { latencyMs: attempt.latencyMs } : {}),
  };
}

async function checkDatabase(spec: CheckSpec, target: HealthTarget, context: PollContext): Promise<AttemptResult> {
  let runner: PgRunner | undefined;
  try {
    runner = await target.database?.();
  } catch (error) {
    return { verdict: unknown(`The database cannot be reached: ${(error as Error).message}`) };
  }
  if (!runner)
    return { verdict: unknown('No database password for this project: set it (Runbook: Set Project Secret)') };
  const observation = await observeDatabase(runner, {
    timeoutMs: spec.timing.timeoutMs,
    longQueryMs: longQueryThreshold(context.runbook.typed).ms,
  });
  return {
    verdict: judgeDatabase(context.runbook.typed, observation),
    ...(observation.error ? {} : { latencyMs: observation.latencyMs }),
  };
}

async function checkManagementApi(spec: CheckSpec, target: HealthTarget): Promise<AttemptResult> {
  const management = target.management;
  if (!management) return { verdict: unknown('No personal access token: the Management API is not asked') };
  const observation: ManagementObservation = {};
  const started = performance.now();
  try {
    const [services, project] = await Promise.all([
      management.client.projectHealth(management.ref, HEALTH_SERVICES, Math.min(10_000, spec.timing.timeoutMs)),
      management.client.project(management.ref),
    ]);
    observation.services = services;
    observation.projectStatus = project.status;
  } catch (error) {
    observation.error = (error as Error).message;
    if (isManagementApiError(error) && (error.kind === 'unauthorized' || error.kind === 'rateLimited'))
      observation.final = true;
  }
  return { verdict: judgeManagementApi(observation), latencyMs: performance.now() - started };
}

async function checkTraffic(target: HealthTarget, context: PollContext): Promise<AttemptResult> {
  const management = target.management;
  if (!management) return { verdict: unknown('No personal access token: real traffic cannot be read') };
  let traffic: TrafficObservation;
  try {
    traffic = await readFunctionTraffic(
      management.client,
      management.ref,
      new Date(context.now()),
      JUDGEMENT_WINDOW_MS,
    );
  } catch (error) {
    traffic = {
      source: 'logs',
      windowMs: JUDGEMENT_WINDOW_MS,
      requests: 0,
      errors: 0,
      error: (error as Error).message,
    };
  }
  return { verdict: judgeTraffic(context.runbook.typed, traffic), traffic };
}

function unknown(summary: string): AttemptVerdict {
  // Retrying a missing setting changes nothing.
  return { state: 'unknown', passed: true, summary, rules: [], details: [] };
}

// One headers object per key, made once: a legacy key is a JWT, and functions that verify JWTs want it as the bearer
// too; a publishable key is not a JWT.
const headersByKey = new Map<string, { headers: Record<string, string>; secrets: string[] }>();

function headersFor(key: string): { headers: Record<string, string>; secrets: string[] } {
  let entry = headersByKey.get(key);
  if (!entry) {
    if (headersByKey.size >= MAX_CACHED_BASES) headersByKey.clear();
    const headers: Record<string, string> = { apikey: key };
    if (key.startsWith('eyJ')) headers.authorization = `Bearer ${key}`;
    entry = { headers, secrets: [key] };
    headersByKey.set(key, entry);
  }
  return entry;
}

// The same few URLs are asked for every poll: built and parsed once each.
const urls = new Map<string, Map<string, URL>>();
const MAX_CACHED_BASES = 200;

function probeUrl(base: string, path: string): URL {
  let paths = urls.get(base);
  if (!paths) {
    if (urls.size >= MAX_CACHED_BASES) urls.clear();
    paths = new Map();
    urls.set(base, paths);
  }
  let url = paths.get(path);
  if (!url) {
    url = new URL(`${base.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`);
    paths.set(path, url);
  }
  return url;
}
