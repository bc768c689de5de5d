/**
 * The Markdown host: which code blocks are read, what the shell sees of them, and where each
 * character comes from — through block quotes, lists, indentation, CRLF and tabs. The differential
 * part runs the extracted text of generated pages under real bash with a stub docker.
 */
import { describe, expect, it } from 'vitest';
import { DYNAMIC, type MappedString } from '../../server/src/core/mapped-string';
import { applyEdits } from '../../server/src/core/fix';
import { codeBlocks, infoLanguage, readMarkdown } from '../../server/src/hosts/markdown';
import { explainFile } from '../../server/src/cli/explain';
import { buildModel, lint } from '../../server/src/engine/lint';
import { growth } from '../harness/cost';
import { mulberry32 } from '../harness/random';
import { runScript } from '../harness/stub-docker';
import { checkInput, genFile, mutate, Rng, seedFiles } from '../fuzz/fuzz-lib';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shell text read from each code block (a session gives one region per command). */
const texts = (md: string): string[] => {
  const byScope = new Map<string, string>();
  for (const r of readMarkdown(md).regions) byScope.set(r.scope!, (byScope.get(r.scope!) ?? '') + r.source.text);
  return [...byScope.values()];
};
const lintMd = (md: string) => lint({ text: md, fileName: 'README.md' });
/** Each diagnostic as `CODE:file text under its span`. */
const found = (md: string): string[] => lintMd(md).diagnostics.map((d) => `${d.code}:${md.slice(d.span.start, d.span.end)}`);

/** Every character read maps to the same character of the file (a newline to a line ending). */
function expectExactMap(md: string, ms: MappedString): void {
  for (let i = 0; i < ms.text.length; i++) {
    const src = md.slice(ms.starts[i], ms.ends[i]);
    if (ms.text[i] === '\n') expect(['\n', '\r\n']).toContain(src);
    else if (ms.text[i] !== DYNAMIC) expect(src).toBe(ms.text[i]);
  }
}

const SPLIT = 'docker buildx create --driver kubernetes --driver-opt namespace=ci,nodeselector=kubernetes.io/arch=amd64,pool=ci';

describe('which blocks are read', () => {
  it('reads shell and session tags, skips other languages, prose and inline code', () => {
    const md = [
      'Run `docker buildx create --driver-opt nodeselector=a=b,c=d` first.',
      '',
      'docker buildx create --driver-opt nodeselector=a=b,c=d',
      '',
      '```dockerfile',
      'RUN docker buildx create --driver-opt nodeselector=a=b,c=d',
      '```',
      '```yaml',
      'run: docker buildx create --driver-opt nodeselector=a=b,c=d',
      '```',
      '```bash',
      'docker buildx ls # bash',
      '```',
      '```sh',
      'docker buildx ls # sh',
      '```',
      '```zsh',
      'docker buildx ls # zsh',
      '```',
      '```shell',
      'docker buildx ls # shell',
      '```',
      '```console',
      '$ docker buildx ls # console',
      '```',
      '```shell-session',
      '$ docker buildx ls # session',
      '```',
      '',
    ].join('\n');
    expect(texts(md)).toEqual([
      'docker buildx ls # bash\n',
      'docker buildx ls # sh\n',
      'docker buildx ls # zsh\n',
      'docker buildx ls # shell\n',
      'docker buildx ls # console\n',
      'docker buildx ls # session\n',
    ]);
    expect(readMarkdown(md).regions.map((r) => r.dialect)).toEqual(['bash', 'sh', 'bash', 'bash', 'bash', 'bash']);
  });

  it('reads untagged blocks only when their first command runs docker or buildx', () => {
    const md = '```\nls -l\ndocker buildx ls\n```\n\n```\n# set up\nDOCKER_BUILDKIT=1 docker buildx ls\n```\n\n    sudo docker buildx ls\n\ntext\n\n    make all\n';
    expect(texts(md)).toEqual(['# set up\nDOCKER_BUILDKIT=1 docker buildx ls\n', 'sudo docker buildx ls']);
  });

  it('reads an untagged or prompt-less block whose docker command follows set-up lines', () => {
    const md = [
      '```',
      'export API_SERVER_IMAGE=api_server',
      'docker build -f backend/Dockerfile . --tag $API_SERVER_IMAGE',
      '```',
      '```console',
      'cd ray-operator',
      'docker buildx build --tag quay.io/<my org>/operator:latest --platform linux/amd64,linux/arm64 --push .',
      '```',
      '```',
      '$ IMG_REPO=<your image repo>',
      '',
      '$ docker build -t $IMG_REPO/goofys:demo .',
      '```',
      // Output after a set-up line, and set-up lines alone, are still not commands.
      '```',
      'cd x',
      'Successfully built 0123abcd',
      'docker buildx ls',
      '```',
      '```',
      'export A=b',
      'git clone https://example.com/docker',
      '```',
      '',
    ].join('\n');
    const argv = buildModel({ text: md, fileName: 'a.md' }).invocations.map((i) => i.argv.map((a) => a.value.text.replace(/\uE000/g, '*')).join(' '));
    expect(argv).toEqual(['build -f backend/Dockerfile . --tag api_server', 'buildx build --tag quay.io/*/operator:latest --platform linux/amd64,linux/arm64 --push .', 'build -t */goofys:demo .']);
    expect(found(md)).toEqual([]);
  });

  it('reads MDX pages like Markdown, JSX around the code blocks included', () => {
    const mdx = "import Tabs from '@theme/Tabs';\n\n<Tabs>\n\n```shell\ndocker buildx build -t Bad .\n```\n\n</Tabs>\n";
    expect(lint({ text: mdx, fileName: 'docs/faq.mdx' }).diagnostics.map((d) => `${d.code}:${mdx.slice(d.span.start, d.span.end)}`)).toEqual(['KBX505:B']);
  });

  it('does not read a block that never names docker or buildx', () => {
    // An indented here-document delimiter is a doc slip bash only warns about, and no buildx runs.
    const md = '```bash\n  cat <<EOF\n  kustomize_substitutions:\n  EOF\n```\n\n```bash\necho "unterminated\n```\n\n```bash\ndocker buildx ls "unterminated\n```\n';
    expect(texts(md)).toEqual(['docker buildx ls "unterminated\n']);
    expect(found(md).map((f) => f.split(':')[0])).toEqual(['KBX601']);
  });

  it('finds the language in info strings with attributes', () => {
    expect(['bash title="x"', '{.bash .numberLines}', 'sh{1,3}', 'Console', '.zsh', 'shell-session  ', '{bash}'].map(infoLanguage)).toEqual([
      'bash',
      'bash',
      'sh',
      'console',
      'zsh',
      'shell-session',
      'bash',
    ]);
    const md = '```bash title="setup.sh" {2}\ndocker a\n```\n~~~{.sh}\ndocker b\n~~~\n````bash\n```\ndocker c\n````\n';
    expect(texts(md)).toEqual(['docker a\n', 'docker b\n', '```\ndocker c\n']);
  });

  it('reads a fence that is never closed up to the end of its container', () => {
    expect(texts('> ```sh\n> docker a\n\nprose\n')).toEqual(['docker a']);
    expect(texts('```sh\ndocker a')).toEqual(['docker a']);
  });
});

