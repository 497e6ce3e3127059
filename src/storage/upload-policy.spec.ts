import { DomainError } from '../common/errors/domain-error';
import { checkUpload, MAX_UPLOAD_BYTES } from './upload-policy';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const PDF = Buffer.from('%PDF-1.7\n');

function failure(folder: string, buffer: Buffer, mimetype: string, size = buffer.length): string {
  try {
    checkUpload(folder, { buffer, mimetype, size });
  } catch (error) {
    if (error instanceof DomainError) return `${error.status} ${error.detail}`;
    throw error;
  }
  return 'accepted';
}

describe('checkUpload (identity §2.5)', () => {
  it('accepts each allowed type with matching magic bytes and names its extension', () => {
    expect(checkUpload('avatars', { buffer: PNG, mimetype: 'image/png', size: PNG.length }).extension).toBe(
      'png',
    );
    expect(checkUpload('identity', { buffer: JPEG, mimetype: 'image/jpeg', size: 4 }).extension).toBe('jpg');
    expect(checkUpload('cv', { buffer: PDF, mimetype: 'application/pdf', size: PDF.length }).extension).toBe(
      'pdf',
    );
  });

  it('refuses a folder outside the whitelist (no path can be smuggled in)', () => {
    expect(failure('../etc', PNG, 'image/png')).toBe("400 Upload folder '../etc' is not allowed.");
  });

  it('refuses undeclared types, and PDFs where a picture is expected (N17)', () => {
    expect(failure('cv', PNG, 'image/gif')).toBe(
      '400 File type image/gif not allowed. Use JPEG, PNG or PDF.',
    );
    expect(failure('avatars', PDF, 'application/pdf')).toBe(
      '400 File type application/pdf not allowed. Use JPEG or PNG.',
    );
  });

  it('refuses a file over 5 MB, declared or actual', () => {
    expect(failure('avatars', PNG, 'image/png', MAX_UPLOAD_BYTES + 1)).toBe(
      '400 File too large. Maximum size is 5 MB.',
    );
  });

  it('refuses content that does not match the declared type', () => {
    expect(failure('avatars', JPEG, 'image/png')).toBe(
      '400 File content does not match declared type image/png. The file may be corrupted or mislabeled.',
    );
    expect(failure('cv', Buffer.from('<html>'), 'application/pdf')).toMatch(/does not match declared type/);
  });
});
