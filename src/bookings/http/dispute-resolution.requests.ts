import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { type Resolution } from '../commands/resolve-dispute/resolve-dispute.command';

/** PATCH /payments/disputes/resolve (§9.3). */
export class ResolveDisputeRequest {
  @IsUUID()
  dispute_id!: string;

  @IsIn(['buyer', 'mechanic'], { message: "Input should be 'buyer' or 'mechanic'" })
  resolution!: Resolution;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  resolution_notes?: string;
}