describe('console sessions', () => {
  it('reads prompt lines and their continuations, never output', () => {
    const md = [
      '```console',
      '$ docker buildx create --name k8s \\',
      '    --driver kubernetes',
      'k8s',
      'user@host:~/src$ docker buildx ls',
      'NAME/NODE  DRIVER/ENDPOINT  STATUS',
      '(venv) [me@box dir]$ echo "a',
      'b"',
      '% echo zsh',
      '$ cat <<EOF',
      'docker buildx rm x',
      'EOF',
      'output: docker buildx rm y',
      '$ for i in 1; do',
      '>   echo $i',
      '> done',
      '```',
      '',
    ].join('\n');
    expect(texts(md)).toEqual([
      'docker buildx create --name k8s \\\n    --driver kubernetes\ndocker buildx ls\necho "a\nb"\necho zsh\ncat <<EOF\ndocker buildx rm x\nEOF\nfor i in 1; do\n  echo $i\ndone\n',
    ]);
    const inv = buildModel({ text: md, fileName: 'a.md' }).invocations;
    expect(inv.map((i) => i.command)).toEqual(['create', 'ls']);
    expectExactMap(md, readMarkdown(md).regions[0].source);
  });

  it('reads a bare `# ` as a comment; a root prompt needs its owner', () => {
    // Read as a root prompt this would run `docker buildx ls`; as a comment the block has no prompt
    // and does not start by running docker, so it is output.
    expect(texts('```console\n# docker buildx ls\nout\n```\n')).toEqual([]);
    expect(texts('```console\n# docker buildx ls\ndocker buildx ls\n```\n')).toEqual(['# docker buildx ls\ndocker buildx ls\n']);
    expect(texts('```console\n# docker buildx create explains itself\n$ docker buildx ls\n```\n')).toEqual(['docker buildx ls\n']);
    expect(texts('```console\nroot@box:/# docker buildx ls\n[root@box /]# echo a\nout\n```\n')).toEqual(['docker buildx ls\necho a\n']);
    // Comments and commands without prompts, as documentation writes them: a script.
    const md = '```console\n# Replace <registry> with your user\ndocker buildx build \\\n  -t <registry>/app --push .\n```\n';
    expect(buildModel({ text: md, fileName: 'a.md' }).invocations.map((i) => i.command)).toEqual(['build']);
  });

  it('reads the lines that finish a compound command typed at a prompt, as bash does', () => {
    const md = '```bash\n$ for pkg in a b;\ndo\n    docker buildx rm $pkg;\ndone\n$ if true; then docker buildx ls; fi\nNAME/NODE\n```\n';
    expect(texts(md)).toEqual(['for pkg in a b;\ndo\n    docker buildx rm $pkg;\ndone\nif true; then docker buildx ls; fi\n']);
    expect(found(md)).toEqual([]);
    // Whether a line leaves bash waiting for more, compared with bash itself (`bash -n` on the
    // line alone ends in "unexpected end of file" exactly when it does).
    const lines = [
      'for pkg in a b;',
      'for x in 1; do echo $x; done',
      'while true; do',
      'if [ -f a ]; then echo; elif true; then',
      'case $x in a) echo;; esac',
      'echo for while if',
      'echo done; for i in 1 2',
      './run if',
      'echo \'for\' "while"',
      'until false; do :; done | cat',
      '{ echo; }',
      'if true; then for i in 1; do echo; done',
      'time for i in 1; do echo; done',
      '! if true; then echo; fi',
      'select x in a b; do break; done',
      'echo x # for',
    ];
    for (const line of lines) {
      const bash = spawnSync('bash', ['--norc', '-n', '-c', line], { encoding: 'utf8' });
      const waits = /unexpected end of file/.test(bash.stderr);
      const block = `\`\`\`console\n$ ${line}\ndocker buildx ls\n\`\`\`\n`;
      expect(texts(block).join('').includes('docker buildx ls'), line).toBe(waits);
    }
  });

  it('reads each prompt as its own command: an unclosed quote does not swallow the next one', () => {
    const md = "```console\n$ kubectl get pods -o json | jq -r '.items[].name\npod-1\n$ docker buildx create --driver kubernetes \\\n  --driver-opt nodeselector=a=b,pool=ci\nx\n```\n";
    const regions = readMarkdown(md).regions;
    expect(regions.map((r) => r.source.text)).toEqual([
      // The shell reads on inside the open quote up to the next prompt.
      "kubectl get pods -o json | jq -r '.items[].name\npod-1\n",
      'docker buildx create --driver kubernetes \\\n  --driver-opt nodeselector=a=b,pool=ci\n',
    ]);
    expect(new Set(regions.map((r) => r.scope)).size).toBe(1);
    expect(found(md)).toEqual(["KBX601:'.items[].name\npod-1\n", 'KBX101:pool=ci']);
  });

  it('a block that does not parse and names no container tool is not read: a drawn directory tree', () => {
    const tree = '```bash\n/app\n  |- run.sh        # the entry point, the CMD of the Dockerfile\n  |- config/       # settings\n      |- a.txt\n```\n';
    // bash itself rejects it (`|` with no command before it): it is a picture, not a script.
    const bash = spawnSync('bash', ['-n'], { input: tree.split('\n').slice(1, -2).join('\n'), encoding: 'utf8' });
    expect(bash.status).not.toBe(0);
    const page = `Run it with:\n\n\`\`\`bash\ndocker buildx build --platform linux/x86_64 .\n\`\`\`\n\nThe files:\n\n${tree}`;
    expect(found(page)).toEqual(['KBX412:linux/x86_64']);
    // The same drawing next to a docker command is read, and its error reported.
    expect(found(tree.replace('/app\n', '/app\ndocker buildx ls\n')).map((f) => f.split(':')[0])).toContain('KBX601');
    // A command typed at a prompt is read whatever it runs (the unclosed quote below).
    expect(found("```console\n$ jq -r '.items[].name\npod-1\n$ docker buildx ls\n```\n").map((f) => f.split(':')[0])).toEqual(['KBX601']);
  });

  it('reads a console block without any prompt as a script when it runs docker, else as output', () => {
    expect(texts('```console\ndocker buildx ls\n```\n')).toEqual(['docker buildx ls\n']);
    // A tool's own session (the buildx monitor) is output, whatever its words look like.
    const monitor =
      '```console\n(buildx) help\nAvailable commands are:\n  ps\t\tlist processes invoked by "exec". Use "attach" to attach IO to that process\n  rollback\tre-runs the container with the step\'s rootfs\n```\n';
    expect(texts(monitor)).toEqual([]);
    expect(found(monitor)).toEqual([]);
  });

  it("ends a command at another shell's prompt and does not read that prompt's command", () => {
    const md =
      '```console\nPS E:\\myproject> docker build -t cmd .\n\nSending build context to Docker daemon 3.072 kB\nStep 1/2 : FROM microsoft/nanoserver\n ---> 22738ff49c6d\nPS E:\\myproject>\n$ docker buildx ls\nC:\\src> docker build .\n```\n';
    expect(texts(md)).toEqual(['docker buildx ls\n']);
    expect(found(md)).toEqual([]);
  });

  it('reads a shell block whose first command has a prompt as a session; else strips `$ ` only', () => {
    expect(texts('```bash\n$ docker buildx ls\nNAME  DRIVER\ndefault docker\n```\n')).toEqual(['docker buildx ls\n']);
    expect(texts('```bash\nexport A=1\n$ docker buildx ls\n```\n')).toEqual(['export A=1\ndocker buildx ls\n']);
  });

  it('stops reading a prompt-less block where the build output starts', () => {
    const md =
      '```\ngit clone https://example.com/app.git\ndocker build -t app .\n\nStep 0 : FROM ubuntu:12.04\n ---&gt; 9cd978db300e\nStep 1 : RUN apt-get update &amp;&amp; apt-get install -y git\n ---> Running in b32a\ndone\n```\n';
    expect(texts(md)).toEqual(['git clone https://example.com/app.git\ndocker build -t app .\n\n']);
    expect(found(md)).toEqual([]);
    // A continued command is not output, whatever its next line starts with.
    expect(texts('```bash\ndocker build \\\n  --build-arg A=1 .\n```\n')).toEqual(['docker build \\\n  --build-arg A=1 .\n']);
  });

  it('reads an untagged block with a prompt after a banner line as a transcript', () => {
    expect(texts('```\n[node1] (local) root@192.168.0.38 /test\n$ docker build -t pythonimage .\nSending build context\n```\n')).toEqual(['docker build -t pythonimage .\n']);
  });

  it('does not read PowerShell written in a block tagged as shell', () => {
    expect(found('```shell\n& minikube -p minikube docker-env --shell powershell | Invoke-Expression\n```\n')).toEqual([]);
    expect(texts('```shell\n$env:DOCKER_BUILDKIT = 1\ndocker build -t a .\n```\n')).toEqual([]);
    // `&&` and a background `&` are shell.
    expect(texts('```shell\ncd app && docker build -t a . &\n```\n')).toEqual(['cd app && docker build -t a . &\n']);
  });

  it("does not read a transcript whose command goes on after PowerShell's backtick", () => {
    const md = '```console\n$ docker buildx bake --file=docker-bake.hcl windows --print `\n    | ConvertFrom-Json `\n    | Set-Content out.json\n```\n';
    expect(texts(md)).toEqual([]);
    expect(found(md)).toEqual([]);
    expect(texts('```shell\ndocker build `\n  --platform windows/amd64 `\n  -t a .\n```\n')).toEqual([]);
    // Bash's own backquotes: closed on the line, or a lone one with nothing after it.
    expect(texts('```shell\ndocker build -t `cat tag` .\n```\n')).toEqual(['docker build -t `cat tag` .\n']);
    expect(found('```console\n$ docker build -t a . `\n```\n')).toEqual(['KBX601:`\n']);
  });

  it('ignores output that looks like a buildx mistake', () => {
    const md = '```console\n$ docker buildx inspect\n' + SPLIT + '\n```\n';
    expect(found(md)).toEqual([]);
  });
});

