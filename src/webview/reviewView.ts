// The pre-upload review: every file of the plan with what will happen to it, counts per action
// and the request cost against today's quota, filter and search, "Exclude" on the selection and
// "Upload These" for the new and changed files shown.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js' with { 'resolution-mode': 'import' };
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js' with { 'resolution-mode': 'import' };
import * as l10n from '@vscode/l10n';
import { debounce, el, formatBytes, formatCount, setText, setTitle } from './dom';
import type { Messenger } from './messenger';
import { REVIEW_ACTIONS, globForFile, globForFolder, parentDir, type ExcludeRule, type HostToWebview, type ReviewAction, type WebviewToHost } from './protocol';
import { ReviewModel } from './reviewModel';
import { VirtualGrid } from './virtualGrid';
import { saveState, type VsCodeApi } from './vscodeApi';

type WebviewMessenger = Messenger<WebviewToHost, HostToWebview>;

const ROW_HEIGHT = 24;

/** An action's name in the review (translated: called once the page configured l10n). */
export function actionLabel(action: ReviewAction): string {
  switch (action) {
    case 'new':
      return l10n.t('New');
    case 'changed':
      return l10n.t('Changed');
    case 'uploaded':
      return l10n.t('Already uploaded');
    case 'duplicate':
      return l10n.t('Duplicate');
    case 'excluded':
      return l10n.t('Excluded');
    case 'unsupported':
      return l10n.t('Unsupported');
    case 'too-large':
      return l10n.t('Too large');
    case 'damaged':
      return l10n.t('Damaged');
  }
}

export class ReviewView {
  private readonly model = new ReviewModel();
  private readonly list: VirtualGrid;
  private readonly chips = new Map<ReviewAction | 'all', HTMLButtonElement>();
  private readonly quota = el('div', 'quota');
  private readonly status = el('div', 'status');
  private readonly notice = el('div', 'notice');
  private readonly search: VscodeTextfield;
  private readonly excludeButton: VscodeButton;
  private readonly excludeFolderButton: VscodeButton;
  private readonly uploadButton: VscodeButton;
  private readonly datesButton: VscodeButton;
  private readonly selected = new Set<string>();
  private focus = 0;
  private anchor = 0;
  private busy = false;
  /** A saved scroll position waiting for enough rows to arrive (after the page was reloaded). */
  private restoreScrollTop: number | undefined;

  constructor(root: HTMLElement, title: string, private readonly messenger: WebviewMessenger, private readonly api: VsCodeApi) {
    root.replaceChildren();
    root.classList.add('review');
    const header = el('header', 'toolbar');
    const filters = el('div', 'toolbar filters');
    const chipGroup = el('div', 'chips');
    chipGroup.setAttribute('role', 'radiogroup');
    chipGroup.setAttribute('aria-label', l10n.t('Show files by action'));
    for (const action of ['all', ...REVIEW_ACTIONS] as const) {
      const chip = el('button', `chip action-${action}`);
      chip.type = 'button';
      chip.setAttribute('role', 'radio');
      chip.addEventListener('click', () => this.chooseAction(action));
      this.chips.set(action, chip);
      chipGroup.append(chip);
    }
    this.search = el('vscode-textfield', 'search');
    this.search.placeholder = l10n.t('Search files, albums, reasons');
    this.search.setAttribute('aria-label', l10n.t('Search'));
    this.search.addEventListener('input', debounce(() => this.applyFilter(), 150));
    this.excludeButton = this.button('exclude-file', l10n.t('Exclude'), true, () => this.exclude('file'));
    this.excludeFolderButton = this.button('exclude-folder', l10n.t('Exclude Folder'), true, () => this.exclude('folder'));
    this.uploadButton = this.button('upload', l10n.t('Upload These'), false, () => void this.upload());
    this.datesButton = this.button('check-dates', l10n.t('Check Capture Dates…'), true, () => this.checkDates());
    this.datesButton.hidden = true;
    const actions = el('div', 'actions');
    actions.append(this.datesButton, this.excludeButton, this.excludeFolderButton, this.uploadButton);
    header.append(el('h1', 'title', title), actions);
    filters.append(chipGroup, this.search);
    this.quota.classList.add('summary');
    const columns = el('div', 'row columns');
    for (const [name, label] of [['action', l10n.t('Action')], ['file', l10n.t('File')], ['album', l10n.t('Album')], ['why', l10n.t('Why')], ['size', l10n.t('Size')]]) columns.append(el('span', `col-${name}`, label));
    this.notice.hidden = true;
    root.append(header, this.quota, filters, this.notice, columns);

    this.list = new VirtualGrid(root, {
      rowHeight: ROW_HEIGHT,
      columnsFor: () => 1,
      overscanRows: 8,
      createCell: () => {
        const row = el('div', 'row');
        row.setAttribute('role', 'option');
        for (const c of ['action', 'file', 'album', 'why', 'size']) row.append(el('span', `col-${c}`));
        return row;
      },
      renderCell: (row, position) => this.renderRow(row, position),
      onScroll: () => this.saveSoon(),
    });
    const scroller = this.list.scroller;
    scroller.addEventListener('wheel', () => (this.restoreScrollTop = undefined), { passive: true });
    scroller.classList.add('review-list');
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'listbox');
    scroller.setAttribute('aria-multiselectable', 'true');
    scroller.setAttribute('aria-label', l10n.t('Files of the upload'));
    scroller.addEventListener('click', (e) => this.onClick(e));
    scroller.addEventListener('keydown', (e) => this.onKey(e));
    root.append(this.status);

