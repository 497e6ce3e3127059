import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

const MAX_OFFSET = 10_000;

/**
 * `?limit=&offset=` with the given limit bounds. Each list's page class is its own class because
 * class-validator would merge a parent's @Max into a subclass that redefines the limit.
 */
function pageQuery(defaultLimit: number, maxLimit: number) {
  class Page {
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(maxLimit)
    limit: number = defaultLimit;

    @Type(() => Number)
    @IsInt()
    @Min(0)
    @Max(MAX_OFFSET)
    offset: number = 0;
  }
  return Page;
}

/** The `LIST` endpoints of messaging §2 (limit 1..100, default 20). */
export class PageQuery extends pageQuery(20, 100) {}

/** A booking's conversation (messaging §2.1: limit 1..100, default 50). */
export class ConversationPageQuery extends pageQuery(50, 100) {}

/** The mechanic search and the admin lists (limit 1..200, default 50). */
export class LargePageQuery extends pageQuery(50, 200) {}