describe('placeholders and elisions', () => {
  it('reads <placeholder> as an unknown word, not as redirections', () => {
    const md = '```bash\ndocker buildx create --name <builder-name> --driver-opt nodeselector=<KEY>=<value> <your endpoint>\n```\n';
    const m = buildModel({ text: md, fileName: 'a.md' });
    expect(m.syntaxErrors).toEqual([]);
    const [inv] = m.invocations;
    const argv = inv.argv.map((a) => a.value.text);
    expect(argv).toEqual(['buildx', 'create', '--name', DYNAMIC, '--driver-opt', `nodeselector=${DYNAMIC}=${DYNAMIC}`, DYNAMIC]);
    const ph = inv.argv[3].value;
    expect(md.slice(ph.starts[0], ph.ends[0])).toBe('<builder-name>');
    expect(found(md)).toEqual([]);
  });

  it('reads a capitals part after a registry host as a placeholder, a mixed-case one as written', () => {
    const md = (tag: string) => '```bash\ndocker build \\\n    --platform linux/arm64 \\\n    --tag ' + tag + ' \\\n    --push .\n```\n';
    expect(found(md('ghcr.io/YOUR_GH_USERNAME/aarch64-supervisor:latest'))).toEqual([]);
    expect(found(md('gcr.io/MY-PROJECT/app'))).toEqual([]);
    expect(found(md('registry.example.com:5000/TEAM/app:1'))).toEqual([]);
    const argv = buildModel({ text: md('ghcr.io/YOUR_GH_USERNAME/app:1'), fileName: 'a.md' }).invocations[0].argv.map((a) => a.value.text.replace(/\uE000/g, '*'));
    expect(argv).toContain('ghcr.io/*/app:1');
    // A capital in another place is a mistake the reader would copy.
    expect(found(md('ghcr.io/Team/app')).map((f) => f.split(':')[0])).toEqual(['KBX505']);
    expect(found(md('ghcr.io/team/APP')).map((f) => f.split(':')[0])).toEqual(['KBX505']);
  });

  it('reads usage notation and arguments in capitals as placeholders', () => {
    const md = [
      '```console',
      '$ docker buildx create --driver kubernetes --driver-opt=[key=value,...]',
      '$ docker buildx build -f [PATH|URL|-] .',
      '$ docker buildx build --secret=[type=file,]id=<ID>[,src=<FILEPATH>] -t TAG --push .',
      '$ docker buildx create [OPTIONS] --name=NAME',
      '$ docker buildx build --cache-to type=registry,ref=<registry>/<image>[,parameters...] .',
      '```',
      '',
    ].join('\n');
    expect(found(md)).toEqual([]);
    const argv = buildModel({ text: md, fileName: 'a.md' }).invocations.map((i) => i.argv.map((a) => a.value.text.replace(/\uE000/g, '*')).join(' '));
    expect(argv).toEqual([
      'buildx create --driver kubernetes --driver-opt=*',
      'buildx build -f * .',
      'buildx build --secret=*id=**' + ' -t * --push .',
      'buildx create * --name=*',
      'buildx build --cache-to type=registry,ref=*/** .',
    ]);
    // Capitals that start a line, or follow `<<`, such as a here-document's delimiter, stay as written.
    expect(texts('```bash\ncat <<EOF\nA\nEOF\ndocker buildx ls\n```\n')).toEqual(['cat <<EOF\nA\nEOF\ndocker buildx ls\n']);
    const heredoc = '```bash\ncat << EOF > Dockerfile\nFROM alpine:latest\nEOF\ncat <<- END\n\tx\n\tEND\ndocker build -t app .\n```\n';
    expect(texts(heredoc)).toEqual(['cat << EOF > Dockerfile\nFROM alpine:latest\nEOF\ncat <<- END\n\tx\n\tEND\ndocker build -t app .\n']);
    expect(found(heredoc)).toEqual([]);
  });

  it('reads `<...>` and words in brackets with spaces as placeholders; never a test or a glob', () => {
    const md =
      '```console\n$ FOO=bar docker buildx bake <...>\n$ docker build -t [your registry]/actorload .\n$ docker build -f Dockerfile_stream -t [YOUR MAPPER IMAGE NAME] .\n$ docker build -t {MY-REGISTRY}/mnist-model -f Dockerfile.model .\n' +
      '$ docker build -t {Image repository address}/{Organization name}/{Image name:tag} .\n$ docker buildx build … --platform linux/amd64,linux/386 [--tag jpetazzo/hello --push]\n```\n';
    expect(found(md)).toEqual([]);
    const argv = buildModel({ text: md, fileName: 'a.md' }).invocations.map((i) => i.argv.map((a) => a.value.text.replace(/\uE000/g, '*')).join(' '));
    expect(argv).toEqual([
      'buildx bake *',
      'build -t */actorload .',
      'build -f Dockerfile_stream -t * .',
      'build -t */mnist-model -f Dockerfile.model .',
      'build -t */*/* .',
      'buildx build * --platform linux/amd64,linux/386 *',
    ]);
    // A brace group and a test are commands, not placeholders.
    expect(texts('```bash\n{ docker buildx ls; } && [ -n "$x" ] && [[ -f a ]]\n```\n')).toEqual(['{ docker buildx ls; } && [ -n "$x" ] && [[ -f a ]]\n']);
    // Go templates, find's `{}` and parameter expansions are not placeholders.
    expect(texts("```bash\ndocker buildx ls --format '{{.Name}}' ${HOME} {a,b}\nfind . -exec echo {} \\;\n```\n")).toEqual([
      "docker buildx ls --format '{{.Name}}' ${HOME} {a,b}\nfind . -exec echo {} \\;\n",
    ]);
    expect(texts('```bash\nif [ -f a ] && [[ $x == y ]]; then ls [abc] [a-z]*; fi\ndocker buildx ls\n```\n')).toEqual(['if [ -f a ] && [[ $x == y ]]; then ls [abc] [a-z]*; fi\ndocker buildx ls\n']);
  });

  it("reads a docs generator's template tokens as placeholders: %%IMAGE%%, @VERSION@", () => {
    const md = '```console\n$ docker build --tag my_local_%%IMAGE%%:3.5.2-jdk-8 .\n$ docker buildx build -t app:@VERSION@ --platform linux/amd64 .\n```\n';
    expect(found(md)).toEqual([]);
    const argv = buildModel({ text: md, fileName: 'content.md' }).invocations.map((i) => i.argv.map((a) => a.value.text.replace(/\uE000/g, '*')).join(' '));
    expect(argv).toEqual(['build --tag my_local_*:3.5.2-jdk-8 .', 'buildx build -t app:* --platform linux/amd64 .']);
    // A single percent sign, an e-mail address and printf's %% stay as written.
    expect(texts("```bash\nprintf '100%%\\n' && git config user.email me@EXAMPLE.COM && date +%H%M\ndocker buildx ls\n```\n")).toEqual([
      "printf '100%%\\n' && git config user.email me@EXAMPLE.COM && date +%H%M\ndocker buildx ls\n",
    ]);
  });

  it('reads placeholders written in any script: <上下文路径/URL/->, [选项], --username=<账户ID>', () => {
    const md = '```bash\ndocker build [选项] <上下文路径/URL/->\ndocker login registry.example.com \\\n  --username=<阿里云账户ID>\n```\n';
    expect(found(md)).toEqual([]);
    const argv = buildModel({ text: md, fileName: 'build.md' }).invocations.map((i) => i.argv.map((a) => a.value.text.replace(/\uE000/g, '*')).join(' '));
    expect(argv).toEqual(['build * *']);
    // An ASCII glob class, a one-character class and a test stay as written.
    expect(texts('```bash\nls [abc] && [ -f x ] && ls [é]\ndocker buildx ls\n```\n')).toEqual(['ls [abc] && [ -f x ] && ls [é]\ndocker buildx ls\n']);
  });

  it("reads a page template's unquoted {{ actions }} as placeholders, never a --format template", () => {
    const md = '```bash\ndocker buildx build -t {{.ServerName}}:latest .\ndocker buildx imagetools inspect --format {{.Name}} app\ndocker buildx ls --format "{{.Name}}"\n```\n';
    expect(found(md)).toEqual([]);
    const argv = buildModel({ text: md, fileName: 'README.md' }).invocations.map((i) => i.argv.map((a) => a.value.text.replace(/\uE000/g, '*')).join(' '));
    expect(argv).toEqual(['buildx build -t *:latest .', 'buildx imagetools inspect --format {{.Name}} app', 'buildx ls --format {{.Name}}']);
  });

  it('reads `docker build / push / pull` as a list of alternatives, not a command', () => {
    expect(texts('```bash\ndocker build / push / pull / tag\ndocker buildx build -f x /\n```\n')).toEqual(['\ndocker buildx build -f x /\n']);
    expect(found('```bash\ndocker build / push / pull / tag\n```\n')).toEqual([]);
  });

  it('leaves here-documents, process substitution and real redirections alone', () => {
    expect(texts('```bash\ncat <<EOF >out\nx\nEOF\ndiff <(docker buildx ls) b 2>&1 <in\n```\n')).toEqual(['cat <<EOF >out\nx\nEOF\ndiff <(docker buildx ls) b 2>&1 <in\n']);
  });

  it('reads `...` and `…` lines as nothing and `...` arguments as unknown', () => {
    const md = '```bash\ndocker buildx ls\n...\n…\ndocker buildx build \\\n  --platform linux/amd64 \\\n  ... \\\n  [...] .\n```\n';
    const m = buildModel({ text: md, fileName: 'a.md' });
    expect(m.invocations.map((i) => i.command)).toEqual(['ls', 'build']);
    expect(m.invocations[1].argv.map((a) => a.value.text)).toEqual(['buildx', 'build', '--platform', 'linux/amd64', DYNAMIC, DYNAMIC, '.']);
    expect(lintMd(md).diagnostics).toEqual([]);
  });
});

