import { Query } from '@nestjs/cqrs';

export interface PendingVerification {
  id: string;
  user_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  city: string;
  identity_document_url: string | null;
  selfie_with_id_url: string | null;
  cv_url: string | null;
  created_at: string;
}

export interface PendingVerificationPage {
  total: number;
  mechanics: PendingVerification[];
}

export class ListPendingVerificationsQuery extends Query<PendingVerificationPage> {
  constructor(
    readonly limit: number,
    readonly offset: number,
  ) {
    super();
  }
}
