// The album (container) for a title. The id the index recorded wins (a listing may lag behind a
// recent create); else an app-created album found by listing; else a new one, recorded at once.
// Creating is not idempotent, so it is guarded three ways: the app's albums are listed before the
// first create of a session and before retrying a create whose answer was lost; and across windows
// and the command line, a short lease around each create, after re-reading the index another
// window may have written (two windows pressing Sync Now at once made the same album twice).
import { knownAlbumId } from '../plan';
import { ContainerGoneError } from '../provider';
import { RunLeases } from '../runLease';
import type { UploadContext } from './context';

export class AlbumResolver {
  private readonly ids = new Map<string, string>();
  /** Whether this session listed the app's albums already. */
  private adopted = false;
  /** Titles whose create failed without an answer: the service may have made the album anyway. */
  private readonly unanswered = new Set<string>();

  constructor(
    private readonly ctx: UploadContext,
    private readonly leases?: RunLeases,
  ) {}

  /** Ids known for titles (from a plan), so the run does not look them up again. */
  remember(ids: ReadonlyMap<string, string>): void {
    for (const [title, id] of ids) this.ids.set(title, id);
  }

  /** Containers removed at the service: their titles are looked up (and made) again. */
  forgetGone(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    for (const [title, id] of this.ids) if (gone.has(id)) this.ids.delete(title);
    this.adopted = false;
  }

  idFor(title: string): string | undefined {
    const cached = this.ids.get(title);
    if (cached) return cached;
    const id = knownAlbumId(this.ctx.index, title, this.ctx.accountId, this.ctx.provider.id);
    if (id) this.ids.set(title, id);
    return id;
  }

  /**
   * The album's id, created when needed (with `firstItemId` as its first item where the service
   * cannot hold an empty album). `created` is true when this call made it.
   */
  async ensure(title: string, options: { firstItemId?: string; signal?: AbortSignal } = {}): Promise<{ id: string; created: boolean }> {
    const known = this.idFor(title);
    if (known) return { id: known, created: false };
    const held = this.leases ? await this.leases.acquire([RunLeases.key('album', this.ctx.provider.id, this.ctx.accountId, title)], { signal: options.signal, pollMs: 100 }) : undefined;
    try {
      // Another window may have created it while we waited (and saved before letting go): re-read.
      await this.ctx.index.refresh();
      const now = this.idFor(title);
      if (now) return { id: now, created: false };
      if (!this.adopted || this.unanswered.has(title)) {
        await this.adoptListed(options.signal);
        this.adopted = true;
        this.unanswered.delete(title);
        const listed = this.idFor(title);
        if (listed) return { id: listed, created: false };
      }
      let album;
      try {
        album = await this.ctx.provider.createContainer(title, { firstItemId: options.firstItemId, signal: options.signal });
      } catch (err) {
        this.unanswered.add(title);
        throw err;
      }
      await this.ctx.index.write((w) =>
        w.albums.upsert({ id: album.id, accountId: this.ctx.accountId, provider: this.ctx.provider.id, title: album.title || title, appCreated: true, itemCount: album.itemCount ?? 0, productUrl: album.url }),
      );
      // Saved before the lease goes, so the next window to take it sees this album.
      await this.ctx.index.flush();
      this.ids.set(title, album.id);
      this.ctx.log.info(`Created album “${title}” in ${this.ctx.provider.displayName}.`);
      return { id: album.id, created: true };
    } finally {
      held?.release();
    }
  }

  /**
   * The service says the album is gone (deleted in its web UI): it is dropped from the index (its
   * items stay), so the next `ensure` creates it again around the items being added.
   */
  async forget(title: string, id: string): Promise<void> {
    if (this.ids.get(title) === id) this.ids.delete(title);
    await this.ctx.index.write((w) => w.albums.remove(id));
    this.ctx.log.warn(`Album “${title}” no longer exists in ${this.ctx.provider.displayName} (deleted there?); Photo Sync creates it again for the items it adds now.`);
  }

  /** Runs `work` with the album's id; when the service says the album is gone, forgets it and runs `work` once more. */
  async retryIfGone<T>(title: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof ContainerGoneError)) throw err;
      await this.forget(title, err.containerId);
      return work();
    }
  }

  /** Takes a full listing of the service's containers (e.g. from the destination's check): no listing before the first create. */
  async adopt(listed: readonly { id: string; title: string; itemCount?: number; url?: string; writable: boolean }[]): Promise<void> {
    await this.record(listed.filter((c) => c.writable));
    this.adopted = true;
  }

  /** Records the app-created albums the service lists that the index does not know yet. */
  private async adoptListed(signal?: AbortSignal): Promise<void> {
    const found: { id: string; title: string; itemCount?: number; url?: string }[] = [];
    for await (const c of this.ctx.provider.listContainers(signal)) if (c.writable) found.push(c);
    await this.record(found);
  }

  private async record(found: readonly { id: string; title: string; itemCount?: number; url?: string }[]): Promise<void> {
    await this.ctx.index.write((w) => {
      for (const c of found) {
        if (!w.albums.get(c.id)) w.albums.upsert({ id: c.id, accountId: this.ctx.accountId, provider: this.ctx.provider.id, title: c.title, appCreated: true, itemCount: c.itemCount, productUrl: c.url });
      }
    });
  }
}
