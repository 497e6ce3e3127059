import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Text of a PDF (poppler's pdftotext), to check what a document says. */
export async function pdfText(pdf: Buffer): Promise<string> {
  return withFile(pdf, async (file) => (await run('pdftotext', ['-layout', file, '-'])).stdout);
}

export async function pdfPageCount(pdf: Buffer): Promise<number> {
  return withFile(pdf, async (file) =>
    Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [file])).stdout)?.[1]),
  );
}

/**
 * Share of non-white pixels on page 1, rendered to a greyscale image by pdftoppm: a blank or broken
 * page is 0, a drawn report well above it.
 */
export async function inkOnFirstPage(pdf: Buffer): Promise<number> {
  return withFile(pdf, async (file, dir) => {
    await run('pdftoppm', ['-f', '1', '-singlefile', '-r', '30', '-gray', file, join(dir, 'page')]);
    const pgm = await readFile(join(dir, 'page.pgm'));
    // Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    const [, width, height] = /^P5\s+(\d+)\s+(\d+)\s+\d+\s/.exec(pgm.toString('latin1', 0, 40)) ?? [];
    const pixels = pgm.subarray(pgm.length - Number(width) * Number(height));
    return pixels.filter((value) => value < 250).length / pixels.length;
  });
}

async function withFile<T>(pdf: Buffer, use: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'emecano-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    return await use(file, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
