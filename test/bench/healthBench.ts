// The health checks' cost. 20 projects × 5 checks, polled on the runbook's schedule for 10 minutes of accelerated time
// (a virtual clock; the requests themselves are real, to 20 gateway-shaped stand-ins in another process):
//   (a) CPU time of this process (what the extension host would spend: scheduling, probes, judgement, views) as a
//       ratio to the CPU time of the same requests, in the same batches, sent with bare undici and read whole.
//       Rounds alternate the two sides; the result is the median ratio. Target ≤ 1.2.
//   (b) heap after 1,000 polls and after 10,000 (both after a full GC): the growth must be flat, under 5 MB.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Agent } from 'undici';
import { parseRunbook } from '../../src/core/model/parseRunbook';
import { LOCAL_STACK_ANON_KEY } from '../../src/core/health/projectKey';
import { HealthMonitor, type MonitoredProject } from '../../src/node/health/healthMonitor';
import { VirtualClock } from '../../src/node/http/clock';
import { HttpProber, type ProbeRequest } from '../../src/node/http/httpProber';
import type { ProbeAttempt } from '../../src/core/health/probeOutcome';
import { PROJECT_ROOT } from '../helpers/seed';

export const CPU_RATIO_TARGET = 1.2;
export const MEMORY_GROWTH_TARGET_MB = 5;
const PROJECTS = 20;
const VIRTUAL_MS = 10 * 60_000;
const ROUNDS = 9;

const RUNBOOK = parseRunbook(`# Bench

## Critical Metrics Dashboard

| Metric | Warning Threshold | Critical Threshold | Action |
|---|---|---|---|
| Error Rate | > 1% | > 5% | Investigate |
| P95 Latency | > 500ms | > 2000ms | Scale or optimize |
| Circuit Breaker Opens | Any | 3+ in 5min | Check external deps |

## Monitoring Endpoints

| Endpoint | Purpose | Expected Response |
|---|---|---|
| \`/functions/v1/health\` | Edge function health | \`{ "status": "healthy" }\` |
| \`/auth/v1/health\` | Auth service health | 200 OK |
| \`/storage/v1/version\` | Storage version | 200 OK |
| \`/storage/v1/status\` | Storage status | 200 OK |
| \`/rest/v1/items?select=id&limit=1\` | Data API | 200 OK |

## Health Check Frequency

| Check | Interval | Timeout | Retries |
|---|---|---|---|
| Edge Functions | 30s | 5s | 2 |
| Storage | 60s | 5s | 2 |
| Auth | 60s | 5s | 1 |
| Rest | 60s | 5s | 1 |
`);

/** A prober that notes what it was asked, so the bare side can send the very same requests. */
class RecordingProber extends HttpProber {
  batch: string[] = [];
  override probe(request: ProbeRequest): Promise<ProbeAttempt> {
    this.batch.push(String(request.url));
    return super.probe(request);
  }
}

function projects(origins: readonly string[]): MonitoredProject[] {
  return origins.map((origin, i) => ({
    identity: { project: `project-${i}`, label: `project-${i}`, apiUrl: origin, production: false },
    target: { apiUrl: origin, key: LOCAL_STACK_ANON_KEY },
  }));
}

/** Runs the schedule until `until` returns true; returns the requests, step by step. */
export async function runMonitor(
  origins: readonly string[],
  until: (monitor: HealthMonitor, clock: VirtualClock) => boolean,
  onStep?: (monitor: HealthMonitor) => void,
  prober: RecordingProber = new RecordingProber(),
): Promise<{ batches: string[][]; polls: number; monitor: HealthMonitor; prober: RecordingProber }> {
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const monitor = new HealthMonitor({ clock, prober });
  monitor.setRunbook(RUNBOOK, 'bench');
  monitor.setProjects(projects(origins));
  const batches: string[][] = [];
  while (!until(monitor, clock)) {
    const next = clock.nextDue();
    if (next === undefined) break;
    clock.advanceTo(next);
    await monitor.idle();
    // The views are what the panel draws after every poll.
    if (process.env.BENCH_VIEWS) monitor.views();
    if (prober.batch.length) batches.push(prober.batch.splice(0));
    onStep?.(monitor);
  }
  return { batches, polls: monitor.pollsStarted, monitor, prober };
}

