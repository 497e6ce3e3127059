import { Query } from '@nestjs/cqrs';
import {
  type AvailabilityResponse,
  type DiplomaResponse,
  type MechanicDetail,
} from '../../http/mechanic.responses';

export interface ReviewSummary {
  id: string;
  rating: number;
  comment: string | null;
  created_at: string;
  reviewer_name: null;
}

export interface MechanicPublicProfile {
  profile: MechanicDetail;
  reviews: ReviewSummary[];
  availabilities: AvailabilityResponse[];
  diplomas: DiplomaResponse[];
}

export class GetMechanicQuery extends Query<MechanicPublicProfile> {
  constructor(readonly mechanicId: string) {
    super();
  }
}
