import { NOTIFICATIONS } from '../domain/notification-catalogue';
import { pushMessage, type PushJob } from './push-delivery';

const job = (overrides: Partial<PushJob> = {}): PushJob => ({
  notificationId: 'n-1',
  userId: 'u-1',
  title: 'RDV confirme !',
  body: 'Le mecanicien a accepte votre demande de rendez-vous.',
  data: { type: 'booking_confirmed', booking_id: 'b-1' },
  ...overrides,
});

describe('pushMessage (messaging §3.2.3)', () => {
  it('sends the title, body and data as stored, with the default sound', () => {
    expect(pushMessage(job(), 'ExponentPushToken[x]')).toEqual({
      to: 'ExponentPushToken[x]',
      title: 'RDV confirme !',
      body: 'Le mecanicien a accepte votre demande de rendez-vous.',
      sound: 'default',
      data: { type: 'booking_confirmed', booking_id: 'b-1' },
    });
  });

  it('cuts the title to 50 and the body to 200 characters, counting characters rather than UTF-16 units', () => {
    const message = pushMessage(job({ title: `${'é'.repeat(49)}🚗🚗`, body: '🔧'.repeat(250) }), 't');

    expect(Array.from(message.title ?? '')).toHaveLength(50);
    expect(message.title).toBe(`${'é'.repeat(49)}🚗`);
    expect(Array.from(message.body ?? '')).toHaveLength(200);
  });

  it('adds the booking_request category to booking_created pushes only', () => {
    const created = NOTIFICATIONS.bookingCreated({
      bookingId: 'b',
      vehicleBrand: 'Renault',
      vehicleModel: 'Clio',
    });

    expect(pushMessage(job({ data: { type: created.type } }), 't').categoryId).toBe('booking_request');
    expect(pushMessage(job(), 't')).not.toHaveProperty('categoryId');
  });
});
