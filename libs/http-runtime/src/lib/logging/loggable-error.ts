export interface LoggableError {
  type: string;
  message: string;
  stack?: string;
}

/**
 * What is logged of an unexpected error: its type, message and stack, and nothing else. Driver errors carry
 * the SQL text, its parameters and the offending row (`query`, `parameters`, `detail`): customer data.
 */
export function loggableError(exception: unknown): LoggableError {
  if (!(exception instanceof Error)) return { type: typeof exception, message: String(exception) };
  return { type: exception.name, message: exception.message, stack: exception.stack };
}
