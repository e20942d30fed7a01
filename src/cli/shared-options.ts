// Options several commands share, and reading them into a config.
import { Option } from 'commander';
import { loadConfig, type Config } from '../model/config.js';

export const configOption = () => new Option('--config <file>', 'config file (jitaudit.config.yaml); every key is optional');
export const rulesOption = () =>
  new Option('--rules <dir>', 'an extra rule directory, on top of the built-in pack (repeatable)').argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );

export function configFrom(options: { config?: string }, fallback?: { path: string; display: string }): Config {
  if (options.config) return loadConfig(options.config);
  return fallback ? loadConfig(fallback.path, fallback.display) : loadConfig(null);
}
