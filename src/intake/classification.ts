/** What a reply document is found to be: its class, the reason, and the measurements behind it (see classify-document.ts). */
import type { PageReport } from './classify-pdf.js';

export type DocumentClass =
  'scanned' | 'scanned-ocr' | 'text-born' | 'office' | 'image' | 'data' | 'unreadable' | 'review';

export interface ImageInfo {
  format: 'tiff' | 'jpeg' | 'png';
  width: number;
  height: number;
  /** Pages (TIFF directories); 1 for JPEG and PNG. */
  pages: number;
  /** Pixels per inch, horizontal and vertical, when the file says. */
  dpi: [number, number] | null;
  /** TIFF compression, e.g. "CCITT Group 4 (fax)". */
  compression?: string;
  /** The camera that took a JPEG (EXIF Make and Model), e.g. "Apple iPhone 4S". */
  camera?: string;
}

export interface DocumentClassification {
  class: DocumentClass;
  /** Why, in words a clerk reads, with the numbers. */
  reason: string;
  /** PDF pages with their measurements; one entry per page for an image file; empty otherwise. */
  pages: PageReport[];
  encrypted: boolean;
  image?: ImageInfo;
}
