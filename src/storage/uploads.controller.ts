import { access } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Response } from 'express';
import { DomainError } from '../common/errors/domain-error';
import { Authenticated } from '../identity/auth/auth.decorators';
import { LocalStorage } from './local-storage';
import { SENSITIVE_FOLDERS, type UploadFolder } from './upload-policy';

/**
 * `GET /uploads/{path}`, mounted only when files are stored locally (no R2): serves stored files to
 * authenticated users. Personal documents (identity, proofs, CVs) are not served here at all: the
 * original served them to anyone logged in (N28); their owners' modules hand out links instead.
 */
@ApiExcludeController()
@Controller('uploads')
export class UploadsController {
  private readonly root: string;

  constructor(storage: LocalStorage) {
    this.root = storage.root;
  }

  @Get('*path')
  @Authenticated()
  async serve(@Param('path') path: string | string[], @Res() response: Response): Promise<void> {
    const relative = Array.isArray(path) ? path.join('/') : path;
    const file = resolve(this.root, relative);
    if (!file.startsWith(this.root + sep)) throw new DomainError('invalid_path', 'Invalid path');
    const folder = relative.split('/')[0] as UploadFolder;
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (SENSITIVE_FOLDERS.includes(folder) || !exists) throw new DomainError('not_found', 'File not found');
    response.sendFile(file);
  }
}
