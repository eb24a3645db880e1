import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** A position in a source's listing by `(updated_at, customer_id)`: everything up to it has been applied. */
export interface SourceCursor {
  updatedAt: Date;
  customerId: string;
}

export interface IngestSource {
  id: number;
  kind: string;
  location: string;
  cursor: SourceCursor | null;
  cursorRunId: number | null;
}

interface SourceRow {
  id: number;
  kind: string;
  location: string;
  cursor_updated_at: Date | null;
  cursor_customer_id: string | null;
  cursor_run_id: string | null;
}

function toSource(row: SourceRow): IngestSource {
  return {
    id: row.id,
    kind: row.kind,
    location: row.location,
    cursor:
      row.cursor_updated_at === null
        ? null
        : { updatedAt: row.cursor_updated_at, customerId: row.cursor_customer_id ?? '' },
    cursorRunId: row.cursor_run_id === null ? null : Number(row.cursor_run_id),
  };
}

/**
 * `ingest_sources`: each source runs have read, by kind and location, with its checkpoint. The checkpoint
 * only moves forward, and only in the transaction that commits the run that read up to it.
 */
@Injectable()
export class IngestSourceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The source's row, created on first use (two processes at once get the same row). */
  async ensure(kind: string, location: string, manager: EntityManager = this.dataSource.manager) {
    const [row] = await manager.query(
      `INSERT INTO ingest_sources (kind, location) VALUES ($1, $2)
       ON CONFLICT (kind, location) DO UPDATE SET kind = EXCLUDED.kind
       RETURNING id, kind, location, cursor_updated_at, cursor_customer_id, cursor_run_id`,
      [kind, location],
    );
    return toSource(row as SourceRow);
  }

  /** Moves the source's checkpoint to `cursor`, unless it is already at or past it. */
  async advance(
    sourceId: number,
    cursor: SourceCursor,
    runId: number,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE ingest_sources SET cursor_updated_at = $2, cursor_customer_id = $3, cursor_run_id = $4,
         cursor_committed_at = now()
       WHERE id = $1 AND (cursor_updated_at IS NULL OR (cursor_updated_at, cursor_customer_id) < ($2, $3))`,
      [sourceId, cursor.updatedAt, cursor.customerId, runId],
    );
  }
}
