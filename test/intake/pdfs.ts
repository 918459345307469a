/** Small PDFs built by code with pdf-lib, for the scan and hostile-input tests (nothing large is committed). */
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib';

/** One A4 page whose content is `content` (raw operators), with font /F1 and a 1×1 grey image /Im1 at hand. */
export async function pagePdf(
  content: Uint8Array | string,
  opts: { flate?: boolean; pages?: number } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const image = doc.context.register(
    PDFRawStream.of(
      doc.context.obj({
        Type: 'XObject',
        Subtype: 'Image',
        Width: 1,
        Height: 1,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 8,
      }),
      new Uint8Array([128]),
    ),
  );
  const raw = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const bytes = opts.flate && raw.length > 0 ? new Uint8Array(deflateSync(raw)) : raw;
  const stream = doc.context.register(
    PDFRawStream.of(doc.context.obj(opts.flate ? { Filter: 'FlateDecode' } : {}), bytes),
  );
  for (let i = 0; i < (opts.pages ?? 1); i++) {
    const page = doc.addPage([595, 842]);
    page.node.set(PDFName.of('Contents'), stream);
    page.node.set(
      PDFName.of('Resources'),
      doc.context.obj({ Font: { F1: font.ref }, XObject: { Im1: image } }),
    );
  }
  return doc.save({ useObjectStreams: false });
}
