import { type MechanicProfileSummary } from '../domain/mechanic-accounts';
import { type UserEntity } from '../persistence/user.entity';

/** `UserWithProfile` (identity §2.1), with HEAD's `photo_url`. */
export interface UserResponse {
  id: string;
  email: string;
  role: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  is_verified: boolean;
  photo_url: string | null;
  created_at: string;
  mechanic_profile: MechanicProfileSummary | null;
}

/** `mechanicProfile`: the caller's profile when they are a mechanic (AUTH-07), else null. */
export function userResponse(user: UserEntity, mechanicProfile: MechanicProfileSummary | null): UserResponse {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    first_name: user.firstName,
    last_name: user.lastName,
    phone: user.phone,
    is_verified: user.isVerified,
    photo_url: user.photoUrl,
    created_at: user.createdAt.toISOString(),
    mechanic_profile: mechanicProfile,
  };
}
