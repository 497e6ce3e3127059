import { DomainError } from '../../common/errors/domain-error';
import { type UserRole } from '../../identity/persistence/user.entity';

export interface ReceiptReader {
  userId: string;
  role: UserRole;
}

/** messaging-reports §2.5: the booking's buyer or any admin; never the mechanic. */
export function assertMayReadReceipt(reader: ReceiptReader, buyerId: string): void {
  if (reader.role !== 'admin' && reader.userId !== buyerId) throw receiptForbidden();
}

export function receiptForbidden(): DomainError {
  return new DomainError('access_denied', 'You are not authorized to access this receipt');
}
