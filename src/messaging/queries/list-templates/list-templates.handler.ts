import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type TemplateCategory, templatesFor } from '../../domain/message-templates';
import { ListTemplatesQuery } from './list-templates.query';

@QueryHandler(ListTemplatesQuery)
export class ListTemplatesHandler implements IQueryHandler<ListTemplatesQuery> {
  execute({ role }: ListTemplatesQuery): Promise<readonly TemplateCategory[]> {
    return Promise.resolve(templatesFor(role));
  }
}
