/** Types of libreoffice.mjs (plain JavaScript so that bench/*.mjs can import it too). */
export declare const ROOT: string;
/** The npm packages of the faces nv sets its documents in, by family name. */
export declare const FONT_PACKAGES: Record<string, string>;
/** `soffice` on the PATH (or SOFFICE), or null when LibreOffice is not installed. */
export declare function sofficePath(): string | null;
/** Why LibreOffice tests are skipped here, or null when they can run. */
export declare function whyNoLibreOffice(): string | null;
/** nv's font files found in node_modules, by family; the families whose package is missing. */
export declare function fontFiles(root?: string): { found: Record<string, string[]>; missing: string[] };
/** Converts DOCX files to PDF in one soffice call; the PDF paths in the order of `docx`. */
export declare function convertToPdf(
  docx: string[],
  opts?: {
    outDir?: string;
    timeoutMs?: number;
    root?: string;
    keep?: boolean;
    /** A command soffice runs under, e.g. ['/usr/bin/time', '-f', '%e %M']. */
    wrap?: string[];
    onResult?: (r: import('node:child_process').SpawnSyncReturns<string>) => void;
  },
): string[];
