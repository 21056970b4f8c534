// A service made on its first use, from code loaded then: the SQL runner, say, whose code (the judge, the catalog,
// the results) is a bundle of its own in dist/lazy. Activation neither compiles that code nor builds the service;
// the first command that needs it waits for both, once.
import { Disposable, type DisposableLike } from './disposable';
import { loadOnce } from './loadOnce';

export class LazyService<T> extends Disposable {
  private instance: T | undefined;
  private readonly made: () => Promise<T>;

  /** `make` loads the code (an import()) and builds the service; `dispose` releases it, when it was made. */
  constructor(
    private readonly make: () => Promise<T>,
    private readonly release: (service: T) => void = (service) => (service as Partial<DisposableLike>).dispose?.(),
  ) {
    super();
    this.made = loadOnce(() =>
      this.make().then((service) => {
        if (this.isDisposed) {
          this.release(service);
          throw new Error('The extension is shutting down');
        }
        this.instance = service;
        return service;
      }),
    );
  }

  /** The service, made now if it was not yet. A failed load is not kept: the next use tries again. */
  get(): Promise<T> {
    if (this.isDisposed) return Promise.reject(new Error('The extension is shutting down'));
    return this.made();
  }

  /** The service if some use has made it, without making it (for what applies only to a made one). */
  get ifMade(): T | undefined {
    return this.instance;
  }

  protected override onDispose(): void {
    if (this.instance !== undefined) this.release(this.instance);
    this.instance = undefined;
  }
}
