// The items under an album row in the sidebar (from the index), each with the album item context menu:
// Open in Google Photos, Remove from Album, Delete from Google Photos… (which explains it cannot).
import type * as vscode from 'vscode';
import type { IndexReader } from '../index/api';
import type { AlbumItemArg } from './commands/albumItem';
import type { TreeNode } from './tree';

export type AlbumItemVs = Pick<typeof vscode, 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'Uri'>;

/** Most items listed under one album; the rest are summarised. */
const MAX_ITEMS = 500;

export function albumItemNodes(vs: AlbumItemVs, index: IndexReader, album: { id: string; title: string }): TreeNode[] {
  const page = index.mediaItems.inAlbum(album.id, { limit: MAX_ITEMS });
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
        if (item.productUrl) tip.appendMarkdown(`\n\n[Open in Google Photos](${item.productUrl})`);
        row.tooltip = tip;
        if (local) {
          row.resourceUri = vs.Uri.file(local);
          row.command = { command: 'vscode.open', title: 'Open', arguments: [vs.Uri.file(local)] };
        }
        return row;
      },
    };
    return node;
  });
  if (page.total > page.items.length) rows.push(info(vs, `photoSync.albumItems.more:${album.id}`, `${(page.total - page.items.length).toLocaleString('en-US')} more items`));
  if (rows.length === 0) rows.push(info(vs, `photoSync.albumItems.none:${album.id}`, 'No items known yet — Download Album lists them'));
  return rows;
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
