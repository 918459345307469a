// Types for bombs.mjs (used by test/intake/hostile.test.ts).
export function zlibOf(mb: number, byte?: number): Buffer;
export function writePdf(
  objects: { dict: string; stream?: Uint8Array }[],
  options?: { encrypt?: boolean },
): Uint8Array;
export function inflateBombPdf(o: { mb: number; layers?: number; encrypt?: boolean }): Uint8Array;
export function fanOutPdf(o: { depth?: number; fan?: number; encrypt?: boolean }): Uint8Array;
export function manyOperatorsPdf(o: { pages?: number; ops?: number; encrypt?: boolean }): Uint8Array;
export function manyPagesPdf(o: { pages?: number; encrypt?: boolean }): Uint8Array;
export function docxBomb(o: { runs?: number }): Uint8Array;
export function emailWith(
  attachments: { name: string; type: string; bytes: Uint8Array }[],
  o?: { subject?: string; from?: string },
): Buffer;
