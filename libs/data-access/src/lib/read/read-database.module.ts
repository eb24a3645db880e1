import { DynamicModule, Global, InjectionToken, Module } from '@nestjs/common';
import { CustomerReadRepository } from './customer-read.repository';
import { CustomerSummaryListener } from './customer-summary.listener';
import { READ_DATABASE_OPTIONS, ReadDatabase, ReadDatabaseOptions } from './read-database';

export interface ReadDatabaseModuleOptions {
  inject: InjectionToken[];
  useFactory: (...dependencies: never[]) => ReadDatabaseOptions;
}

/**
 * The read API's side of the database: its own pool, the summary listener and the customer reads. Global,
 * so that any feature module can read customers; the app imports it once, with its settings.
 */
@Global()
@Module({})
export class ReadDatabaseModule {
  static forRootAsync(options: ReadDatabaseModuleOptions): DynamicModule {
    return {
      module: ReadDatabaseModule,
      providers: [
        { provide: READ_DATABASE_OPTIONS, inject: options.inject, useFactory: options.useFactory },
        {
          provide: ReadDatabase,
          inject: [READ_DATABASE_OPTIONS],
          useFactory: (settings: ReadDatabaseOptions) => new ReadDatabase(settings),
        },
        CustomerSummaryListener,
        CustomerReadRepository,
      ],
      exports: [ReadDatabase, CustomerSummaryListener, CustomerReadRepository],
    };
  }
}
