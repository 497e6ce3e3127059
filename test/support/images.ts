import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real (decodable) PNG of one colour, for code that draws images rather than only sniffing bytes. */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat()),
  ]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A real (decodable) JPEG of one colour: a page of that size drawn with pdfkit, rasterised at 72 dpi
 * by poppler's pdftoppm, which the tests already use to read PDFs back. Node has no JPEG encoder.
 */
export async function solidJpeg(width: number, height: number, [r, g, b]: [number, number, number]) {
  const dir = await mkdtemp(join(tmpdir(), 'emecano-jpeg-'));
  try {
    const doc = new PDFDocument({ size: [width, height], margin: 0 });
    const pdf = join(dir, 'page.pdf');
    const written = new Promise<void>((resolve) => doc.pipe(createWriteStream(pdf)).on('finish', resolve));
    doc.rect(0, 0, width, height).fill([r, g, b]);
    doc.end();
    await written;
    await promisify(execFile)('pdftoppm', ['-jpeg', '-r', '72', '-singlefile', pdf, join(dir, 'page')]);
    return await readFile(join(dir, 'page.jpg'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
