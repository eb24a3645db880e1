import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const README_PATH = join(__dirname, '../../../README.md');

/** One `curl` line of the README, with what the README says it answers. */
export interface ReadmeExample {
  /** The line as the README shows it. */
  line: string;
  method: string;
  /** As written, host and all (`localhost:8000/api/stats`). */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** 200, unless the line's comment starts with another status (`# 202; then poll ...`). */
  status: number;
  /** The JSON shown on the `# {...}` line under it, if any: fields the answer must have, as shown. */
  shown?: unknown;
}

/** Splits a command line into words as sh does for the quoting the README uses: '...', "..." and spaces. */
function shellWords(command: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const char = command[i];
    if (char === "'" || char === '"') {
      const end = command.indexOf(char, i + 1);
      if (end < 0) throw new Error(`unclosed ${char} in: ${command}`);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (char === ' ') {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === '#' && word === null) {
      return { words, comment: command.slice(i + 1).trim() };
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== null) words.push(word);
  return { words, comment: '' };
}

/** The curl options the README uses; any other makes the test fail, rather than be ignored. */
function parseCurl(line: string): Omit<ReadmeExample, 'shown'> {
  const { words, comment } = shellWords(line);
  const example: Omit<ReadmeExample, 'shown'> = { line, method: 'GET', url: '', headers: {}, status: 200 };
  let methodGiven = false;
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (word === '-X') {
      example.method = words[++i];
      methodGiven = true;
    } else if (word === '-H') {
      const [name, ...value] = words[++i].split(':');
      example.headers[name.trim()] = value.join(':').trim();
    } else if (word === '-d') {
      example.body = words[++i];
      if (!methodGiven) example.method = 'POST';
    } else if (word.startsWith('-')) {
      throw new Error(`the README examples test does not know curl option ${word}: ${line}`);
    } else {
      example.url = word;
    }
  }
  const status = /^(\d{3})\b/.exec(comment);
  if (status) example.status = Number(status[1]);
  return example;
}

/**
 * Every `curl` line in the README's `sh` blocks, in README order. A line right under a curl line (or under
 * its shown answer) that starts with `# {` is JSON the answer must match.
 */
export function readmeExamples(readme = readFileSync(README_PATH, 'utf8')): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  let inShell = false;
  let current: ReadmeExample | undefined;
  for (const raw of readme.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) {
      inShell = !inShell && line === '```sh';
      current = undefined;
    } else if (inShell && line.startsWith('curl ')) {
      current = parseCurl(line);
      examples.push(current);
    } else if (inShell && current && line.startsWith('# {')) {
      current.shown = JSON.parse(line.slice(2));
    } else {
      current = undefined;
    }
  }
  return examples;
}
