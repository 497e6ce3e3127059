import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** `?limit=&offset=` of the paginated lists (limit 1..100, default 20; offset 0..10000). */
export class PageQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  offset: number = 0;
}
