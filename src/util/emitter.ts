// A minimal event emitter with VS Code's EventEmitter shape (`event`, `fire`, `dispose`), for code
// that runs outside VS Code (the command line gives it to the sign-in provider).
export interface Subscription {
  dispose(): void;
}

export class Emitter<T> {
  private readonly listeners = new Set<(e: T) => unknown>();

  readonly event = (listener: (e: T) => unknown): Subscription => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
