export * from './customer.module';
export * from './customer.service';
export * from './customer-request.mapper';
export * from './dto/create-customer-request.dto';
export * from './mapping/customer-mapping';
export * from './mapping/customer-mapping.repository';
