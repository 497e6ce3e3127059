import { DomainError } from '../common/errors/domain-error';

/** identity §2.5: where uploads may go (a whitelist, so a folder can never be a path). */
export const UPLOAD_FOLDERS = ['identity', 'proofs', 'cv', 'avatars', 'diplomas', 'disputes'] as const;
export type UploadFolder = (typeof UPLOAD_FOLDERS)[number];

/**
 * Folders whose files are personal documents, and the generated inspection reports (private, issue
 * 8): never served publicly, only as short-lived links.
 */
export const SENSITIVE_FOLDERS: readonly string[] = ['identity', 'proofs', 'cv', 'reports'];

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

const SIGNATURES = {
  'image/jpeg': { extension: 'jpg', magic: [0xff, 0xd8, 0xff] },
  'image/png': { extension: 'png', magic: [0x89, 0x50, 0x4e, 0x47] },
  'application/pdf': { extension: 'pdf', magic: [0x25, 0x50, 0x44, 0x46] },
} as const;
type ContentType = keyof typeof SIGNATURES;

/** Pictures only where a picture is expected (the original accepted a PDF as a profile photo: N17). */
const IMAGES_ONLY: readonly UploadFolder[] = ['avatars', 'proofs', 'disputes'];

export interface UploadedFile {
  buffer: Buffer;
  mimetype: string;
  size: number;
}

export interface CheckedUpload {
  bytes: Buffer;
  contentType: ContentType;
  extension: string;
}

/** Folder, declared type, size and magic bytes, with the original's messages; 400 on any failure. */
export function checkUpload(folder: string, file: UploadedFile): CheckedUpload {
  if (!(UPLOAD_FOLDERS as readonly string[]).includes(folder)) {
    throw new DomainError('invalid_upload', `Upload folder '${folder}' is not allowed.`);
  }
  const imagesOnly = IMAGES_ONLY.includes(folder as UploadFolder);
  const allowed = imagesOnly ? ['image/jpeg', 'image/png'] : Object.keys(SIGNATURES);
  if (!allowed.includes(file.mimetype)) {
    const hint = imagesOnly ? 'Use JPEG or PNG.' : 'Use JPEG, PNG or PDF.';
    throw new DomainError('invalid_upload', `File type ${file.mimetype} not allowed. ${hint}`);
  }
  if (file.size > MAX_UPLOAD_BYTES || file.buffer.length > MAX_UPLOAD_BYTES) {
    throw new DomainError('invalid_upload', 'File too large. Maximum size is 5 MB.');
  }
  const contentType = file.mimetype as ContentType;
  const { magic, extension } = SIGNATURES[contentType];
  if (!magic.every((byte, index) => file.buffer[index] === byte)) {
    throw new DomainError(
      'invalid_upload',
      `File content does not match declared type ${contentType}. The file may be corrupted or mislabeled.`,
    );
  }
  return { bytes: file.buffer, contentType, extension };
}
