import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { type BookedAmounts } from './receipt-prices';

/** What a receipt shows and who may read it, read from the booking and its mechanic's profile. */
export interface ReceiptBooking extends BookedAmounts {
  id: string;
  buyerId: string;
  status: string;
  vehicle: { brand: string; model: string; year: number };
  checkInAt: Date | null;
  createdAt: Date;
  /** Null when the profile has no city (the column defaults to ''). */
  mechanicCity: string | null;
}

interface ReceiptRow {
  id: string;
  buyer_id: string;
  status: string;
  obd_requested: boolean;
  base_price: string;
  travel_fees: string;
  total_price: string;
  vehicle_brand: string;
  vehicle_model: string;
  vehicle_year: number;
  check_in_at: Date | null;
  created_at: Date;
  mechanic_city: string | null;
}

/**
 * One statement, no lock: a receipt only reads (and is regenerated on every request, §3.5). Plain SQL
 * rather than the bookings module's entities, whose persistence is its own.
 */
@Injectable()
export class ReceiptBookings {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The booking, or 404 "Booking not found". */
  async get(bookingId: string): Promise<ReceiptBooking> {
    const rows: ReceiptRow[] = await this.dataSource.query(
      `SELECT b.id, b.buyer_id, b.status, b.obd_requested, b.base_price, b.travel_fees, b.total_price,
              b.vehicle_brand, b.vehicle_model, b.vehicle_year, b.check_in_at, b.created_at,
              NULLIF(btrim(p.city), '') AS mechanic_city
         FROM bookings b
         LEFT JOIN mechanic_profiles p ON p.id = b.mechanic_id
        WHERE b.id = $1`,
      [bookingId],
    );
    if (rows.length === 0) throw new DomainError('booking_not_found', 'Booking not found');
    const [row] = rows;
    return {
      id: row.id,
      buyerId: row.buyer_id,
      status: row.status,
      obdRequested: row.obd_requested,
      basePrice: row.base_price,
      travelFees: row.travel_fees,
      totalPrice: row.total_price,
      vehicle: { brand: row.vehicle_brand, model: row.vehicle_model, year: row.vehicle_year },
      checkInAt: row.check_in_at,
      createdAt: row.created_at,
      mechanicCity: row.mechanic_city,
    };
  }
}
