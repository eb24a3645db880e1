import type { CustomerDto } from '@customer-pipeline/contracts';
import type { CustomerEntity } from '@customer-pipeline/data-access';

/** A stored customer in the source's wire shape, so that it reads back exactly as the source served it. */
export function toCustomerDto(entity: CustomerEntity): CustomerDto {
  return {
    customer_id: entity.customer_id,
    first_name: entity.first_name,
    last_name: entity.last_name,
    email: entity.email,
    phone: entity.phone,
    address: entity.address,
    date_of_birth: entity.date_of_birth,
    account_balance: entity.account_balance,
    created_at: entity.created_at?.toISOString() ?? null,
  };
}
