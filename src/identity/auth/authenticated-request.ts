import { type Request } from 'express';
import { type MechanicAccountState } from '../domain/mechanic-accounts';
import { type TokenClaims } from '../domain/token.service';
import { type UserEntity } from '../persistence/user.entity';

export interface Authentication {
  user: UserEntity;
  claims: TokenClaims;
  /** Set by the mechanic guards: the caller's profile, as admitted. */
  mechanic?: MechanicAccountState;
}

export type AuthenticatedRequest = Request & { auth?: Authentication };
