import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files.js';

/**
 * The archive keeps the original bytes of every ingested file, and of the documents extracted
 * from e-mails, under their SHA-256 (`.nv/archive/ab/abcdef….pdf`). A file is stored before
 * anything parses it; a name from outside (an attachment's) never becomes a path.
 */
export class Archive {
  constructor(private readonly root: string) {}

  pathOf(sha256: string, extension = ''): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    const ext = /^[a-z0-9]{1,5}$/.test(extension) ? `.${extension}` : '';
    return join(this.root, sha256.slice(0, 2), sha256 + ext);
  }

  private readonly folders = new Set<string>();

  /**
   * Stores the bytes once (a second store of the same bytes changes nothing); returns the path.
   * An original is flushed to disk before anything parses it; a document extracted from an
   * archived e-mail (`derived`) is not, since the e-mail holds it already.
   */
  store(sha256: string, bytes: Uint8Array, extension = '', derived = false): string {
    const path = this.pathOf(sha256, extension);
    if (!existsSync(path)) {
      const folder = join(path, '..');
      if (!this.folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        this.folders.add(folder);
      }
      writeFileAtomic(path, bytes, !derived);
    }
    return path;
  }
}

/** The extension stored with a file of this kind (for the clerk who opens it). */
export function extensionOf(kind: string): string {
  return kind === 'unknown' ? 'bin' : kind === 'jpeg' ? 'jpg' : kind === 'tiff' ? 'tif' : kind;
}
