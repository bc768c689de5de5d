/**
 * The maintainer scripts that refresh grammar/ from a buildx release, run against a small git
 * repository laid out like docker/buildx (two releases of commands/create.go and a driver factory).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir';

const root = join(__dirname, '../..');

function fakeBuildx(): string {
  const dir = tempDir('kbx-fake-buildx-');
  const git = (...a: string[]) =>
    execFileSync('git', ['-C', dir, ...a], { stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  git('init', '-q');
  mkdirSync(join(dir, 'commands'));
  mkdirSync(join(dir, 'driver/kubernetes'), { recursive: true });
  const create = (extra: string) =>
    `package commands\nfunc createCmd() {\n\tflags := cmd.Flags()\n\tflags.StringVar(&options.name, "name", "", "Builder instance name")\n\tflags.BoolVar(&options.use, "use", false, "Set the current builder instance")\n${extra}}\n`;
  writeFileSync(join(dir, 'commands/create.go'), create(''));
  writeFileSync(join(dir, 'driver/kubernetes/factory.go'), 'switch {\ncase k == "namespace":\ncase k == "image":\n}\n');
  git('add', '-A');
  git('commit', '-qm', 'one');
  git('tag', 'v0.2.0');
  writeFileSync(
    join(dir, 'commands/create.go'),
    create('\tflags.StringArrayVar(&options.driverOpts, "driver-opt", []string{}, "Options for the driver")\n\tflags.StringVarP(&options.extra, "brand-new", "b", "", "x")\n'),
  );
  writeFileSync(join(dir, 'driver/kubernetes/factory.go'), 'switch {\ncase k == "namespace":\ncase k == "image":\ncase k == "shiny":\ncase strings.HasPrefix(k, "env."):\n}\n');
  git('commit', '-qam', 'two');
  git('tag', 'v0.3.0');
  git('tag', 'v0.4.0-rc1');
  return dir;
}

/** A copy of the project's scripts and grammar, so --write never touches the real tables. */
function sandbox(): string {
  const dir = tempDir('kbx-grammar-');
  cpSync(join(root, 'scripts'), join(dir, 'scripts'), { recursive: true });
  cpSync(join(root, 'grammar'), join(dir, 'grammar'), { recursive: true });
  mkdirSync(join(dir, 'test'));
  const grammarFile = join(dir, 'grammar/buildx-commands.json');
  const grammar = JSON.parse(readFileSync(grammarFile, 'utf8'));
  for (const c of Object.values(grammar.commands) as { flags: { since?: string }[] }[]) for (const f of c.flags) delete f.since;
  writeFileSync(grammarFile, JSON.stringify(grammar));
  return dir;
}

describe('grammar refresh scripts', () => {
  const buildx = fakeBuildx();

  it('buildx-since records the first release of each flag', () => {
    const box = sandbox();
    const out = execFileSync('node', [join(box, 'scripts/buildx-since.mjs'), buildx, '--write'], { encoding: 'utf8' });
    expect(out).toContain('create --driver-opt: (none) -> v0.3');
    const grammar = JSON.parse(readFileSync(join(box, 'grammar/buildx-commands.json'), 'utf8'));
    const flag = (n: string) => grammar.commands.create.flags.find((f: { name: string }) => f.name === n);
    expect(flag('name').since).toBe('v0.2');
    expect(flag('driver-opt').since).toBe('v0.3');
  });

  it('refresh-grammar reports added flags and driver options, and writes flags', () => {
    const box = sandbox();
    const out = execFileSync('node', [join(box, 'scripts/refresh-grammar.mjs'), buildx], { encoding: 'utf8' });
    expect(out).toContain('create: + --brand-new (string)');
    expect(out).toContain('driver kubernetes: + shiny');
    expect(out).not.toContain('+ env.');
    expect(out).toMatch(/create: - --bootstrap/);
    execFileSync('node', [join(box, 'scripts/refresh-grammar.mjs'), buildx, '--write'], { encoding: 'utf8' });
    const grammar = JSON.parse(readFileSync(join(box, 'grammar/buildx-commands.json'), 'utf8'));
    expect(grammar.commands.create.flags.find((f: { name: string }) => f.name === 'brand-new')).toMatchObject({ type: 'string', shorthand: 'b' });
  });
});
