import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { FaultInjectionInterceptor } from './fault-injection.interceptor';
import { FaultInjector } from './fault-injector.service';

/** Failure injection for the routes marked `@InjectsFaults()`; a module importing this one can use it. */
@Module({
  imports: [AdminModule],
  providers: [FaultInjector, FaultInjectionInterceptor],
  exports: [FaultInjector, FaultInjectionInterceptor],
})
export class FaultsModule {}
