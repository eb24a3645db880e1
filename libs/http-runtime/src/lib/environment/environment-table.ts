import { EnvVariableDoc } from './env-variable.decorator';

/** The Markdown rows of a configuration table, as the README shows them. */
export function environmentTableRows(service: string, variables: EnvVariableDoc[]): string[] {
  return variables.map(
    (variable) =>
      `| \`${variable.name}\` | ${service} | ${variable.defaultValue === null ? '-' : `\`${variable.defaultValue}\``} | ${variable.description} |`,
  );
}
