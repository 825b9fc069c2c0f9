import type { DriveStateFile } from './control';

/** What the person changes in Drive's web UI (`POST {control}/drive/files/<id>`). */
export interface WebUiChange {
  name?: string;
  /** Move into this folder ("root" = My Drive). */
  parent?: string;
  trashed?: boolean;
  starred?: boolean;
}

/** Typed client for the Drive part of the control API: acts as the user in Drive's web UI. */
export class DriveControl {
  constructor(private readonly controlUrl: string) {}

  private async call<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Emulator control ${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** Rename, move, trash/untrash or star a file or folder. */
  async change(fileId: string, change: WebUiChange): Promise<DriveStateFile> {
    return (await this.call<{ file: DriveStateFile }>('POST', `/drive/files/${encodeURIComponent(fileId)}`, change)).file;
  }

  /** Delete forever (skipping the trash), with everything inside a folder; returns the ids removed. */
  async delete(fileId: string): Promise<string[]> {
    return (await this.call<{ deleted: string[] }>('DELETE', `/drive/files/${encodeURIComponent(fileId)}`)).deleted;
  }

  /** Upload a file or make a folder in the web UI: owned by the user, created by no app. */
  async createAsUser(file: { name: string; mimeType?: string; parent?: string; content?: Uint8Array; account?: string }): Promise<DriveStateFile> {
    const body = { name: file.name, mimeType: file.mimeType, parent: file.parent, account: file.account, contentBase64: file.content ? Buffer.from(file.content).toString('base64') : undefined };
    return (await this.call<{ file: DriveStateFile }>('POST', '/drive/files', body)).file;
  }
}
