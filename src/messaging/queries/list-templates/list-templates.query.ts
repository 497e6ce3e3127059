import { Query } from '@nestjs/cqrs';
import { type TemplateCategory } from '../../domain/message-templates';

/** GET /messages/templates (messaging-reports §2.1): public, static data. */
export class ListTemplatesQuery extends Query<readonly TemplateCategory[]> {
  constructor(readonly role: string | undefined) {
    super();
  }
}
