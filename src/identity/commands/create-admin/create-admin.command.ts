import { Command } from '@nestjs/cqrs';

export interface NewAdmin {
  email: string;
  password: string;
  first_name?: string | null;
  last_name?: string | null;
}

/** Admins cannot register through the API (identity §7.8): the operations CLI creates them. */
export class CreateAdminCommand extends Command<{ id: string }> {
  constructor(readonly admin: NewAdmin) {
    super();
  }
}
