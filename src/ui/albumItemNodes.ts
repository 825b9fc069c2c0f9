// The items under an album row in the sidebar (from the index), each with the album item context menu:
// Open in Google Photos, Remove from Album, Delete from Google Photos… (which explains it cannot).
import type * as vscode from 'vscode';
import type { IndexReader } from '../index/api';
import type { AlbumItemArg } from './commands/albumItem';
import type { TreeNode } from './tree';
import { Paging } from './paging';

export type AlbumItemVs = Pick<typeof vscode, 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'Uri' | 'l10n'>;

/** Items listed under one album, a page at a time ("Load more…"). */
export function albumItemNodes(vs: AlbumItemVs, index: IndexReader, album: { id: string; title: string }, paging = new Paging()): TreeNode[] {
  const parentId = `photoSync.album:${album.id}`;
  const page = index.mediaItems.inAlbum(album.id, { limit: Math.min(1000, paging.limit(parentId)) });
  const rows: TreeNode[] = page.items.map((item) => {
    const id = `photoSync.albumItem:${album.id}:${item.id}`;
    const local = index.downloads.byMediaItem(item.id).find((d) => d.state === 'downloaded')?.localPath ?? index.localFiles.bySha256(item.sha256 ?? '\0')[0]?.path;
    const node: TreeNode & AlbumItemArg = {
      id,
      albumId: album.id,
      albumTitle: album.title,
      mediaItemId: item.id,
      filename: item.filename,
      productUrl: item.productUrl,
      toTreeItem() {
        const row = new vs.TreeItem(item.filename || item.id, vs.TreeItemCollapsibleState.None);
        row.id = id;
        row.description = item.creationTime?.slice(0, 10) ?? '';
        row.iconPath = new vs.ThemeIcon(item.mimeType.startsWith('video/') ? 'device-camera-video' : 'file-media');
        row.contextValue = 'photoSync.albumItem';
        const tip = new vs.MarkdownString(`**${escapeMd(item.filename)}**${item.creationTime ? `\n\nTaken ${item.creationTime.slice(0, 10)}` : ''}${local ? `\n\nOn this computer: ${escapeMd(local)}` : ''}`);
        // The copy on this computer as a thumbnail in the hover (no request, no token).
        if (local && item.mimeType.startsWith('image/')) tip.appendMarkdown(`\n\n![${escapeMd(item.filename)}](${vs.Uri.file(local).toString()}|width=160)`);
        if (item.productUrl) tip.appendMarkdown(`\n\n[Open in Google Photos](${item.productUrl})`);
        row.tooltip = tip;
        if (local) {
          row.resourceUri = vs.Uri.file(local);
          row.command = { command: 'vscode.open', title: vs.l10n.t('Open'), arguments: [vs.Uri.file(local)] };
        }
        return row;
      },
    };
    return node;
  });
  return paging.page(vs, parentId, page.total, () => rows, info(vs, `photoSync.albumItems.none:${album.id}`, vs.l10n.t('No items known yet — Download Album lists them')));
}

function info(vs: AlbumItemVs, id: string, label: string): TreeNode {
  return {
    id,
    toTreeItem() {
      const row = new vs.TreeItem(label, vs.TreeItemCollapsibleState.None);
      row.id = id;
      row.iconPath = new vs.ThemeIcon('info');
      return row;
    },
  };
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
