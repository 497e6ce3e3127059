import { DomainError } from '../../../common/errors/domain-error';
import { DISPUTE_REASONS, type DisputeReason } from '../../domain/booking-status';
import { type DisputeForm, type Verdict } from './validate-booking.command';

/** §3.9: at most this many photos go with a dispute. */
export const MAX_DISPUTE_PHOTOS = 5;
/** §3.8, §3.9: the longest description a dispute may carry. */
export const MAX_PROBLEM_DESCRIPTION = 1000;
const PHOTO_TYPES = ['image/jpeg', 'image/png'];

const invalid = (message: string) => new DomainError('invalid_dispute', message);

/** §3.9 checks 1–4 (400): the dispute's reason and description, in the spec's order. */
export function disputeVerdict(form: DisputeForm): Verdict & { validated: false } {
  const { problemReason: reason, problemDescription: description } = form;
  if (!reason) throw invalid('problem_reason is required when validated is False');
  if (!description) throw invalid('problem_description is required when validated is False');
  if (description.length > MAX_PROBLEM_DESCRIPTION)
    throw invalid(`problem_description must be ${MAX_PROBLEM_DESCRIPTION} characters or less`);
  if (!(DISPUTE_REASONS as readonly string[]).includes(reason))
    throw invalid(`Invalid dispute reason. Must be one of: ${DISPUTE_REASONS.join(', ')}`);
  return { validated: false, reason: reason as DisputeReason, description };
}

/**
 * §3.9 checks 6–7 (400): the number of photos and their declared types. Each photo's content is
 * checked again by its magic bytes when stored; a failure there only drops that photo.
 */
export function checkDisputePhotos(photos: DisputeForm['photos']): void {
  if (photos.length > MAX_DISPUTE_PHOTOS) throw invalid(`Maximum ${MAX_DISPUTE_PHOTOS} photos allowed`);
  const wrong = photos.find((photo) => !PHOTO_TYPES.includes(photo.mimetype));
  if (wrong) throw invalid(`Invalid photo type '${wrong.mimetype}'. Only JPEG and PNG are accepted.`);
}
