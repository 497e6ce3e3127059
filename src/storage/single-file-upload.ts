import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor, FileInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { ApiConsumes } from '@nestjs/swagger';
import { catchError, type Observable, throwError } from 'rxjs';
import { DomainError } from '../common/errors/domain-error';
import { RequestValidationError } from '../common/http/request-validation.error';
import { MAX_UPLOAD_BYTES, type UploadedFile } from './upload-policy';

/** multer stops reading past the limit; its 413 becomes the original's 400 with its message. */
@Injectable()
class UploadLimitErrors implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            error instanceof PayloadTooLargeException
              ? new DomainError('invalid_upload', 'File too large. Maximum size is 5 MB.')
              : error,
          ),
        ),
      );
  }
}

/** A multipart route taking one file in `field`, held in memory and cut off past 5 MB. */
export const SingleFileUpload = (field: string) =>
  applyDecorators(
    ApiConsumes('multipart/form-data'),
    UseInterceptors(
      UploadLimitErrors,
      FileInterceptor(field, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }),
    ),
  );

/**
 * A multipart route taking files in each of `fields` (`@UploadedFiles()`), 5 MB each: one per field,
 * unless `maxCounts` allows a field more.
 */
export const FileFieldsUpload = (
  fields: readonly string[],
  maxCounts: Readonly<Record<string, number>> = {},
) => {
  const counted = fields.map((name) => ({ name, maxCount: maxCounts[name] ?? 1 }));
  const files = counted.reduce((sum, field) => sum + field.maxCount, 0);
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    UseInterceptors(
      UploadLimitErrors,
      FileFieldsInterceptor(counted, { limits: { fileSize: MAX_UPLOAD_BYTES, files } }),
    ),
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

/** A multipart route taking the repeated field `field` (`@UploadedFiles()`), at most `maxCount` files of 5 MB. */
export const RepeatedFileUpload = (field: string, maxCount: number) =>
  applyDecorators(
    ApiConsumes('multipart/form-data'),
    UseInterceptors(
      UploadLimitErrors,
      FilesInterceptor(field, maxCount, { limits: { fileSize: MAX_UPLOAD_BYTES, files: maxCount } }),
    ),
  );