describe('exact spans', () => {
  const where = (md: string) =>
    lintMd(md)
      .diagnostics.filter((d) => d.code === 'KBX101')
      .map((d) => md.slice(d.span.start, d.span.end));

  it('at top level, in a list, in a block quote, in both', () => {
    const top = '```bash\n' + SPLIT + '\n```\n';
    const list = '- step one:\n\n  ```bash\n  ' + SPLIT + '\n  ```\n';
    const ordered = '10. step\n\n    ~~~sh\n    docker buildx create --driver kubernetes \\\n      --driver-opt namespace=ci,nodeselector=kubernetes.io/arch=amd64,pool=ci\n    ~~~\n';
    const quote = '> Note:\n>\n> ```console\n> $ docker buildx create --driver kubernetes \\\n>     --driver-opt namespace=ci,nodeselector=kubernetes.io/arch=amd64,pool=ci\n> ```\n';
    const nested = '> - item\n>\n>   ```bash\n>   ' + SPLIT + '\n>   ```\n';
    for (const md of [top, list, ordered, quote, nested]) {
      expect(where(md), md).toEqual(['pool=ci']);
      for (const r of readMarkdown(md).regions) expectExactMap(md, r.source);
    }
  });

  it('with CRLF line endings and a byte order mark', () => {
    const md = '\uFEFF# Title\r\n\r\n> ```console\r\n> $ docker buildx create --driver kubernetes \\\r\n>   --driver-opt namespace=ci,nodeselector=a=b,pool=ci\r\n> ```\r\n';
    expect(where(md)).toEqual(['pool=ci']);
    const [r] = readMarkdown(md).regions;
    expect(r.source.text).not.toContain('\r');
    expect(r.source.text).toContain('\\\n');
    expectExactMap(md, r.source);
  });

  it('with tabs in the container prefix and the content', () => {
    const md = '-\titem\n\n\t```bash\n\tdocker buildx create --driver kubernetes\t--driver-opt namespace=ci,nodeselector=a=b,pool=ci\n\t```\n';
    expect(where(md)).toEqual(['pool=ci']);
    const quote = '>\t```sh\n>\tdocker buildx create --driver kubernetes --driver-opt nodeselector=a=b,pool=ci\n>\t```\n';
    expect(where(quote)).toEqual(['pool=ci']);
  });

  it('a mistake written in prose or inline code is never reported', () => {
    expect(found('Use `' + SPLIT + '` or\n\n' + SPLIT + '\n\n<pre>\n' + SPLIT + '\n</pre>\n')).toEqual([]);
  });

  it('each block is its own scope', () => {
    const md = '```bash\ndocker buildx create --name a\n```\n\n```bash\ndocker buildx create --name a\n```\n';
    const scopes = readMarkdown(md).regions.map((r) => r.scope);
    expect(scopes).toEqual(['block:1', 'block:5']);
  });
});

