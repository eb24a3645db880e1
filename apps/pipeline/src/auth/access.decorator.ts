import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route: `write` routes change state and need INGEST_API_KEY when it is set; `read` routes
 * need READ_API_KEY when it is set; `public` routes (health) are always open. Undecorated routes are
 * `read`, so that a new route is never open by accident.
 */
export type AccessLevel = 'public' | 'read' | 'write';

export const ACCESS_LEVEL = 'access-level';

export const Access = (level: AccessLevel) => SetMetadata(ACCESS_LEVEL, level);
