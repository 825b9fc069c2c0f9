// A small, faithful fake of the parts of the `vscode` API that the adapters use, for tests under
// plain Node. Behaviour mirrors VS Code's (events fire synchronously, SecretStorage.onDidChange fires
// on store/delete, setContext is recorded). Extend it here when an adapter needs more — additively.
import { EventEmitter as NodeEmitter } from 'node:events';

export class EventEmitter<T> {
  private readonly listeners = new Set<(e: T) => unknown>();
  readonly event = (listener: (e: T) => unknown): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(data: T): void {
    for (const l of [...this.listeners]) l(data);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Disposable {
  constructor(private readonly fn: () => unknown = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: this.emitter.event,
  };
  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query: string, readonly fragment: string) {}
  static parse(value: string): Uri {
    const u = new URL(value);
    return new Uri(u.protocol.replace(/:$/, ''), u.host, decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''), u.hash.replace(/^#/, ''));
  }
  static file(fsPath: string): Uri {
    return new Uri('file', '', fsPath, '', '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, base.authority, [base.path.replace(/\/$/, ''), ...segments].join('/'), '', '');
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: Partial<{ scheme: string; authority: string; path: string; query: string; fragment: string }>): Uri {
    return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString(): string {
    const q = this.query ? `?${this.query}` : '';
    const f = this.fragment ? `#${this.fragment}` : '';
    return this.scheme === 'file' ? `file://${this.path}` : `${this.scheme}://${this.authority}${this.path}${q}${f}`;
  }
}

/** SecretStorage shared by several "windows": each window gets its own view firing onDidChange. */
export class SecretStore {
  private readonly data = new Map<string, string>();
  private readonly bus = new NodeEmitter();
  view() {
    const emitter = new EventEmitter<{ key: string }>();
    const relay = (key: string) => emitter.fire({ key });
    this.bus.on('change', relay);
    return {
      get: async (key: string) => this.data.get(key),
      store: async (key: string, value: string) => {
        this.data.set(key, value);
        this.bus.emit('change', key);
      },
      delete: async (key: string) => {
        if (this.data.delete(key)) this.bus.emit('change', key);
      },
      keys: async () => [...this.data.keys()],
      onDidChange: emitter.event,
      /** Test hook: every value stored, to assert no token leaked elsewhere. */
      dump: () => new Map(this.data),
    };
  }
}

export class Memento {
  private readonly data = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.data.has(key) ? this.data.get(key) : fallback) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, value);
  }
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  setKeysForSync(): void {}
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}
export enum UIKind {
  Desktop = 1,
  Web = 2,
}

export class ThemeIcon {
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class MarkdownString {
  constructor(public value = '') {}
  appendMarkdown(v: string): this {
    this.value += v;
    return this;
  }
  /** Plain text, escaped as VS Code escapes it. */
  appendText(v: string): this {
    this.value += v.replace(/[\\`*_{}[\]()#+\-.!<>]/g, '\\$&');
    return this;
  }
}
export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: unknown;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  resourceUri?: Uri;
  constructor(public label: string | { label: string }, public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

/** A status bar item that remembers what it shows. */
export class FakeStatusBarItem {
  name?: string;
  text = '';
  tooltip?: string | MarkdownString;
  command?: string | { command: string; title: string };
  visible = false;
  disposed = false;
  constructor(readonly id?: string, readonly alignment?: StatusBarAlignment, readonly priority?: number) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
    this.visible = false;
  }
}

/** Records what the code under test showed to the user. */
export interface UiLog {
  messages: { level: 'info' | 'warning' | 'error'; text: string; items: string[] }[];
  progress: { title?: string; reports: { message?: string; increment?: number }[]; cancel?: () => void }[];
  context: Map<string, unknown>;
  opened: string[];
  /** Prompts of showInputBox / showQuickPick / showOpenDialog, in order (titles or prompts). */
  inputs?: string[];
  /** Status bar items created, in order (their text/tooltip/visible as last set). */
  statusBarItems?: FakeStatusBarItem[];
  /** Texts passed to window.setStatusBarMessage, in order. */
  statusBarMessages?: string[];
}

/** A minimal `vscode.authentication` over registered providers, following VS Code's getSession rules (no access prompts). */
interface FakeAuthProvider {
  getSessions(scopes: readonly string[] | undefined, options: { account?: { id: string; label: string } }): Promise<readonly { id: string; account: { id: string; label: string } }[]>;
  createSession(scopes: readonly string[], options: { account?: { id: string; label: string } }): Promise<{ id: string; account: { id: string; label: string } }>;
  onDidChangeSessions(listener: (e: unknown) => unknown): { dispose(): unknown };
}

/** Builds a `typeof vscode`-shaped object with the parts above; cast at the call site. */
/**
 * vscode.l10n as VS Code runs it in English (no bundle loaded): the message with {0}… (positional)
 * or {name} (named) placeholders filled in, other braces left as they are.
 */
export const l10n = {
  t(message: string | { message: string; args?: unknown[] | Record<string, unknown> }, ...rest: unknown[]): string {
    const text = typeof message === 'string' ? message : message.message;
    const args: unknown[] | Record<string, unknown> =
      typeof message === 'string' ? (rest.length === 1 && rest[0] !== null && typeof rest[0] === 'object' && !Array.isArray(rest[0]) ? (rest[0] as Record<string, unknown>) : rest) : (message.args ?? []);
    return text.replace(/\{(\w+)\}/g, (match, key: string) => {
      const value = (args as Record<string, unknown>)[key];
      return value === undefined ? match : String(value);
    });
  },
  bundle: undefined,
  uri: undefined,
};

export function createVsCode(
  options: {
    secrets?: SecretStore;
    answers?: (string | undefined)[];
    uiKind?: UIKind;
    /** Called for each env.openExternal (e.g. a test acting as the browser on a consent page). */
    onOpenExternal?: (url: string) => unknown;
    /** showOpenDialog throws, as where no file dialog exists. */
    openDialogUnavailable?: boolean;
  } = {},
) {
  const ui: UiLog = { messages: [], progress: [], context: new Map(), opened: [], inputs: [] };
  const commandHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const authProviders = new Map<string, FakeAuthProvider>();
  const authChanged = new EventEmitter<{ provider: { id: string; label: string } }>();
  const answers = [...(options.answers ?? [])];
  const secrets = options.secrets ?? new SecretStore();
  const show = (level: 'info' | 'warning' | 'error') => async (text: string, ...items: unknown[]) => {
    const labels = items.filter((i): i is string => typeof i === 'string');
    ui.messages.push({ level, text, items: labels });
    return answers.length ? answers.shift() : undefined;
  };
  const vs = {
    EventEmitter,
    Disposable,
    CancellationTokenSource,
    Uri,
    ProgressLocation,
    StatusBarAlignment,
    TreeItemCollapsibleState,
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    TreeItem,
    UIKind,
    l10n,
    env: {
      uiKind: options.uiKind ?? UIKind.Desktop,
      appName: 'Fake Code',
      openExternal: async (uri: Uri) => {
        ui.opened.push(uri.toString());
        await options.onOpenExternal?.(uri.toString());
        return true;
      },
      asExternalUri: async (uri: Uri) => uri,
    },
    window: {
      showInformationMessage: show('info'),
      showWarningMessage: show('warning'),
      showErrorMessage: show('error'),
      createStatusBarItem: (id?: string, alignment?: StatusBarAlignment, priority?: number) => {
        const item = new FakeStatusBarItem(id, alignment, priority);
        (ui.statusBarItems ??= []).push(item);
        return item;
      },
      setStatusBarMessage: (text: string) => {
        (ui.statusBarMessages ??= []).push(text);
        return new Disposable(() => undefined);
      },
      withProgress: async <R>(opts: { title?: string }, task: (p: { report(v: { message?: string; increment?: number }): void }, t: CancellationTokenSource['token']) => Promise<R>) => {
        const entry = { title: opts.title, reports: [] as { message?: string; increment?: number }[] };
        ui.progress.push(entry);
        const cts = new CancellationTokenSource();
        Object.assign(entry, { cancel: () => cts.cancel() });
        return task({ report: (v) => entry.reports.push(v) }, cts.token);
      },
      showInputBox: async (opts: { title?: string; prompt?: string; validateInput?: (v: string) => unknown } = {}) => {
        ui.inputs?.push(opts.title ?? opts.prompt ?? '');
        const answer = answers.length ? answers.shift() : undefined;
        if (answer !== undefined && opts.validateInput && (await opts.validateInput(answer))) throw new Error(`Fake input "${answer}" rejected by validateInput`);
        return answer;
      },
      showQuickPick: async <T extends string | { label: string }>(items: readonly T[] | Promise<readonly T[]>, opts: { title?: string; placeHolder?: string } = {}) => {
        ui.inputs?.push(opts.title ?? opts.placeHolder ?? '');
        const answer = answers.length ? answers.shift() : undefined;
        return (await items).find((i) => (typeof i === 'string' ? i : i.label) === answer);
      },
      showOpenDialog: async (opts: { title?: string } = {}) => {
        if (options.openDialogUnavailable) throw new Error('No file dialog here');
        ui.inputs?.push(opts.title ?? 'Open');
        const answer = answers.length ? answers.shift() : undefined;
        return answer === undefined ? undefined : [Uri.file(answer)];
      },
    },
    commands: {
      executeCommand: async (command: string, ...args: unknown[]) => {
        if (command === 'setContext') ui.context.set(String(args[0]), args[1]);
        return commandHandlers.get(command)?.(...args);
      },
      registerCommand: (command: string, handler: (...args: unknown[]) => unknown) => {
        commandHandlers.set(command, handler);
        return new Disposable(() => commandHandlers.delete(command));
      },
    },
    authentication: {
      onDidChangeSessions: authChanged.event,
      registerAuthenticationProvider: (id: string, label: string, provider: FakeAuthProvider) => {
        if (authProviders.has(id)) throw new Error(`An authentication provider with id '${id}' is already registered.`);
        authProviders.set(id, provider);
        const relay = provider.onDidChangeSessions(() => authChanged.fire({ provider: { id, label } }));
        return new Disposable(() => {
          relay.dispose();
          authProviders.delete(id);
        });
      },
      getSession: async (
        id: string,
        scopes: readonly string[],
        opts: { createIfNone?: unknown; forceNewSession?: unknown; silent?: boolean; clearSessionPreference?: boolean; account?: { id: string; label: string } } = {},
      ) => {
        const provider = authProviders.get(id);
        if (!provider) throw new Error(`No authentication provider '${id}' is registered.`);
        const sessions = await provider.getSessions(scopes, { account: opts.account });
        if (!opts.forceNewSession && sessions.length) return sessions[0];
        if (opts.createIfNone || opts.forceNewSession) return provider.createSession(scopes, { account: opts.account });
        return undefined;
      },
    },
  };
  /** `answers` stays live: a test may push answers while the code under test runs. */
  return { vs, ui, secrets: secrets.view(), secretStore: secrets, answers };
}