describe('suppression', () => {
  it('a shell comment in the block or an HTML comment on the page', () => {
    const block = '```bash\n# kbx-lint disable=KBX101\n' + SPLIT + '\n' + SPLIT + '\n```\n';
    expect(found(block).length).toBe(1);
    expect(found('<!-- kbx-lint disable-file=KBX101 -->\n\n' + block)).toEqual([]);
    expect(found('<!-- kbx-lint disable-file=KBX205 -->\n\n' + block).length).toBe(1);
  });
});

describe('fixes', () => {
  const fixOf = (md: string, code: string) => lintMd(md).diagnostics.find((d) => d.code === code)?.fix;

  it('writes plain text back inside a top-level block and inside a quote line', () => {
    for (const md of ['```bash\n' + SPLIT + '\n```\n', '> ```bash\n> ' + SPLIT + '\n> ```\n', '- x\n\n  ```console\n  $ ' + SPLIT + '\n  out\n  ```\n']) {
      const fix = fixOf(md, 'KBX101');
      expect(fix, md).toBeDefined();
      const fixed = applyEdits(md, fix!.edits).text;
      expect(fixed).toContain('\'namespace=ci,"nodeselector=kubernetes.io/arch=amd64,pool=ci"\'');
      expect(lint({ text: fixed, fileName: 'README.md' }).diagnostics.filter((d) => d.code === 'KBX101')).toEqual([]);
    }
  });

  it('refuses a fix that would cross a line inside a block quote, keeps it at top level', () => {
    // The fix for a space-split platform list joins two words across the line continuation.
    const body = 'docker buildx build --platform linux/amd64, \\\n  linux/arm64 -t x .';
    const top = '```bash\n' + body + '\n```\n';
    const quoted = '> ```bash\n> ' + body.replace('\n', '\n> ') + '\n> ```\n';
    const d = (md: string) => lintMd(md).diagnostics.find((x) => x.fix && x.fix.edits.some((e) => /\n/.test(md.slice(e.span.start, e.span.end))));
    const atTop = d(top);
    expect(atTop?.code).toBeDefined();
    const inQuote = lintMd(quoted).diagnostics.find((x) => x.code === atTop!.code);
    expect(inQuote).toBeDefined();
    expect(inQuote!.fix).toBeUndefined();
  });
});

