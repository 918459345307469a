/**
 * The archive keeps the original bytes of every ingested file under their SHA-256; it is the
 * register's (`register.archive`: `storage/sqlite/archive.ts` for a SQLite workspace).
 */

/** The extension stored with a file of this kind (for the clerk who opens it). */
export function extensionOf(kind: string): string {
  return kind === 'unknown' ? 'bin' : kind === 'jpeg' ? 'jpg' : kind === 'tiff' ? 'tif' : kind;
}