/** The same requests through the prober alone (timeouts, body cap, masking), no scheduling or judgement. */
export async function proberOnly(batches: readonly string[][]): Promise<void> {
  const prober = new HttpProber();
  try {
    for (const batch of batches)
      await Promise.all(
        batch.map((url) =>
          prober.probe({
            url,
            headers: { apikey: LOCAL_STACK_ANON_KEY, authorization: `Bearer ${LOCAL_STACK_ANON_KEY}` },
            timeoutMs: 5000,
            secrets: [LOCAL_STACK_ANON_KEY],
          }),
        ),
      );
  } finally {
    await prober.close();
  }
}

/** A prober that answers at once, as the stand-in would: what scheduling and judgement cost on their own. */
export class CannedProber extends RecordingProber {
  override probe(request: ProbeRequest): Promise<ProbeAttempt> {
    this.batch.push(String(request.url));
    const health = String(request.url).endsWith('/functions/v1/health');
    return Promise.resolve({
      startedAt: Date.now(),
      latencyMs: 3,
      status: 200,
      statusText: 'OK',
      contentType: 'application/json',
      body: health ? CANNED_HEALTH : '{"name":"GoTrue"}',
      bodyBytes: 100,
    });
  }
}
const CANNED_HEALTH = JSON.stringify({
  status: 'healthy',
  version: '1.4.2',
  timestamp: '2026-01-01T00:00:00Z',
  checks: { database: 'ok', storage: 'ok', external_apis: 'ok' },
  circuit_breakers: { openai: 'closed', google_ai: 'closed' },
});

export async function bare(batches: readonly string[][]): Promise<void> {
  const agent = new Agent({ connections: 8, keepAliveTimeout: 30_000, pipelining: 1 });
  try {
    for (const batch of batches)
      await Promise.all(
        batch.map(async (href) => {
          const url = new URL(href);
          const response = await agent.request({
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method: 'GET',
            headers: { apikey: LOCAL_STACK_ANON_KEY, authorization: `Bearer ${LOCAL_STACK_ANON_KEY}` },
          });
          await response.body.text();
        }),
      );
  } finally {
    await agent.close();
  }
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function exposeGc(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

export async function startServers(): Promise<{ origins: string[]; child: ChildProcess }> {
  const child = fork(join(PROJECT_ROOT, 'test', 'bench', 'healthEndpointsProcess.mjs'), [String(PROJECTS)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const origins = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0]) as string[]);
    });
    child.once('exit', (code) => reject(new Error(`the endpoints process exited with ${code}`)));
  });
  return { origins, child };
}

