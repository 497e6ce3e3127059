import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/http/page.query';

export class CreateReviewRequest {
  @IsUUID()
  booking_id!: string;

  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  comment?: string | null;
}

/** `?mechanic_id=` (the mechanic **profile** id) with the LIST page bounds. */
export class ListReviewsParams extends PageQuery {
  @IsUUID()
  mechanic_id!: string;
}
