/** Many spellings of one command line must give the same argv. */
import { describe, expect, it } from 'vitest';
import { allArgv, parse } from '../harness/bash-oracle';

const tables: { argv: string[]; spellings: string[] }[] = [
  {
    argv: ['docker', 'buildx', 'create', '--driver-opt=a=b'],
    spellings: [
      'docker buildx create --driver-opt=a=b',
      'docker buildx create --driver-opt=a\\=b',
      'docker buildx create "--driver-opt=a=b"',
      "docker buildx create '--driver-opt'=a=b",
      'docker buildx create --driver-opt=a"=b"',
      'docker buildx create --driver-\\\nopt=a=b',
      "docker buildx create $'--driver-opt=a=b'",
      'docker buildx create $"--driver-opt=a=b"',
      'docker \\\n  buildx \\\n  create \\\n  --driver-opt=a=b',
      'd"ock"er bu\'ild\'x cr\\eate --driver-opt=\'a\'"="b',
      "docker buildx create $'--driver-opt\\x3da\\075b'",
      'docker buildx create --driver-opt=a=b # trailing comment',
      '  docker\tbuildx   create --driver-opt=a=b ;',
      'docker buildx create --driver-opt={a=b}'.replace('{a=b}', 'a=b'),
      'docker buildx create "--driver-opt=a"\\\n"=b"',
    ],
  },
  {
    argv: ['docker', 'buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '.'],
    spellings: [
      'docker buildx build --platform linux/amd64,linux/arm64 .',
      'docker buildx build --platform linux/amd64\\,linux/arm64 .',
      'docker buildx build --platform "linux/amd64,linux/arm64" .',
      "docker buildx build --platform 'linux/amd64,linux/arm64' .",
      'docker buildx build --platform linux/{amd64,arm64} .'.replace('linux/{amd64,arm64}', '"linux/amd64,linux/arm64"'),
      'docker buildx build --platform linux/amd64","linux/arm64 .',
      "docker buildx build --platform $'linux/amd64,linux/arm64' .",
      'docker buildx build --platform linux/amd64,\\\nlinux/arm64 .',
      'docker buildx build --platform "linux/amd64,"\'linux/arm64\' .',
    ],
  },
  {
    argv: ['echo', 'a b', 'c'],
    spellings: ['echo "a b" c', "echo 'a b' c", 'echo a\\ b c', "echo $'a\\x20b' c", 'echo a" "b c', 'echo "a"\' \'"b" "c"'],
  },
  {
    argv: ['printf', 'x-a', 'x-b'],
    spellings: ['printf x-{a,b}', 'printf x-a x-b', "printf 'x-'{a,b}", 'printf x-{a..b}', 'printf {x-a,x-b}'],
  },
];

describe('many spellings, same argv', () => {
  for (const t of tables) {
    for (const s of t.spellings) {
      it(JSON.stringify(s), () => {
        expect(parse(s).errors).toEqual([]);
        expect(allArgv(s)).toEqual([t.argv.join(' ')]);
      });
    }
  }
});
