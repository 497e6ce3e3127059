/** identity §1.8 enumerations, stored as strings. */
export const VEHICLE_TYPES = ['car', 'motorcycle', 'utility'] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];

export const SERVICE_LOCATIONS = ['mobile', 'garage', 'both'] as const;
export type ServiceLocation = (typeof SERVICE_LOCATIONS)[number];
