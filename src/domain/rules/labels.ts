// How rules name things in messages: the bin code and the SKU a worker can see, falling back to
// the id when the row is missing (or another owner's: the rule's reader hides it) so a message is
// never empty and never names what the actor may not see.
import type { Reader } from './types';

export async function locationCode(reader: Reader, locationId: string): Promise<string> {
  return (await reader.get('locations', locationId))?.code ?? locationId;
}

export async function productLabel(reader: Reader, productId: string): Promise<string> {
  const product = await reader.get('products', productId);
  return product ? `${product.sku} ${product.name}` : productId;
}
