import { Command } from '@nestjs/cqrs';

export class DeleteDiplomaCommand extends Command<void> {
  constructor(
    readonly profileId: string,
    readonly diplomaId: string,
  ) {
    super();
  }
}