describe('the code block structure comes from CommonMark', () => {
  it('does not take a fence inside a paragraph continuation or an HTML block for code', () => {
    const md = '<details>\n\n```bash\ndocker inside\n```\n\n</details>\n\n<!--\n```bash\ndocker comment\n```\n-->\n';
    expect(texts(md)).toEqual(['docker inside\n']);
  });

  it('gives each line of a list item fence its offsets without the indentation', () => {
    const md = '1. a\n\n   ```bash\n   echo one\n     two\n\n   echo three\n   ```\n';
    const [b] = codeBlocks(md);
    expect(b.lines.map((l) => md.slice(l.start, l.end))).toEqual(['echo one', '  two', '', 'echo three']);
  });
});

/**
 * Random static shell words. Placeholder notation (`<x>`, `[a=b]`, words in capitals) is left
 * out: the host reads it as unknown on purpose, where bash passes it as written.
 */
function word(r: () => number): string {
  const plain = 'abcxyz0189=,./:-_@%+';
  const inner = plain + ' ;|&(){}*?~#!';
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const str = (alphabet: string, max: number) => Array.from({ length: Math.floor(r() * max) }, () => pick([...alphabet])).join('');
  let w = '';
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    switch (Math.floor(r() * 5)) {
      case 0:
        w += str(plain, 6) || 'a';
        break;
      case 1:
        w += "'" + str(inner + '"\\', 8) + "'";
        break;
      case 2:
        w += '"' + str(inner.replace('!', ''), 5) + pick(['', '\\"', '\\\\', "'"]) + '"';
        break;
      case 3:
        w += '\\' + pick([',', '"', "'", ' ', '\\', '=', ';', '&']);
        break;
      default:
        w += pick(['--driver-opt=', 'nodeselector=', 'k=v,', '\'"a=1,b=2"\'']);
    }
  }
  return w;
}

