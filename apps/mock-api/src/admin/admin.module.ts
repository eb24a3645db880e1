import { Module } from '@nestjs/common';
import { OutageController } from './outage.controller';
import { OutageSwitch } from './outage-switch.service';

/** Switches a test can flip at run time; the state is per process, like any test double's. */
@Module({
  controllers: [OutageController],
  providers: [OutageSwitch],
  exports: [OutageSwitch],
})
export class AdminModule {}
