import { Query } from '@nestjs/cqrs';

export interface DashboardLink {
  dashboard_url: string;
}

export class GetMechanicDashboardQuery extends Query<DashboardLink> {
  constructor(readonly profileId: string) {
    super();
  }
}
