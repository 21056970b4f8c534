// Parses runbooks for the extension: a large one in the model worker (dist/modelWorker.js, a worker_threads Worker)
// so typing never waits for it, a small one in place, where handing it to a thread would cost more than parsing it
// (see `npm run bench`). The worker starts on first use and is replaced after a failure; should it fail to start,
// parsing happens in place, slower but never lost. The code that parses in place (markdown-it, the model, the
// checkers: a third of the extension) is loaded on the first parse, not at activation.
import { Worker } from 'node:worker_threads';
import type { Runbook } from '../../core/model/types';
import type { Problem } from '../../core/check/checkRunbook';
import { Disposable } from '../../core/lifecycle/disposable';
import { loadOnce } from '../../core/lifecycle/loadOnce';
import type { ParseReply, ParseRequest } from './parseMessages';

/**
 * Texts at least this long (in UTF-16 code units) are parsed in the worker. Parsing and checking in place costs about
 * 0.17 ms of CPU per KiB here (the seed runbook: 25 KiB, 4 ms), so from about 96 KiB it would hold the main thread for
 * more than a frame (16 ms); the worker blocks it for about a tenth of that, to hand the text over and take the model
 * back, but answers a little later. Below this, in place is faster and keeps the lenses exact. See workerBench.ts.
 */
export const WORKER_THRESHOLD = 96 * 1024;

export interface ParsedRunbook {
  runbook: Runbook;
  /** What `check` reports, found with the model. */
  problems: Problem[];
  /** Where it was parsed. */
  where: 'worker' | 'in place';
}

interface Pending {
  resolve: (parsed: ParsedRunbook) => void;
  reject: (error: unknown) => void;
  text: string;
}

export class RunbookParser extends Disposable {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private workerBroken = false;
  private readonly loadModelCode = loadOnce(() => import('./parseAndCheck'));

  constructor(
    private readonly workerPath: string,
    private readonly log: (message: string) => void = () => undefined,
    private readonly threshold = WORKER_THRESHOLD,
  ) {
    super();
  }

  /** Whether a text of this length is parsed off the main thread. */
  isLarge(length: number): boolean {
    return length >= this.threshold && !this.workerBroken;
  }

  /** The model and problems of `text`: from the worker when the text is large, else computed in place. */
  async parse(text: string): Promise<ParsedRunbook> {
    if (this.isDisposed || !this.isLarge(text.length)) return this.inPlace(text);
    const worker = this.ensureWorker();
    if (!worker) return this.inPlace(text);
    const id = this.nextId++;
    return new Promise<ParsedRunbook>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, text });
      // Kept alive while it owes an answer; an idle worker never keeps a process (a test, the CLI) from exiting.
      worker.ref();
      const request: ParseRequest = { id, text };
      worker.postMessage(request);
    });
  }

  /** The model alone, parsed in place: what the lenses draw from while the runbook is typed. */
  async parseModel(text: string): Promise<Runbook> {
    return (await this.loadModelCode()).parseRunbook(text);
  }

  /** The problems of a model `parseModel` built. */
  async check(runbook: Runbook, text: string): Promise<Problem[]> {
    return (await this.loadModelCode()).checkStandard(runbook, text);
  }

  private async inPlace(text: string): Promise<ParsedRunbook> {
    return { ...(await this.loadModelCode()).parseAndCheck(text), where: 'in place' };
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(this.workerPath);
      worker.unref();
      worker.on('message', (reply: ParseReply) => this.settle(reply));
      worker.on('error', (error) => this.fail(worker, `The model worker failed: ${error.message}`));
      worker.on('exit', (code) => {
        if (!this.isDisposed) this.fail(worker, `The model worker stopped (exit code ${code})`);
      });
      this.worker = worker;
      return worker;
    } catch (error) {
      this.workerBroken = true;
      this.log(`The model worker could not start (${(error as Error).message}); large runbooks are parsed in place.`);
      return undefined;
    }
  }

  private settle(reply: ParseReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in reply) {
      this.log(`The model worker could not parse a runbook (${reply.error}); parsed in place instead.`);
      this.settleInPlace(pending);
      return;
    }
    pending.resolve({ runbook: reply.runbook, problems: reply.problems, where: 'worker' });
  }

  /** A worker that errs or exits is dropped; what it was asked is parsed in place, and the next large text starts a new one. */
  private fail(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.log(message);
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) this.settleInPlace(p);
  }

  private settleInPlace(pending: Pending): void {
    this.inPlace(pending.text).then(pending.resolve, pending.reject);
  }

  protected override onDispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) this.settleInPlace(p);
  }
}