    const saved = api.getState()?.review;
    if (saved) {
      this.search.value = saved.search;
      this.model.setFilter(saved.actions, saved.search);
      this.restoreScrollTop = saved.scrollTop || undefined;
    }
    messenger.onNotification('reviewPlan', (start) => {
      if (this.model.beginPlan(start) === 'shown') this.refresh();
      else this.updateStatus();
    });
    messenger.onNotification('reviewRows', (chunk) => {
      const anchor = this.scrollAnchor();
      const outcome = this.model.addChunk(chunk);
      if (outcome === 'swapped') this.refresh(anchor);
      else if (outcome === 'appended') this.refresh();
      else this.updateStatus();
    });
    messenger.onNotification('reviewDates', (chunk) => {
      if (!this.model.addDates(chunk)) return;
      if (this.search.value && chunk.flags.length) this.refresh();
      else this.list.invalidate();
      this.updateStatus();
    });
    messenger.onNotification('notice', ({ message, severity }) => this.showNotice(message, severity));
    this.updateChips();
  }

  private button(className: string, label: string, secondary: boolean, onClick: () => void): VscodeButton {
    const button = el('vscode-button', className);
    button.textContent = label;
    button.secondary = secondary;
    button.addEventListener('click', onClick);
    return button;
  }

  /** Re-renders after the rows or the filter changed, keeping the scroll position. */
  private refresh(anchor?: { key: string; offset: number }): void {
    const keep = this.list.scroller.scrollTop;
    this.list.setCount(this.model.view.length);
    if (anchor) {
      const position = this.model.positionOf(anchor.key);
      this.list.scroller.scrollTop = position >= 0 ? position * ROW_HEIGHT + anchor.offset : keep;
    } else if (this.restoreScrollTop !== undefined) {
      // Rows stream in: scroll back to where the user was once the list is that long.
      const reachable = this.model.view.length * ROW_HEIGHT - this.list.scroller.clientHeight;
      if (reachable >= this.restoreScrollTop || this.model.complete) {
        this.list.scroller.scrollTop = this.restoreScrollTop;
        this.restoreScrollTop = undefined;
      }
    }
    this.focus = Math.min(this.focus, Math.max(0, this.model.view.length - 1));
    if (this.selected.size) {
      const shown = new Set(this.model.view.map((i) => this.model.keyOf(this.model.rows[i])));
      for (const key of this.selected) if (!shown.has(key)) this.selected.delete(key);
    }
    this.list.invalidate();
    this.updateChips();
    this.updateStatus();
  }

  /** The first visible row and how far it is scrolled, to find it again in a new plan. */
  private scrollAnchor(): { key: string; offset: number } | undefined {
    const top = this.list.scroller.scrollTop;
    const row = this.model.at(Math.floor(top / ROW_HEIGHT));
    return row && { key: this.model.keyOf(row), offset: top % ROW_HEIGHT };
  }

  private renderRow(row: HTMLElement, position: number): void {
    const r = this.model.at(position);
    const [action, file, album, why, size] = Array.from(row.children) as HTMLElement[];
    row.dataset.position = String(position);
    row.id = `row-${position}`;
    if (!r) return;
    const key = this.model.keyOf(r);
    row.className = `row action-${r.action}`;
    row.classList.toggle('selected', this.selected.has(key));
    row.classList.toggle('focused', position === this.focus);
    row.setAttribute('aria-selected', String(this.selected.has(key)));
    const date = this.model.dateFlagOf(r);
    setText(action, actionLabel(r.action));
    // The "date?" marker is drawn by CSS (.date-flag::after), so the cell's text stays the action.
    action.classList.toggle('date-flag', !!date);
    setTitle(action, date && l10n.t('Capture date: {0}', date));
    setText(file, r.relPath);
    setText(album, r.album ?? '');
    setText(why, [r.reason, date && l10n.t('date? {0}', date)].filter(Boolean).join(' · '));
    setText(size, formatBytes(r.size));
    setTitle(row, [r.relPath, r.reason, date && l10n.t('capture date: {0}', date)].filter(Boolean).join(' — '));
  }

  private chooseAction(action: ReviewAction | 'all'): void {
    const only = action === 'all' || (this.model.actions.size === 1 && this.model.actions.has(action)) ? [] : [action];
    this.model.setFilter(only, this.search.value);
    this.restoreScrollTop = undefined;
    this.list.scroller.scrollTop = 0;
    this.focus = 0;
    this.refresh();
    this.saveSoon();
  }

  private applyFilter(): void {
    this.model.setFilter(this.model.actions, this.search.value);
    this.restoreScrollTop = undefined;
    this.list.scroller.scrollTop = 0;
    this.focus = 0;
    this.refresh();
    this.saveSoon();
  }

  private updateChips(): void {
    const counts = this.model.summary?.counts;
    const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
    for (const [action, chip] of this.chips) {
      const count = action === 'all' ? total : (counts?.[action] ?? 0);
      const active = action === 'all' ? this.model.actions.size === 0 : this.model.actions.has(action);
      setText(chip, `${action === 'all' ? l10n.t('All') : actionLabel(action)} ${formatCount(count)}`);
      chip.setAttribute('aria-checked', String(active));
      chip.hidden = action !== 'all' && count === 0 && !active;
    }
    const s = this.model.summary;
    if (s) {
      const left = Math.max(0, s.quotaPerDay - s.quotaUsedToday);
      const over = s.requests > left;
      const args = [formatCount(s.requests), formatCount(left), formatCount(s.quotaPerDay), formatBytes(s.bytesToUpload)];
      setText(
        this.quota,
        over
          ? l10n.t('{0} requests · {1} of {2} left today — more than today’s quota allows: the rest continues when it resets · {3} to upload', ...args)
          : l10n.t('{0} requests · {1} of {2} left today · {3} to upload', ...args),
      );
      this.quota.classList.toggle('over', !!over);
    }
  }

  private updateStatus(): void {
    const shown = this.model.view.length;
    const uploadable = this.model.countUploadableInView();
    const parts = [l10n.t('{0} of {1} files shown', formatCount(shown), formatCount(this.model.expected))];
    if (this.selected.size) parts.push(l10n.t('{0} selected', formatCount(this.selected.size)));
    if (!this.model.complete) parts.push(l10n.t('loading {0} of {1}…', formatCount(this.model.rows.length), formatCount(this.model.expected)));
    const progress = this.model.incomingProgress;
    if (progress) parts.push(l10n.t('updating {0} of {1}…', formatCount(progress.received), formatCount(progress.total)));
    const flagged = this.model.dateFlags.size;
    if (flagged) parts.push(l10n.t('{0} with a questionable capture date (date?)', formatCount(flagged)));
    if (this.model.datesChecking) parts.push(l10n.t('checking capture dates…'));
    setText(this.status, parts.join(' · '));
    this.datesButton.hidden = flagged === 0;
    this.datesButton.textContent = l10n.t('Check Capture Dates… ({0})', formatCount(flagged));
    this.datesButton.title = l10n.t('Google Photos cannot change a date after upload: check and fix these files’ capture dates first');
    this.uploadButton.textContent = uploadable ? l10n.t('Upload These {0}', formatCount(uploadable)) : l10n.t('Upload These');
    this.uploadButton.disabled = this.busy || !this.model.complete || uploadable === 0;
    this.uploadButton.title = uploadable === 1 ? l10n.t('Upload the 1 new or changed file shown') : l10n.t('Upload the {0} new and changed files shown', formatCount(uploadable));
    const targets = this.targets();
    this.excludeButton.disabled = this.busy || targets.length === 0;
    this.excludeFolderButton.disabled = this.busy || targets.length === 0 || targets.some((r) => !parentDir(r.relPath));
  }

  /** The selection, or the focused row when nothing is selected. */
  private targets(): { folder: number; relPath: string }[] {
    if (this.selected.size) {
      return [...this.selected].map((key) => {
        const [folder, relPath] = key.split('\0');
        return { folder: Number(folder), relPath };
      });
    }
    const row = this.model.at(this.focus);
    return row && this.list.itemCount ? [row] : [];
  }

  private exclude(what: 'file' | 'folder'): void {
    const rules = new Map<string, ExcludeRule>();
    for (const t of this.targets()) {
      const glob = what === 'file' ? globForFile(t.relPath) : globForFolder(parentDir(t.relPath));
      const folder = this.model.folders[t.folder];
      if (glob && folder !== undefined) rules.set(`${folder}\0${glob}`, { folder, glob });
    }
    if (rules.size === 0) return;
    void this.whileBusy(async () => {
      await this.messenger.request('exclude', { rules: [...rules.values()] });
      this.selected.clear();
    });
  }

  /** The folder of the focused flagged row, else the folder with the most flagged files. */
  private checkDates(): void {
    const row = this.model.at(this.focus);
    const folder = row && this.model.dateFlagOf(row) ? row.folder : this.model.flaggedFolders()[0];
    if (folder !== undefined) void this.messenger.notify('checkDates', { folder });
  }

  private async upload(): Promise<void> {
    const files = this.model.uploadableInView();
    await this.whileBusy(async () => {
      const { accepted } = await this.messenger.request('upload', { version: this.model.version, files });
      this.showNotice(accepted === 1 ? l10n.t('Uploading 1 file.') : l10n.t('Uploading {0} files.', formatCount(accepted)), 'info');
    });
  }

  private async whileBusy(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.updateStatus();
    try {
      await work();
    } catch (e) {
      this.showNotice(e instanceof Error ? e.message : String(e), 'error');
    } finally {
      this.busy = false;
      this.updateStatus();
    }
  }

  private onClick(e: MouseEvent): void {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
    if (!row?.dataset.position) return;
    const position = Number(row.dataset.position);
    if (e.shiftKey) this.selectRange(this.anchor, position);
    else if (e.ctrlKey || e.metaKey) this.toggle(position);
    else this.selectOnly(position);
    this.moveFocus(position, !e.shiftKey);
  }

  private onKey(e: KeyboardEvent): void {
    const page = this.list.rowsPerPage;
    const last = this.model.view.length - 1;
    const moves: Record<string, number> = { ArrowDown: this.focus + 1, ArrowUp: this.focus - 1, PageDown: this.focus + page, PageUp: this.focus - page, Home: 0, End: last };
    if (e.key in moves) {
      e.preventDefault();
      const target = Math.max(0, Math.min(last, moves[e.key]));
      if (e.shiftKey) this.selectRange(this.anchor, target);
      else this.selectOnly(target);
      this.moveFocus(target, !e.shiftKey);
    } else if (e.key === ' ') {
      e.preventDefault();
      this.toggle(this.focus);
    } else if (e.key === 'a' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      for (const i of this.model.view) this.selected.add(this.model.keyOf(this.model.rows[i]));
      this.list.invalidate();
      this.updateStatus();
    } else if (e.key === 'Delete') {
      e.preventDefault();
      this.exclude('file');
    }
  }

  private selectOnly(position: number): void {
    this.selected.clear();
    this.toggle(position);
  }

  private selectRange(from: number, to: number): void {
    this.selected.clear();
    for (let p = Math.min(from, to); p <= Math.max(from, to); p++) {
      const row = this.model.at(p);
      if (row) this.selected.add(this.model.keyOf(row));
    }
    this.list.invalidate();
    this.updateStatus();
  }

  private toggle(position: number): void {
    const row = this.model.at(position);
    if (!row) return;
    const key = this.model.keyOf(row);
    if (!this.selected.delete(key)) this.selected.add(key);
    this.list.invalidate();
    this.updateStatus();
  }

  private moveFocus(position: number, setAnchor: boolean): void {
    this.focus = position;
    if (setAnchor) this.anchor = position;
    this.list.scrollToIndex(position);
    this.list.invalidate();
    this.list.scroller.setAttribute('aria-activedescendant', `row-${position}`);
  }

  private showNotice(message: string, severity: 'info' | 'error'): void {
    this.notice.textContent = message;
    this.notice.className = `notice ${severity}`;
    this.notice.hidden = false;
  }

  private readonly saveSoon = debounce(() => {
    saveState(this.api, { review: { scrollTop: this.list.scroller.scrollTop, actions: [...this.model.actions], search: this.search.value ?? '' } });
  }, 200);
}
