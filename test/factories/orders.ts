// Orders as a REST client posts them (src/domain/order-intake.ts), for server tests and benches.
import type { OrderIntakeInput } from '../../src/domain/order-intake';

export const SHIP_TO = { name: 'Dana Doe', address1: '1 Harbour St', city: 'Bristol', postalCode: 'BS1 4RN', country: 'gb' };

export function intake(number: string, lines: { sku: string | null; qty: number; requiresShipping?: boolean }[], extra: Partial<OrderIntakeInput> = {}): OrderIntakeInput {
  return { number, orderedAt: '2026-11-24T09:00:00Z', customerName: 'Dana Doe', shipTo: SHIP_TO, lines, ...extra };
}
