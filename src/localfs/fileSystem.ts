// The few file-system calls whose failure changes what the building blocks do (hard links refused →
// exclusive rename; symlinks refused → hard link). Tests replace them to reach those paths on a
// machine whose file systems all allow links; everything else uses node:fs directly.
import fs from 'node:fs';

export interface LocalFileSystem {
  open(file: string, flags: string): Promise<fs.promises.FileHandle>;
  link(existingPath: string, newPath: string): Promise<void>;
  symlink(target: string, linkPath: string): Promise<void>;
}

export const nodeFileSystem: LocalFileSystem = {
  open: (file, flags) => fs.promises.open(file, flags),
  link: (existingPath, newPath) => fs.promises.link(existingPath, newPath),
  // 'file': on Windows a symlink must say what it points at.
  symlink: (target, linkPath) => fs.promises.symlink(target, linkPath, 'file'),
};
