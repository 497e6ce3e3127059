import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor, FileInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { type MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import { ApiConsumes } from '@nestjs/swagger';
import { type Request } from 'express';
import { type StorageEngine } from 'multer';
import { RequestValidationError } from '../common/http/request-validation.error';
import { MAX_UPLOAD_BYTES, type UploadedFile } from './upload-policy';

/**
 * multer's memory storage, keeping at most `keepBytes` of each file and reading the rest only to
 * count it. Memory stays bounded as with multer's `fileSize` limit, but a file over the limit does
 * not end the request: it arrives cut, with its real `size`, and the route's own per-file check
 * (`checkUpload`) refuses it in the route's order and with the route's message: §2.5's "File too
 * large", §3.7's "Invalid data" after the booking's 404/403/409 and the form's 400s, or §3.9's
 * warning while the dispute opens with the other photos.
 */
class CappedMemoryStorage implements StorageEngine {
  constructor(private readonly keepBytes: number) {}

  _handleFile(
    _request: Request,
    file: Express.Multer.File,
    callback: (error?: Error | null, info?: Partial<Express.Multer.File>) => void,
  ): void {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let size = 0;
    file.stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (keptBytes >= this.keepBytes) return;
      const part = chunk.subarray(0, this.keepBytes - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    });
    file.stream.once('error', (error: Error) => callback(error));
    file.stream.once('end', () => callback(null, { buffer: Buffer.concat(kept), size }));
  }

  _removeFile(_request: Request, _file: Express.Multer.File, callback: (error: Error | null) => void): void {
    callback(null);
  }
}

/** Stateless, so every upload route shares it. */
const CAPPED_STORAGE = new CappedMemoryStorage(MAX_UPLOAD_BYTES);

/**
 * Text fields an upload form may carry (the check-out's, the largest, has 5). busboy holds each in
 * memory up to 1 MB and sets no limit on their number, so a chunked body (no Content-Length for the
 * 10 MB guard to refuse) could otherwise grow `req.body` without bound. Past the limit, a 400.
 */
const MAX_FORM_FIELDS = 50;

/**
 * Every upload route: files held in memory, 5 MB of each at most, no more than `files` of them, and
 * at most MAX_FORM_FIELDS text fields. multer answers an error only once the body has ended, so a
 * chunked body is read (and discarded past those bounds) until it ends or Node's request timeout.
 */
function uploadOptions(files: number): MulterOptions {
  return { storage: CAPPED_STORAGE, limits: { files, fields: MAX_FORM_FIELDS } };
}

/** A multipart route taking one file in `field`. */
export const SingleFileUpload = (field: string) =>
  applyDecorators(
    ApiConsumes('multipart/form-data'),
    UseInterceptors(FileInterceptor(field, uploadOptions(1))),
  );

/**
 * A multipart route taking files in each of `fields` (`@UploadedFiles()`): one per field, unless
 * `maxCounts` allows a field more.
 */
export const FileFieldsUpload = (
  fields: readonly string[],
  maxCounts: Readonly<Record<string, number>> = {},
) => {
  const counted = fields.map((name) => ({ name, maxCount: maxCounts[name] ?? 1 }));
  const files = counted.reduce((sum, field) => sum + field.maxCount, 0);
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    UseInterceptors(FileFieldsInterceptor(counted, uploadOptions(files))),
  );
};

/** The files of a FileFieldsUpload route, by field. */
export type UploadedFields<F extends string> = Partial<Record<F, UploadedFile[]>>;

/** A required file part: its absence is a 422 "Field required", like any missing field. */
export function requiredFile(file: UploadedFile | undefined, field: string): UploadedFile {
  if (!file) {
    throw new RequestValidationError([
      { type: 'missing', loc: ['body', field], msg: 'Field required', input: null },
    ]);
  }
  return file;
}

/** A multipart route taking the repeated field `field` (`@UploadedFiles()`), at most `maxCount` files. */
export const RepeatedFileUpload = (field: string, maxCount: number) =>
  applyDecorators(
    ApiConsumes('multipart/form-data'),
    UseInterceptors(FilesInterceptor(field, maxCount, uploadOptions(maxCount))),
  );
