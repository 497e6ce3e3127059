import { IsBoolean, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

/** GET /messages/templates: any value is accepted; only `buyer` and `mechanic` select a side. */
export class TemplatesQuery {
  @IsOptional()
  @IsString()
  role?: string;
}

/** POST /bookings/{id}/messages: `content` is taken as sent (not trimmed); templates by default. */
export class SendMessageRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  content!: string;

  /** Omitted means a template; `null` is a 422, as pydantic answers for a `bool` field. */
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  is_template: boolean = true;
}
