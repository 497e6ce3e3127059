import { access } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Response } from 'express';
import { DomainError } from '../common/errors/domain-error';
import { Authenticated, CurrentUser } from '../identity/auth/auth.decorators';
import { type UserEntity } from '../identity/persistence/user.entity';
import { LOCAL_URL_PREFIX, LocalStorage } from './local-storage';
import { StoredFileOwners } from './stored-file-owners';
import { SENSITIVE_FOLDERS, type UploadFolder } from './upload-policy';

/**
 * `GET /uploads/{path}`, mounted only when files are stored locally (no R2): serves stored files to
 * authenticated users. Personal documents (identity, proofs, CVs) go only to their owner and to
 * admins; the original served them to anyone logged in (N28). Anyone else gets the same 404 as for
 * a missing file, so their existence is not revealed either.
 */
@ApiExcludeController()
@Controller('uploads')
export class UploadsController {
  private readonly root: string;

  constructor(
    storage: LocalStorage,
    private readonly owners: StoredFileOwners,
  ) {
    this.root = storage.root;
  }

  @Get('*path')
  @Authenticated()
  async serve(
    @Param('path') path: string | string[],
    @CurrentUser() user: UserEntity,
    @Res() response: Response,
  ): Promise<void> {
    const relative = Array.isArray(path) ? path.join('/') : path;
    const file = resolve(this.root, relative);
    if (!file.startsWith(this.root + sep)) throw new DomainError('invalid_path', 'Invalid path');
    const folder = relative.split('/')[0] as UploadFolder;
    const allowed =
      !SENSITIVE_FOLDERS.includes(folder) ||
      user.role === 'admin' ||
      (await this.owners.isOwner(user.id, `${LOCAL_URL_PREFIX}${relative}`));
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (!allowed || !exists) throw new DomainError('not_found', 'File not found');
    response.sendFile(file);
  }
}
