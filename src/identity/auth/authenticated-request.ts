import { type Request } from 'express';
import { type TokenClaims } from '../domain/token.service';
import { type UserEntity } from '../persistence/user.entity';

export interface Authentication {
  user: UserEntity;
  claims: TokenClaims;
}

export type AuthenticatedRequest = Request & { auth?: Authentication };
