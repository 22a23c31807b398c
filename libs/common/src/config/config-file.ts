import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { Environment } from './app-config';

/**
 * What the operator's configuration files (connector accounts, caller keys) share: JSON or YAML
 * by extension, parse errors reported by position only (the offending line may hold a secret),
 * and values given literally or as `env:VAR`.
 */
export type ConfigFileFormat = 'json' | 'yaml';

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const ENV_PREFIX = 'env:';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formatOfFile(file: string): ConfigFileFormat {
  return /\.json$/i.test(file) ? 'json' : 'yaml';
}

/** A name as it may be shown in a problem: printable, short, never a whole line of the file. */
export function shownName(name: string): string {
  return name.replace(/[^\x21-\x7e]/g, '?').slice(0, 64);
}

/**
 * Parser messages can quote the offending line, which may hold a secret: only the position is
 * reported.
 */
export function parseConfigText(text: string, format: ConfigFileFormat): { value?: unknown; problem?: string } {
  const at = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
  };
  if (format === 'json') {
    try {
      return { value: JSON.parse(text) };
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      return { problem: position === undefined ? 'is not valid JSON' : `is not valid JSON (${at(Number(position))})` };
    }
  }
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const [error] = document.errors;
  if (error) return { problem: `is not valid YAML (${error.code} at ${at(error.pos[0])})` };
  return { value: document.toJS({ maxAliasCount: 16 }) };
}

/** The name of the variable a `env:VAR` value references, or a problem; undefined for a literal. */
export function envReferenceOf(value: string, where: string, problems: string[]): { variable?: string; literal: boolean } {
  if (!value.startsWith(ENV_PREFIX)) return { literal: true };
  const variable = value.slice(ENV_PREFIX.length);
  if (!ENV_NAME.test(variable)) {
    problems.push(`${where} must name an environment variable after "env:" (got "env:${shownName(variable)}")`);
    return { literal: false };
  }
  return { variable, literal: false };
}

/** A config value: a literal, or `env:VAR` read from the environment the service started with. */
export function resolveConfigValue(value: unknown, where: string, env: Environment, problems: string[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push(`${where} must be a string`);
    return undefined;
  }
  const { variable, literal } = envReferenceOf(value, where, problems);
  if (literal) return value;
  if (variable === undefined) return undefined;
  const resolved = env[variable];
  if (resolved === undefined || resolved === '') {
    problems.push(`${where} references env:${variable}, which is not set`);
    return undefined;
  }
  return resolved;
}

/** The file's text, or the reason it cannot be read (its errno code, never its content). */
export async function readConfigFile(file: string): Promise<{ text?: string; problem?: string }> {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (error) {
    return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
}
