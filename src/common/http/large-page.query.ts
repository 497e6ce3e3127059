import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** `?limit=&offset=` of the mechanic search and the admin lists (limit 1..200, default 50; offset 0..10000). */
export class LargePageQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  offset: number = 0;
}