function script(r: () => number): string {
  const lines: string[] = [];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const words = ['docker', 'buildx', 'create'];
    const k = 1 + Math.floor(r() * 5);
    for (let j = 0; j < k; j++) words.push(word(r));
    lines.push(words.join(r() < 0.3 ? ' \\\n  ' : ' '));
  }
  return lines.join('\n');
}

/** Embeds a script in a block at top level, in a list, in a block quote or in both. */
function embed(r: () => number, s: string, tag: string): string {
  const container = Math.floor(r() * 4);
  const fence = r() < 0.5 ? '```' : '~~~~';
  const block = [fence + tag, ...s.split('\n'), fence];
  const prefixed = (p: string, first = p) => block.map((l, i) => (i === 0 ? first : p) + l);
  switch (container) {
    case 0:
      return block.join('\n');
    case 1:
      return ['- step', '', ...prefixed('  ')].join('\n');
    case 2:
      return prefixed('> ').join('\n');
    default:
      return ['> 1. step', '>', ...prefixed('>    ')].join('\n');
  }
}

describe('differential: the extracted shell text under real bash', () => {
  it('gives the argv explain shows, for 60 random pages', () => {
    const r = mulberry32(9090);
    for (let page = 0; page < 60; page++) {
      const scripts = [script(r), script(r)];
      const md = ['# Page', '', embed(r, scripts[0], r() < 0.5 ? 'bash' : 'sh'), '', 'Text with `docker buildx ls` inline.', '', embed(r, scripts[1], 'bash title="b.sh"'), ''].join('\n');
      const regions = readMarkdown(md).regions;
      // The host gives back exactly the scripts that were embedded.
      expect(
        regions.map((g) => g.source.text),
        md,
      ).toEqual(scripts.map((s) => s + '\n'));
      for (const g of regions) expectExactMap(md, g.source);
      const real = runScript(regions.map((g) => g.source.text).join('')).calls;
      const ours = explainFile('page.md', buildModel({ text: md, fileName: 'page.md' })).map((e) => e.argv);
      expect(ours, md).toEqual(real);
    }
  });
});

describe('hostile input', () => {
  it('does not read a page nested deeper than any person writes, and stays fast on it', () => {
    const list = (d: number) => Array.from({ length: d }, (_, i) => ' '.repeat(i * 2) + '- x').join('\n') + '\n';
    // k is the size in units of depth²: the list's indentation grows with its depth.
    const page = (k: number) => {
      const depth = Math.round(Math.sqrt(k));
      return list(depth) + '```bash\n' + SPLIT + '\n```\n' + '>'.repeat(Math.round(k / 450)) + ' ```bash\n';
    };
    let regions: unknown[] | undefined;
    // Depth 1500 against 3000 (2 MB against 9 MB): about 4x when linear in the size; work per line
    // that grows with the depth of the lines before it would be far above.
    const cost = growth(page, (md) => (regions = readMarkdown(md).regions), 1500 * 1500, { runs: 2, noWarmup: true, maxGrowth: 1 });
    expect(regions).toEqual([]);
    expect(cost.ratio, cost.describe).toBeLessThan(10);
    // Nesting a few levels deep, as documentation does, is read.
    const nested = list(6) + '\n' + ' '.repeat(12) + '```bash\n' + ' '.repeat(12) + SPLIT + '\n' + ' '.repeat(12) + '```\n';
    expect(found(nested)).toEqual(['KBX101:pool=ci']);
  });

  it('reads unbalanced fences, brackets and quotes without failing', () => {
    for (const md of ['```', '```bash\n<', '```bash\n' + '[a='.repeat(2000), '```console\n' + '$ echo "\n'.repeat(500), '> ```sh\n> $ \\', '~~~\n~~~~\n```\n']) {
      expect(() => lintMd(md), md.slice(0, 40)).not.toThrow();
    }
  });
});

