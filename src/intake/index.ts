/** Reply intake, the pure core: what a file is, what a document is, what an e-mail says. */
export { findPdfHeader, mimeOf, sniffFile, type FileKind, type SniffResult } from './sniff.js';
export {
  classifyDocument,
  classifyFile,
  type DocumentClass,
  type DocumentClassification,
  type ImageInfo,
} from './classify-document.js';
export {
  THRESHOLDS,
  classifyPage,
  classifyPdf,
  type ClassifyPdfOptions,
  type PageClass,
  type PageReport,
  type PdfClass,
  type PdfClassification,
} from './classify-pdf.js';
export type { PageMeasurements } from './page-meter.js';
export {
  displaySafe,
  parseEml,
  parseRfc5322Date,
  receivedTime,
  storageNameFor,
  type EmlAttachment,
  type MailAddress,
  type ParsedEml,
  type ReceivedTime,
} from './eml.js';
