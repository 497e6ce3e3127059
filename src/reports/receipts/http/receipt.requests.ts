import { IsString } from 'class-validator';

/** `?token=`: required (422 when missing); its content is checked by the download itself. */
export class ReceiptDownloadQuery {
  @IsString()
  token!: string;
}