describe('fuzz: generated and mutated shell inside Markdown containers', () => {
  it('never throws, never points outside the page, every fix re-reads (200 pages)', () => {
    const rnd = new Rng(mulberry32(4711));
    const shells = seedFiles();
    const page = readFileSync(join(__dirname, '../../examples/docs/kubernetes-builder.md'), 'utf8');
    const tags = ['bash', 'sh', 'console', 'shell-session', '', 'yaml', '{.bash}'];
    for (let i = 0; i < 200; i++) {
      const body = rnd.chance(0.5) ? genFile(rnd) : mutate(rnd, rnd.pick(shells).text, rnd.pick(shells).text);
      const lines = body.split('\n').map((l) => (rnd.chance(0.3) ? '$ ' + l : l));
      const tag = rnd.pick(tags);
      const prefix = rnd.pick(['', '  ', '> ', '>  ', '   ']);
      let md = ['# Page', '', rnd.chance(0.3) ? '- item' : 'Text.', '', '```' + tag, ...lines, '```', ''].map((l, k) => (k >= 4 ? prefix + l : l)).join('\n');
      if (rnd.chance(0.2)) md = md.replace(/\n/g, '\r\n');
      if (rnd.chance(0.3)) md = mutate(rnd, md, page);
      try {
        checkInput(md, 'README.md', { fixAll: rnd.chance(0.3) });
      } catch (e) {
        expect.fail(`page ${i}: ${(e as Error).message}\n${JSON.stringify(md.slice(0, 1500))}`);
      }
    }
  });
});

describe('Markdown: what public docs write around their commands', () => {
  const fence = (tag: string, ...lines: string[]) => ['Text.', '', '```' + tag, ...lines, '```', ''].join('\n');
  const codesOf = (md: string) => lintMd(md).diagnostics.map((d) => d.code);

  it('reads a bracketed hyphenated word as a placeholder, never a glob class', () => {
    const md = fence('', 'docker build -t [test-name] -f [test-dockerfile-name] .');
    expect(codesOf(md)).toEqual([]);
    expect(texts(md)).toEqual([`docker build -t ${DYNAMIC} -f ${DYNAMIC} .\n`]);
    // A character class stays what the shell would glob.
    expect(texts(fence('bash', 'docker buildx build -t img:[a-z] -t [0-9]-x .'))).toEqual(['docker buildx build -t img:[a-z] -t [0-9]-x .\n']);
  });

  it('does not read the lines typed into a Python interpreter a command started', () => {
    const md = fence('bash', 'docker exec -it app bash', 'bench console', '>>> bench.new_doc("DocType", {...})', '# then build', 'docker buildx build -t app .');
    expect(codesOf(md)).toEqual([]);
    expect(texts(md)[0]).not.toContain('>>>');
    // Inside a here-document the line is data and stays.
    const doc = fence('bash', 'cat <<EOF > t.py', '>>> 1 + 1', 'EOF', 'docker buildx build -t app .');
    expect(texts(doc)[0]).toContain('>>> 1 + 1');
  });

  it('reads an untagged transcript whose docker command comes after other prompted commands', () => {
    const md = fence(
      '',
      'root@raspberrypi:~# cd hellowhale/',
      'root@raspberrypi:~/hellowhale# ls',
      'Dockerfile  html',
      'root@raspberrypi:~/hellowhale# docker build --platform linux -t me/hello .',
      '[+] Building 7.9s (5/8)',
    );
    expect(found(md)).toEqual(['KBX414:linux']);
    // `time` before the command.
    expect(found(fence('', 'pi@box:~/app $ time docker buildx build --platform arm -t me/a .', 'real 0m1s'))).toEqual(['KBX414:arm']);
    // Output alone is still not read.
    expect(texts(fence('', 'Dockerfile  html', 'docker build output follows'))).toEqual([]);
  });

  it('knows the $> prompt and a bracketed place name before >', () => {
    expect(found(fence('shell', '$> export IMAGE_TAG=me/app:latest', '$> docker build --platform linux -t ${IMAGE_TAG} .'))).toEqual(['KBX414:linux']);
    const md = fence('', '[Captains-Bay]🚩 >  aws --version', 'aws-cli/1.16.40', '[Captains-Bay]🚩 >  docker buildx build --platform arm -t me/a .', 'done');
    expect(found(md)).toEqual(['KBX414:arm']);
    expect(texts(md).join('')).not.toContain('aws-cli');
    // A test or a glob at the start of a line is not a prompt.
    expect(texts(fence('bash', '[ -f x ] > out', 'docker buildx build -t a .'))[0]).toContain('[ -f x ] > out');
  });

  it('ends a command where the build output glued to its line starts', () => {
    const md = fence('', 'pi@raspberrypi:~/blink $ ls', 'Dockerfile', 'pi@raspberrypi:~/blink $ docker build -t "blinker:v1" .Sending build context to Docker daemon  3.072kB', 'Step 1/5 : FROM x');
    expect(found(md)).toEqual([]);
    expect(texts(md)).toEqual(['ls\ndocker build -t "blinker:v1" .\n']);
  });

  it('reads an untagged block that starts with a shell shebang', () => {
    const md = fence('', '#!/bin/sh', 'echo Building myimage', '', 'docker build --platform linux -t myimage:build .');
    expect(found(md)).toEqual(['KBX414:linux']);
    // Without the shebang the first command decides, as before.
    expect(texts(fence('', 'echo Building myimage', 'docker build -t myimage:build .'))).toEqual([]);
  });

  it('reads a block tagged docker when it runs docker, never a Dockerfile', () => {
    expect(found(fence('docker', '$ docker build --platform linux -t wordpress -f ./single.Dockerfile .'))).toEqual(['KBX414:linux']);
    expect(texts(fence('docker', 'FROM alpine', 'RUN docker build -t x .'))).toEqual([]);
    expect(texts(fence('docker', 'docker build -t x .', 'FROM alpine'))).toEqual([]);
  });
});
