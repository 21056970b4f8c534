// The lifecycle every long-lived object follows, as VS Code's own extensions do it: what an object creates and
// must release is registered once, where it is created; dispose() releases it all, once, newest first; whatever is
// registered after that is released at once. Pure TypeScript, so src/node's classes use it as well as src/vscode's.

export interface DisposableLike {
  dispose(): unknown;
}

/** Disposes each, newest first; one that throws does not keep the others alive. */
export function disposeAll(disposables: Iterable<DisposableLike>): void {
  const errors: unknown[] = [];
  for (const disposable of [...disposables].reverse()) {
    try {
      disposable.dispose();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose');
}

export abstract class Disposable implements DisposableLike {
  // ES private fields: a subclass may use any name of its own.
  #disposed = false;
  readonly #registered: DisposableLike[] = [];

  /** Releases everything registered; calling it again does nothing. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.onDispose();
    disposeAll(this.#registered.splice(0));
  }

  protected get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Keeps `value` until this object is disposed; disposes it at once when that has already happened. */
  protected _register<T extends DisposableLike>(value: T): T {
    if (this.#disposed) value.dispose();
    else this.#registered.push(value);
    return value;
  }

  /** What a subclass releases itself, before the registered disposables (which may include what it uses). */
  protected onDispose(): void {
    // nothing by default
  }
}