export async function runHealthBenchmarks(): Promise<Record<string, number | string>> {
  const gc = exposeGc();
  const { origins, child } = await startServers();
  try {
    // A warm-up of each side, so neither pays for loading code the other already loaded.
    const warm = await runMonitor(origins, (_m, clock) => clock.now() >= Date.parse('2026-01-01T00:01:00Z'));
    warm.monitor.dispose();
    await warm.prober.close();
    await bare(warm.batches);

    const ratios: number[] = [];
    let bareTotalMs = 0;
    let bareTotalRequests = 0;
    let requests = 0;
    let polls = 0;
    // Each round runs both sides, in alternating order, so load from other processes falls on both alike.
    const measure = async (): Promise<{ ms: number; batches: string[][]; polls: number }> => {
      gc();
      const start = Date.parse('2026-01-01T00:00:00Z');
      const before = process.cpuUsage();
      const run = await runMonitor(origins, (_m, clock) => clock.now() >= start + VIRTUAL_MS);
      run.monitor.dispose();
      await run.prober.close();
      return { ms: cpuMs(before), batches: run.batches, polls: run.polls };
    };
    const measureBare = async (batches: string[][]): Promise<number> => {
      gc();
      const before = process.cpuUsage();
      await bare(batches);
      return cpuMs(before);
    };
    let batches = warm.batches;
    for (let round = 0; round < ROUNDS; round++) {
      let monitored: { ms: number; batches: string[][]; polls: number };
      let bareMs: number;
      if (round % 2 === 0) {
        monitored = await measure();
        bareMs = await measureBare(monitored.batches);
      } else {
        bareMs = await measureBare(batches);
        monitored = await measure();
      }
      batches = monitored.batches;
      ratios.push(monitored.ms / bareMs);
      bareTotalMs += bareMs;
      bareTotalRequests += monitored.batches.reduce((n, b) => n + b.length, 0);
      requests = monitored.batches.reduce((n, b) => n + b.length, 0);
      polls = monitored.polls;
    }
    ratios.sort((a, b) => a - b);

    // The breakdown: the prober alone against the baseline, and scheduling plus judgement alone (answers canned,
    // 10,000 polls, so the garbage collections they cause fall inside the measurement in their due share).
    const proberRatios: number[] = [];
    const cannedUs: number[] = [];
    for (let round = 0; round < 5; round++) {
      gc();
      let before = process.cpuUsage();
      await proberOnly(batches);
      const proberMs = cpuMs(before);
      gc();
      before = process.cpuUsage();
      await bare(batches);
      proberRatios.push(proberMs / cpuMs(before));
      gc();
      before = process.cpuUsage();
      const canned = await runMonitor(
        origins,
        (monitor) => monitor.pollsStarted >= 10_000,
        undefined,
        new CannedProber(),
      );
      cannedUs.push((cpuMs(before) * 1000) / canned.polls);
      canned.monitor.dispose();
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

    // Memory: heap after 1,000 polls and after 10,000, each after a full GC.
    let heapAt1000 = 0;
    let heapAt10000 = 0;
    const long = await runMonitor(
      origins,
      (monitor) => monitor.pollsStarted >= 10_000,
      (monitor) => {
        if (!heapAt1000 && monitor.pollsStarted >= 1000) {
          gc();
          heapAt1000 = process.memoryUsage().heapUsed;
        }
      },
    );
    gc();
    heapAt10000 = process.memoryUsage().heapUsed;
    const growthMb = (heapAt10000 - heapAt1000) / 1024 / 1024;
    long.monitor.dispose();
    await long.prober.close();

    const ratio = ratios[Math.floor(ratios.length / 2)];
    return {
      [`CPU of 20 projects × 5 checks over 10 virtual minutes, vs bare undici (target ≤ ${CPU_RATIO_TARGET})`]: Number(
        ratio.toFixed(2),
      ),
      'CPU ratio spread over the rounds (min–max)': `${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}`,
      'polls and requests per 10 virtual minutes': `${polls} polls, ${requests} requests`,
      'of which: the prober alone vs bare undici (ratio)': Number(median(proberRatios).toFixed(2)),
      'of which: scheduling and judgement per poll, answers canned (µs of CPU)': Number(median(cannedUs).toFixed(1)),
      'for scale: one bare undici request to the stand-ins (µs of CPU)': Number(
        ((bareTotalMs * 1000) / bareTotalRequests).toFixed(1),
      ),
      [`heap growth from 1,000 to 10,000 polls, MB (target < ${MEMORY_GROWTH_TARGET_MB})`]: Number(growthMb.toFixed(2)),
      'heap after 10,000 polls, MB': Number((heapAt10000 / 1024 / 1024).toFixed(1)),
      verdict: ratio <= CPU_RATIO_TARGET && growthMb < MEMORY_GROWTH_TARGET_MB ? 'within targets' : 'OVER TARGET',
    };
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
