// What the pack station's documents print, as the routes hand it over: already owner-scoped and
// formatted for people (dates as calendar dates in the warehouse zone, addresses as printed lines).

export interface ShipTo {
  name: string;
  company?: string | null;
  /**
   * The address as printed, street to country. Postal layouts differ by country (postcode before
   * or after the city, a region or not), so the caller formats them once for every document.
   */
  lines: string[];
}

export interface PackingSlipLine {
  sku: string;
  name: string;
  ordered: number;
  /** Units packed into this order's cartons (shipped once the order ships). */
  packed: number;
  /** The lot packed, where the product is lot-tracked; one row per lot when a line spans several. */
  lot?: string | null;
}

export interface PackingSlip {
  /** The owner (the merchant whose goods these are): their name heads the slip. */
  ownerName: string;
  orderNumber: string;
  /** `YYYY-MM-DD` in the warehouse's time zone. */
  orderDate: string;
  shipTo: ShipTo;
  shippingMethod: string;
  lines: PackingSlipLine[];
  cartonCount: number;
  /** A4 unless the owner's market uses US Letter. */
  pageSize?: 'A4' | 'Letter';
}

export interface CartonContent {
  sku: string;
  qty: number;
}

export interface CartonLabel {
  /** The owner shipping the carton (printed as the sender). */
  ownerName: string;
  orderNumber: string;
  shipTo: ShipTo;
  /** This carton's place among the order's cartons, from 1. */
  cartonNumber: number;
  cartonCount: number;
  weightKg: number;
  contents: CartonContent[];
  /** 18 digits with a valid check digit (see `ssccFor`). */
  sscc: string;
}
