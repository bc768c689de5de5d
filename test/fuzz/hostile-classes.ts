/**
 * The second round of hostile input (issue 14, "the next classes"): each construct builds a file
 * of about `size` characters in one host (GitHub Actions, GitLab CI, action.yml, Markdown,
 * Makefile, shell, buildx values) that stresses one reader: YAML alias and merge-key bombs,
 * `extends`/`!reference` chains and cycles, matrix cross products, deep nesting of every
 * collection and shell construct, here-documents, brace expansion products, wrapper functions
 * calling each other, `$(call)` recursion, long continuation chains, control bytes. Every file
 * names `docker buildx`, so the byte pre-filter lets it through to the readers. The shapes are
 * fixed by the seed only where order does not matter; the sizes scale the count or the depth.
 */
import { type Construct, type Input, repeatTo } from './hostile-constructs';

/** How many repetitions of a unit of `unitLength` characters fill `size`. */
const count = (size: number, unitLength: number) => Math.max(1, Math.floor(size / unitLength));

const BUILD = 'docker buildx build --platform linux/x86_64 -t r/a .';
const GHA = '.github/workflows/ci.yml';
const GITLAB = '.gitlab-ci.yml';
const gha = (steps: string, extra = ''): Input => ({ text: `on: push\n${extra}jobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`, fileName: GHA });

export const YAML_CLASSES: Record<string, Construct> = {
  // Billion laughs through merge keys: each level merges the previous one nine times.
  'gha merge-key bomb': (_r, n) => {
    const levels = count(n, 60);
    let t = 'x-base:\n  a0: &a0 {k0: v}\n';
    for (let i = 1; i < levels; i++) t += `  a${i}: &a${i} {<<: [${new Array(9).fill(`*a${i - 1}`).join(', ')}], k${i}: v}\n`;
    return { text: `on: push\n${t}jobs:\n  b:\n    <<: *a${levels - 1}\n    runs-on: x\n    env:\n      <<: *a${levels - 1}\n    steps:\n      - run: ${BUILD}\n`, fileName: GHA };
  },
  // Aliases of aliases: each level is a list of nine aliases of the previous one.
  'gha alias-of-aliases bomb': (_r, n) => {
    const levels = count(n, 50);
    let t = 'x-base:\n  - &l0 [{run: "docker buildx build --platform linux/x86_64 ."}]\n';
    for (let i = 1; i < levels; i++) t += `  - &l${i} [${new Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
    return {
      text: `on: push\n${t}jobs:\n  b:\n    runs-on: x\n    steps: *l${levels - 1}\n  c:\n    runs-on: x\n    strategy:\n      matrix:\n        os: *l${levels - 1}\n    steps:\n      - run: ${BUILD} \${{ matrix.os }}\n`,
      fileName: GHA,
    };
  },
  'gha deep flow nesting': (_r, n) => {
    const d = count(n, 2);
    return gha(`      - run: ${BUILD}\n        env: {A: ${'['.repeat(d)}x${']'.repeat(d)}}\n`);
  },
  'gha deep flow maps': (_r, n) => {
    const d = count(n, 6);
    return gha(`      - run: ${BUILD}\n        with: ${'{a: '.repeat(d)}x${'}'.repeat(d)}\n`);
  },
  'gha deep block nesting': (_r, n) => {
    const d = Math.max(1, Math.floor(Math.sqrt(n / 2)));
    let t = '';
    for (let i = 0; i < d; i++) t += `${' '.repeat(8 + 2 * i)}k${i}:\n`;
    return gha(`      - run: ${BUILD}\n        env:\n${t}${' '.repeat(8 + 2 * d)}v\n`);
  },
  'gha deep block sequences': (_r, n) => {
    const d = count(n, 2);
    return gha(`      - run: ${BUILD}\n        env:\n          A: ${'- '.repeat(d)}x\n`);
  },
  'gha 10,000 jobs': (_r, n) => ({
    text: `on: push\njobs:\n${repeatTo(n, (i) => `  j${i}:\n    runs-on: x\n    needs: [j${Math.max(0, i - 1)}]\n    steps:\n      - run: docker buildx build --platform linux/x86_64 -t r/a${i} .\n`)}`,
    fileName: GHA,
  }),
  'gha 10,000 steps': (_r, n) => gha(repeatTo(n, (i) => `      - name: s${i}\n        run: docker buildx build --platform linux/x86_64 -t r/a${i} .\n`)),
  'gha matrix cross product': (_r, n) => {
    const axes = 12;
    const per = count(n, axes * 12);
    let m = '';
    for (let a = 0; a < axes; a++) m += `        a${a}: [${Array.from({ length: per }, (_, i) => `v${i}`).join(', ')}]\n`;
    m += `        include:\n${Array.from({ length: per }, (_, i) => `          - a0: v${i}\n            os: windows-latest\n`).join('')}`;
    m += `        exclude:\n${Array.from({ length: per }, (_, i) => `          - a1: v${i}\n`).join('')}`;
    const uses = Array.from({ length: axes }, (_, a) => `\${{ matrix.a${a} }}`).join(' ');
    return {
      text: `on: push\njobs:\n  b:\n    runs-on: \${{ matrix.os }}\n    strategy:\n      matrix:\n${m}    steps:\n      - run: docker buildx build --platform \${{ matrix.a0 }} ${uses} .\n`,
      fileName: GHA,
    };
  },
  'gha long expression': (_r, n) => {
    const k = count(n, 30);
    const expr = Array.from({ length: k }, (_, i) => `format('{0}', matrix.a${i})`).join(' || ');
    return gha(`      - run: docker buildx build --platform \${{ ${expr} }} -t \${{ ${'('.repeat(k)}x${')'.repeat(k)} }} .\n`);
  },
  'gha unclosed expressions': (_r, n) => gha(`      - run: |\n          docker buildx build --platform linux/x86_64 ${repeatTo(n, () => '${{ ')} .\n`),
  'gha many documents': (_r, n) => ({ text: repeatTo(n, (i) => `---\non: push\njobs:\n  b${i}:\n    runs-on: x\n    steps:\n      - run: ${BUILD}\n`), fileName: GHA }),
  'gha huge key': (_r, n) => gha(`      - run: ${BUILD}\n        env:\n          ${'K'.repeat(n)}: v\n`),
  'gha huge flow key': (_r, n) => gha(`      - run: ${BUILD}\n        env: {"${'K'.repeat(n)}": v}\n`),
  'gha control bytes': (r, n) => {
    const junk = ['\t', '\r', '\0', '\uFEFF', '\uD800', '\uDFFF', '\x1b', '\u2028', '\x7f'];
    return gha(repeatTo(n, (i) => `      - run: docker buildx build --platform linux/x86_64${r.pick(junk)} -t r/a${i}${r.pick(junk)} .\n${r.pick(junk)}`));
  },
  'gha many anchors': (_r, n) => gha(repeatTo(n, (i) => `      - &s${i} {run: "docker buildx build --platform linux/x86_64 -t r/a${i} ."}\n      - *s${i}\n`)),
  'action.yml many steps and inputs': (_r, n) => ({
    text: `name: x\ninputs:\n${repeatTo(n >> 1, (i) => `  in${i}:\n    default: linux/x86_64\n`)}runs:\n  using: composite\n  steps:\n${repeatTo(n >> 1, (i) => `    - run: docker buildx build --platform \${{ inputs.in${i} }} .\n      shell: bash\n`)}`,
    fileName: 'action.yml',
  }),
  'setup-buildx platforms 100,000 items': (_r, n) =>
    gha(
      `      - uses: docker/setup-buildx-action@v3\n        with:\n          platforms: ${repeatTo(n, (i) => (i % 2 ? 'linux/arm64,' : 'linux/x86_64,'))}linux/amd64\n          driver-opts: |\n${repeatTo(n >> 2, (i) => `            nodeselector=k${i}=v\n`)}      - run: ${BUILD}\n`,
    ),
  'build-push-action huge inputs': (_r, n) =>
    gha(
      `      - uses: docker/build-push-action@v6\n        with:\n          platforms: ${repeatTo(n >> 2, (i) => `linux/amd64/v${i},`)}linux/arm64\n          build-args: |\n${repeatTo(n >> 2, (i) => `            A${i}=${'v'.repeat(20)}\n`)}          tags: ${repeatTo(n >> 2, (i) => `r/a:${i},`)}x\n          outputs: type=local,dest=${'d'.repeat(n >> 2)}\n      - run: ${BUILD}\n`,
    ),
  'bake-action huge set': (_r, n) =>
    gha(
      `      - uses: docker/bake-action@v5\n        with:\n          set: |\n${repeatTo(n, (i) => `            t${i}.platform=linux/x86_64,linux/arm64\n            *.args.A${i}=v\n`)}      - run: ${BUILD}\n`,
    ),
  'gitlab extends chain': (_r, n) => ({
    text: `.j0:\n  script:\n    - ${BUILD}\n${repeatTo(n, (i) => `.j${i + 1}:\n  extends: .j${i}\n`)}job:\n  extends: .j${count(n, 22)}\n`,
    fileName: GITLAB,
  }),
  'gitlab extends cycles': (_r, n) => ({
    text: repeatTo(n, (i) => `j${i}:\n  extends: [j${i + 1}, j${Math.max(0, i - 1)}, j${i}]\n  script:\n    - docker buildx build --platform linux/x86_64 -t r/a${i} .\n`) + `jlast:\n  extends: j0\n`,
    fileName: GITLAB,
  }),
  'gitlab extends fan-in': (_r, n) => {
    // Each template extends the two before it: a naive resolver visits Fibonacci-many parents.
    const k = count(n, 40);
    let t = `.t0:\n  script: [docker buildx build --platform linux/x86_64 .]\n.t1:\n  extends: .t0\n`;
    for (let i = 2; i < k; i++) t += `.t${i}:\n  extends: [.t${i - 1}, .t${i - 2}]\n`;
    return { text: `${t}job:\n  extends: .t${k - 1}\n`, fileName: GITLAB };
  },
  'gitlab !reference chain': (_r, n) => {
    const k = count(n, 50);
    let t = `.r0:\n  script:\n    - ${BUILD}\n`;
    for (let i = 1; i < k; i++) t += `.r${i}:\n  script:\n    - !reference [.r${i - 1}, script]\n    - !reference [.r${i - 1}, script]\n`;
    return { text: `${t}job:\n  script:\n    - !reference [.r${k - 1}, script]\n`, fileName: GITLAB };
  },
  'gitlab !reference cycle': (_r, n) => ({
    text:
      repeatTo(n, (i) => `.r${i}:\n  script:\n    - !reference [.r${i + 1}, script]\n    - !reference [.r${i}, script]\n    - ${BUILD}\n`) +
      `.rend:\n  script: [!reference [.r0, script]]\njob:\n  script: [!reference [.r0, script]]\n`,
    fileName: GITLAB,
  }),
  'gitlab merge-key bomb': (_r, n) => {
    const levels = count(n, 60);
    let t = '.a0: &a0 {variables: {K: v}}\n';
    for (let i = 1; i < levels; i++) t += `.a${i}: &a${i} {<<: [${new Array(9).fill(`*a${i - 1}`).join(', ')}], k${i}: v}\n`;
    return { text: `${t}job:\n  <<: *a${levels - 1}\n  script:\n    - ${BUILD}\n`, fileName: GITLAB };
  },
  'gitlab 10,000 jobs': (_r, n) => ({
    text: `variables:\n  P: linux/x86_64\n${repeatTo(n, (i) => `j${i}:\n  needs: [j${Math.max(0, i - 1)}]\n  script:\n    - docker buildx build --platform $P -t r/a${i} .\n`)}`,
    fileName: GITLAB,
  }),
  'gitlab nested script lists': (_r, n) => {
    const d = count(n, 2);
    return { text: `job:\n  script: ${'['.repeat(d)}"${BUILD}"${']'.repeat(d)}\n`, fileName: GITLAB };
  },
  'gitlab self include': (_r, n) => ({
    text: `include:\n${repeatTo(n >> 1, (i) => `  - local: .gitlab-ci.yml\n  - local: /.gitlab-ci.yml\n  - '${i % 2 ? '.gitlab-ci.yml' : 'sub/../.gitlab-ci.yml'}'\n`)}job:\n  script:\n    - ${BUILD}\n`,
    fileName: GITLAB,
  }),
};

export const MARKDOWN_CLASSES: Record<string, Construct> = {
  'md nested lists': (_r, n) => {
    const d = Math.max(1, Math.floor(Math.sqrt(n)));
    let t = '';
    for (let i = 0; i < d; i++) t += `${'  '.repeat(i)}- item\n`;
    return { text: `${t}${'  '.repeat(d)}\`\`\`sh\n${'  '.repeat(d)}${BUILD}\n${'  '.repeat(d)}\`\`\`\n`, fileName: 'README.md' };
  },
  'md nested blockquotes': (_r, n) => {
    const d = count(n, 4);
    return { text: `${'> '.repeat(d)}\`\`\`sh\n${'> '.repeat(d)}${BUILD}\n${'> '.repeat(d)}\`\`\`\n`, fileName: 'README.md' };
  },
  'md one-line nested list markers': (_r, n) => ({ text: `${'- '.repeat(count(n, 2))}\n\n\`\`\`sh\n${BUILD}\n\`\`\`\n`, fileName: 'README.md' }),
  'md unclosed fences': (_r, n) => ({ text: repeatTo(n, (i) => `${'`'.repeat(3 + (i % 5))}sh\n${BUILD}\n`), fileName: 'README.md' }),
  'md huge info string': (_r, n) => ({ text: `\`\`\`sh ${'x'.repeat(n)}\n${BUILD}\n\`\`\`\n\`\`\`${'b'.repeat(n >> 1)}\n${BUILD}\n\`\`\`\n`, fileName: 'README.md' }),
  'md 100,000 tiny fences': (_r, n) => ({ text: repeatTo(n, (i) => (i % 10 ? '```sh\n```\n' : `\`\`\`sh\n${BUILD}\n\`\`\`\n`)), fileName: 'README.md' }),
  'md html blocks': (_r, n) => ({ text: repeatTo(n, (i) => `<div>\n<pre>\n${BUILD}\n</pre>\n${i % 3 ? '</div>\n' : ''}\n\`\`\`sh\n${BUILD}\n\`\`\`\n`), fileName: 'README.md' }),
  'mdx braces': (_r, n) => ({ text: `${'{'.repeat(count(n, 2))}\n\n\`\`\`sh\n${BUILD}\n\`\`\`\n${repeatTo(n >> 1, () => '{a}<X>{')}\n`, fileName: 'README.mdx' }),
  'md console transcript huge output': (_r, n) => ({
    text: `\`\`\`console\n$ ${BUILD}\n${repeatTo(n, (i) => `#${i} [internal] load build definition $ docker buildx ls\n`)}$ ${BUILD}\n\`\`\`\n`,
    fileName: 'README.md',
  }),
  'md many prompts with continuations': (_r, n) => ({
    text: `\`\`\`console\n${repeatTo(n, (i) => `$ docker buildx build \\\n> --platform linux/x86_64 \\\n> -t r/a${i} .\n`)}\`\`\`\n`,
    fileName: 'README.md',
  }),
  'md list with many code blocks in quotes': (_r, n) => ({ text: repeatTo(n, (i) => `> - item ${i}\n>   \`\`\`sh\n>   ${BUILD}\n>   \`\`\`\n`), fileName: 'README.md' }),
};

export const MAKEFILE_CLASSES: Record<string, Construct> = {
  'make call recursion': (_r, n) => ({
    text: `f = $(call f,$(1)x)\ng = $(call g,$(call g,$(1)))\n${repeatTo(n, (i) => `h${i} = $(call h${i + 1},$(1),$(1))\n`)}all:\n\tdocker buildx build --platform $(call f,a) $(call g,b) $(call h0,c) .\n`,
    fileName: 'Makefile',
  }),
  'make eval generating rules': (_r, n) => ({
    text: `define RULE\nt$(1):\n\tdocker buildx build --platform linux/x86_64 -t r/$(1) .\nendef\n${repeatTo(n, (i) => `$(eval $(call RULE,${i}))\n$(foreach x,a b c,$(eval $(call RULE,$(x)${i})))\n`)}`,
    fileName: 'Makefile',
  }),
  'make self-referencing +=': (_r, n) => ({ text: `X = a,\n${repeatTo(n, () => 'X += $(X)\n')}all:\n\tdocker buildx build --platform $(X) .\n`, fileName: 'Makefile' }),
  'make recursive = self reference': (_r, n) => ({ text: `${repeatTo(n, (i) => `V${i} = $(V${i + 1}) $(V${i})\n`)}all:\n\tdocker buildx build --platform $(V0) .\n`, fileName: 'Makefile' }),
  'make include cycle': (_r, n) => ({ text: `${repeatTo(n >> 1, () => 'include Makefile\n-include $(MAKEFILE_LIST)\nsinclude Makefile Makefile\n')}all:\n\t${BUILD}\n`, fileName: 'Makefile' }),
  'make nested ifeq': (_r, n) => {
    const d = count(n, 30);
    let t = '';
    for (let i = 0; i < d; i++) t += `ifeq ($(A${i % 7}),${i % 3 ? 'x' : ''})\nX${i} := v\n`;
    t += `all:\n\t${BUILD} $(X0)\n`;
    for (let i = 0; i < d; i++) t += i % 2 ? 'else\nY := $(X1)\nendif\n' : 'endif\n';
    return { text: t, fileName: 'Makefile' };
  },
  'make nested undecided ifeq': (_r, n) => {
    const d = count(n, 45);
    let t = '';
    for (let i = 0; i < d; i++) t += `ifeq ($(shell x),${i})\nP${i % 5} := linux/x86_64\nelse\n`;
    t += `all:\n\tdocker buildx build --platform $(P0),$(P1) .\n`;
    for (let i = 0; i < d; i++) t += 'endif\n';
    return { text: t, fileName: 'Makefile' };
  },
  'make foreach cross product': (_r, n) => {
    const k = count(n, 60);
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    let t = `L := ${words}\n`;
    for (let i = 0; i < k; i++) t += `F${i} := $(foreach a,$(L),$(foreach b,$(L),$(foreach c,$(F${Math.max(0, i - 1)}),$(a)$(b)$(c))))\n`;
    return { text: `${t}all:\n\tdocker buildx build --platform $(F${k - 1}) .\n`, fileName: 'Makefile' };
  },
  'make nested undecided $(if)': (_r, n) => {
    const d = count(n, 12);
    const body = `${'$(if $(U),'.repeat(d)}${BUILD}${')'.repeat(d)}`;
    return {
      text: `${repeatTo(n >> 1, (i) => `t${i}:\n\t$(if $(P${i}), ${BUILD} -t a/b:${i})\n\t$(if $(Q), docker buildx imagetools create -t a:$(if $(R),x,y) b)\n`)}deep:\n\t${body}\n`,
      fileName: 'Makefile',
    };
  },
  'make ifeq $(shell docker …) conditions': (_r, n) => ({
    text: `${repeatTo(n >> 1, (i) => `ifeq ($(shell docker buildx inspect b${i} | awk '{print $$2}'),running)\nX${i} = 1\nelse ifneq ($(shell docker buildx ls),)\nendif\n`)}all:\n\t${BUILD}\n`,
    fileName: 'Makefile',
  }),
  'make unterminated define': (_r, n) => ({ text: `all:\n\t${BUILD}\n${repeatTo(n, (i) => `define X${i}\n\t${BUILD}\n`)}`, fileName: 'Makefile' }),
  'make 100,000 backslash continuations': (_r, n) => ({
    text: `all:\n\tdocker buildx build --platform linux/x86_64 ${repeatTo(n, (i) => `a${i % 10} \\\n`)}.\nX = ${repeatTo(n >> 1, () => 'v \\\n')}\n`,
    fileName: 'Makefile',
  }),
  'make empty continuations': (_r, n) => ({ text: `all:\n\tdocker buildx build --platform linux/x86_64 ${'\\\n'.repeat(count(n, 2))}.\n`, fileName: 'Makefile' }),
  'make target with 10,000 prereqs': (_r, n) => {
    const k = count(n, 14);
    const names = Array.from({ length: k }, (_, i) => `p${i}`);
    return {
      text: `all: ${names.join(' ')} | ${names.join(' ')}\n\t${BUILD}\n${names.map((p, i) => `${p}: ${names.slice(Math.max(0, i - 3), i).join(' ')}\n\t${BUILD}\n`).join('')}`,
      fileName: 'Makefile',
    };
  },
  'make many targets on one rule': (_r, n) => ({ text: `${repeatTo(n, (i) => `t${i} `)}: a b c\n\t${BUILD}\n`, fileName: 'Makefile' }),
  'make deep nested references': (_r, n) => {
    const d = count(n, 4);
    return { text: `all:\n\tdocker buildx build --platform ${'$(X'.repeat(d)}${')'.repeat(d)} ${'${Y'.repeat(d)}${'}'.repeat(d)} .\n`, fileName: 'Makefile' };
  },
  'make deep function nesting': (_r, n) => {
    const d = count(n, 12);
    return { text: `P := ${'$(subst a,b,'.repeat(d)}linux/x86_64${')'.repeat(d)}\nall:\n\tdocker buildx build --platform $(P) .\n`, fileName: 'Makefile' };
  },
};

export const SHELL_CLASSES: Record<string, Construct> = {
  'sh deep $( )': (_r, n) => {
    const d = count(n, 4);
    return { text: `docker buildx build --platform ${'$( '.repeat(d)}x${' )'.repeat(d)} .\n`, fileName: 'x.sh' };
  },
  'sh deep ${ }': (_r, n) => {
    const d = count(n, 7);
    return { text: `docker buildx build --platform \${X:-${'${Y:-'.repeat(d)}linux/x86_64${'}'.repeat(d)}} .\n`, fileName: 'x.sh' };
  },
  'sh deep (( ))': (_r, n) => {
    const d = count(n, 4);
    return { text: `(( ${'(( '.repeat(d)}1${' ))'.repeat(d)} ))\necho $(( ${'('.repeat(d)}1${')'.repeat(d)} ))\n${BUILD}\n`, fileName: 'x.sh' };
  },
  'sh deep [[ ]]': (_r, n) => {
    const d = count(n, 6);
    return { text: `[[ ${'( '.repeat(d)}-n x${' )'.repeat(d)} ]] && ${BUILD}\n[[ ${repeatTo(n >> 1, () => '! ')}-z x ]]\n`, fileName: 'x.sh' };
  },
  'sh deep case': (_r, n) => {
    const d = count(n, 30);
    return { text: `${'case $X in a) '.repeat(d)}${BUILD}${' ;; esac'.repeat(d)}\n`, fileName: 'x.sh' };
  },
  'sh deep if': (_r, n) => {
    const d = count(n, 30);
    return { text: `${'if [ -n "$X" ]; then '.repeat(d)}${BUILD}${'; fi'.repeat(d)}\n`, fileName: 'x.sh' };
  },
  'sh deep functions': (_r, n) => {
    const d = count(n, 10);
    return { text: `${Array.from({ length: d }, (_, i) => `f${i}() { `).join('')}${BUILD}${' ; }'.repeat(d)}\nf0\n`, fileName: 'x.sh' };
  },
  'sh deep braces and loops': (_r, n) => {
    const d = count(n, 22);
    return { text: `${'for a in b; do { '.repeat(d)}${BUILD}${'; }; done'.repeat(d)}\n`, fileName: 'x.sh' };
  },
  'sh deep backquotes': (_r, n) => {
    const d = Math.max(1, Math.floor(Math.log2(n)) - 2);
    let s = 'x';
    for (let i = 0; i < d; i++) s = `\`echo ${s.replace(/[\\`]/g, '\\$&')}\``;
    return { text: `docker buildx build --platform ${s} .\n${repeatTo(n >> 1, () => '`e `')}\n`, fileName: 'x.sh' };
  },
  'sh many heredocs': (_r, n) => ({ text: repeatTo(n, (i) => `cat <<E${i} <<'F${i}' <<-"G"\n$(docker buildx ls)\nE${i}\n${BUILD}\nF${i}\n\tx\n\tG\n${BUILD}\n`), fileName: 'x.sh' }),
  'sh heredoc on one line': (_r, n) => {
    const k = count(n, 12);
    let t = 'cat';
    for (let i = 0; i < k; i++) t += ` <<E${i}`;
    t += `; ${BUILD}\n`;
    for (let i = 0; i < k; i++) t += `$(x)\nE${i}\n`;
    return { text: t, fileName: 'x.sh' };
  },
  'sh nested heredocs in substitutions': (_r, n) => {
    const d = count(n, 30);
    let t = '';
    for (let i = 0; i < d; i++) t += `$(cat <<E${i}\n`;
    t += `${BUILD}\n`;
    for (let i = d - 1; i >= 0; i--) t += `E${i}\n)`;
    return { text: `X=${t}\n${BUILD}\n`, fileName: 'x.sh' };
  },
  'sh unterminated heredocs': (_r, n) => ({ text: `${BUILD}\n${repeatTo(n, (i) => `cat <<EOF${i}\n$(docker buildx build .)\n`)}`, fileName: 'x.sh' }),
  'sh huge heredoc delimiter': (_r, n) => {
    const d = 'D'.repeat(n >> 1);
    return { text: `${BUILD}\ncat <<${d}\n$(docker buildx build .)\n${d.slice(1)}\n${d}\n${BUILD}\ncat <<"${'Q'.repeat(n >> 2)}"\n`, fileName: 'x.sh' };
  },
  'sh aliases': (_r, n) => ({
    text: `shopt -s expand_aliases\n${repeatTo(n, (i) => `alias a${i}='a${i + 1} --platform linux/x86_64'\nalias b${i}='docker buildx build'\nb${i} .\n`)}`,
    fileName: 'x.sh',
  }),
  'sh wrappers calling each other': (_r, n) => ({
    text: `w0() { docker buildx build "$@"; }\n${repeatTo(n, (i) => `w${i + 1}() { w${i} "$@" --platform linux/x86_64; w${i} "$@"; w${i + 1} "$@"; }\n`)}w${count(n, 60)} -t r/a .\n`,
    fileName: 'x.sh',
  }),
  'sh wrapper fan-out': (_r, n) => {
    const k = count(n, 80);
    let t = 'w0() { docker buildx build "$@"; }\n';
    for (let i = 1; i < k; i++) t += `w${i}() { w${i - 1} "$@"; w${i - 1} "$@" -t b; w${i - 1} "$@" x; }\n`;
    return { text: `${t}${repeatTo(n >> 2, () => `w${k - 1} --platform linux/x86_64 .\n`)}`, fileName: 'x.sh' };
  },
  'sh array of 100,000 items': (_r, n) => ({ text: `A=(${repeatTo(n, (i) => `--platform=linux/x86_64,a${i} `)})\nA+=("\${A[@]}")\ndocker buildx build "\${A[@]}" \${A[*]} .\n`, fileName: 'x.sh' }),
  'sh doubling variables': (_r, n) => {
    const k = count(n, 20);
    let t = 'X0=linux/x86_64,\n';
    for (let i = 1; i < k; i++) t += `X${i}="$X${i - 1}$X${i - 1}"\n`;
    return { text: `${t}docker buildx build --platform "$X${k - 1}" .\nA=("$X${k - 1}" "$X${k - 1}")\nA=("\${A[@]}" "\${A[@]}")\ndocker buildx build \${A[@]} .\n`, fileName: 'x.sh' };
  },
  'sh doubling arrays': (_r, n) => {
    const k = count(n, 20);
    let t = 'A=(linux/x86_64)\n';
    for (let i = 1; i < k; i++) t += `A=("\${A[@]}" "\${A[@]}")\n`;
    return { text: `${t}docker buildx build --platform "\${A[*]}" "\${A[@]}" .\n`, fileName: 'x.sh' };
  },
  'sh brace range': (_r, n) => ({
    text: `docker buildx build -t r/{1..${Math.min(10_000_000, n * 5)}} --platform linux/{a..z}{0..99999} .\n${repeatTo(n >> 1, (i) => `docker buildx build -t {1..${100 + i}} .\n`)}`,
    fileName: 'x.sh',
  }),
  'sh brace product': (_r, n) => {
    const k = count(n, 7);
    return { text: `docker buildx build --platform ${'{a,b}'.repeat(k)} -t ${'{x,y,z}'.repeat(Math.max(1, k >> 1))} .\n`, fileName: 'x.sh' };
  },
  'sh nested brace': (_r, n) => {
    const d = count(n, 4);
    return { text: `docker buildx build --platform ${'{a,'.repeat(d)}b${'}'.repeat(d)} .\n`, fileName: 'x.sh' };
  },
  'sh nested eval and trap': (_r, n) => {
    const d = Math.max(1, Math.floor(Math.log2(n)) - 2);
    let s = BUILD;
    for (let i = 0; i < d; i++) s = i % 3 === 0 ? `eval '${s.replace(/'/g, `'\\''`)}'` : i % 3 === 1 ? `trap '${s.replace(/'/g, `'\\''`)}' EXIT` : `sh -c '${s.replace(/'/g, `'\\''`)}'`;
    return { text: `${s}\n${repeatTo(n >> 1, (i) => `trap 'bash -c "${BUILD} -t ${i}"' EXIT\n`)}`, fileName: 'x.sh' };
  },
  'sh trap and -c strings with expansions': (_r, n) => ({
    text: repeatTo(n >> 1, (i) => `b${i}="ci-$RANDOM"\ntrap "docker buildx rm $b${i}; ${BUILD} -t $T${i}" EXIT\nbash -c "cd $D && sh -c \\"retry 3 ${BUILD} -t $X\\""\n`),
    fileName: 'x.sh',
  }),
  'sh deep bash -c': (_r, n) => {
    const d = Math.max(1, Math.floor(Math.log2(n)) - 3);
    let s = BUILD;
    for (let i = 0; i < d; i++) s = `bash -c ${JSON.stringify(s)}`;
    return { text: `${s}\n${repeatTo(n >> 1, () => `sh -c "sh -c 'sh -c \\"${BUILD}\\"'"\n`)}`, fileName: 'x.sh' };
  },
  'sh extremely long word': (_r, n) => ({ text: `docker buildx build -t "${'a'.repeat(n)}" --build-arg X=${'b\\ '.repeat(n >> 2)} --platform $'${'\\x41'.repeat(n >> 3)}' .\n`, fileName: 'x.sh' }),
  'sh many disable comments': (_r, n) => ({
    text: repeatTo(n, (i) => `# kbx-lint disable=KBX40${i % 10},KBX${i},nope-${i} -- why\n# kbx-lint disable-file=KBX5${i % 100}\n${i % 5 ? '' : `${BUILD} # kbx-lint disable=ALL\n`}`),
    fileName: 'x.sh',
  }),
  'sh CRLF': (_r, n) => ({ text: repeatTo(n, (i) => `X${i}=linux/x86_64\r\ndocker buildx build \\\r\n  --platform "$X${i}" \\\r\n  -t r/a${i} .\r\n`), fileName: 'x.sh' }),
  'sh NUL and control bytes': (r, n) => {
    const junk = ['\0', '\x01', '\x1b', '\x7f', '\r', '\v', '\f', '\u0085', '\u00a0', '\u2028'];
    return { text: repeatTo(n, (i) => `docker buildx build${r.pick(junk)} --platform linux/x86_64${r.pick(junk)} -t r/a${i} .${r.pick(junk)}\n`), fileName: 'x.sh' };
  },
  'sh lone surrogates': (r, n) => {
    const junk = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFD', '\uFEFF', '\uD83D\uDE00'];
    return { text: `\uFEFF${repeatTo(n, (i) => `docker buildx build --platform linux/x86_64${r.pick(junk)} -t "r/${r.pick(junk)}${i}" .\n`)}`, fileName: 'x.sh' };
  },
  'sh assignments through many branches': (_r, n) => ({
    text: repeatTo(n, (i) => `if [ -n "$Z" ]; then P=linux/a${i}; elif [ -z "$Y" ]; then P=linux/b; else P=x; fi\ncase $Q in a) P=$P,c;; esac\ndocker buildx build --platform "$P" .\n`),
    fileName: 'x.sh',
  }),
};

export const BUILDX_CLASSES: Record<string, Construct> = {
  'buildx --platform 100,000 items': (_r, n) => ({ text: `docker buildx build --platform ${repeatTo(n, (i) => (i % 3 ? 'linux/arm64,' : `linux/x86_64,`))}linux/amd64 .\n`, fileName: 'x.sh' }),
  'buildx --platform many flags': (_r, n) => ({ text: `docker buildx build \\\n${repeatTo(n, (i) => `  --platform linux/x86_64,linux/arm${i % 8} \\\n`)}  .\n`, fileName: 'x.sh' }),
  'buildx CSV 100,000 quotes': (_r, n) => ({
    text: `docker buildx create --driver kubernetes --driver-opt '${'"'.repeat(n)}'\ndocker buildx build --output '${repeatTo(n, () => '"a"",')}' .\n`,
    fileName: 'x.sh',
  }),
  'buildx CSV unbalanced quotes per field': (_r, n) => ({
    text: `docker buildx build --secret '${repeatTo(n, (i) => `id=${i},"src=x,`)}' --cache-to '${repeatTo(n >> 1, () => 'a"b,')}' .\n`,
    fileName: 'x.sh',
  }),
  'buildx huge --build-arg': (_r, n) => ({ text: `docker buildx build --build-arg X=${'v'.repeat(n)} ${repeatTo(n, (i) => `--build-arg A${i}=v `)}.\n`, fileName: 'x.sh' }),
  'buildx huge --secret and --output': (_r, n) => ({
    text: `docker buildx build --secret id=a,src=${'s'.repeat(n)} --output type=local,dest=${'d'.repeat(n)} ${repeatTo(n, (i) => `--secret id=s${i},env=E `)}.\n`,
    fileName: 'x.sh',
  }),
  'buildx many --output and --cache-to': (_r, n) => ({
    text: `docker buildx build ${repeatTo(n, (i) => `-o type=local,dest=d${i} --cache-to type=registry,ref=r/c${i},mode=max `)}.\n`,
    fileName: 'x.sh',
  }),
  'buildx bake --set': (_r, n) => ({
    text: `docker buildx bake ${repeatTo(n, (i) => `--set t${i}.platform=linux/x86_64,linux/arm64 --set *.args.A${i}=${'v'.repeat(i % 50)} `)}\ndocker buildx bake --set '${'x'.repeat(n)}'\n`,
    fileName: 'x.sh',
  }),
  'buildx many tags and annotations': (_r, n) => ({ text: `docker buildx build ${repeatTo(n, (i) => `-t r/a:${i} --annotation index:k${i}=v `)}--push .\n`, fileName: 'x.sh' }),
  'buildx --driver-opt with 100,000 quoted fields': (_r, n) => ({
    text: `docker buildx create --driver kubernetes --driver-opt '${repeatTo(n, (i) => `"nodeselector=a${i}=b,c=d",`)}namespace=x'\n`,
    fileName: 'x.sh',
  }),
  'buildx many create --append nodes': (_r, n) => ({
    text: repeatTo(
      n,
      (i) => `docker buildx create --append --name b${i % 7} --node n${i} --platform linux/amd64,linux/arm${i % 3}\ndocker buildx build --builder b${i % 7} --platform linux/arm${i % 5} .\n`,
    ),
    fileName: 'x.sh',
  }),
};

/**
 * The third round: hosts inside hosts, and one command with thousands of findings of one rule
 * (each finding must cost the same whatever the number of others in the same value or command).
 */
export const COMBINED_CLASSES: Record<string, Construct> = {
  'gha run: holding a Makefile here-document': (_r, n) =>
    gha(
      repeatTo(
        n,
        (i) =>
          `      - shell: bash
        run: |
          cat > Makefile.${i} <<'EOF'
          P${i} := linux/x86_64
          t${i}: t${Math.max(0, i - 1)}
          	docker buildx build --platform $(P${i}) -t r/a${i} .
          EOF
          make -f Makefile.${i} t${i} && ${BUILD}
`,
      ),
    ),
  'md fences each defining a function the next calls': (_r, n) => ({
    text: `\`\`\`sh
f0() { docker buildx build "$@"; }
\`\`\`
${repeatTo(
  n,
  (i) => `Step ${i}:

\`\`\`sh
f${i + 1}() { f${i} "$@" --platform linux/x86_64; }
f${i + 1} -t r/a${i} .
\`\`\`
`,
)}`,
    fileName: 'README.md',
  }),
  'gitlab include, extends and anchors together': (_r, n) => ({
    text: `include:
${repeatTo(
  n >> 2,
  (i) => `  - local: ci/t${i}.yml
  - template: T${i}.gitlab-ci.yml
`,
)}.base: &base
  image: docker:27
  script:
    - ${BUILD}
${repeatTo(
  n,
  (i) => `.t${i}: &t${i}
  <<: *${i ? `t${i - 1}` : 'base'}
  extends: [.base${i ? `, .t${i - 1}` : ''}]
  variables: {P${i}: linux/x86_64}
j${i}:
  <<: *t${i}
  extends: .t${i}
  script:
    - !reference [.base, script]
    - docker buildx build --platform $P${i} -t r/a${i} .
`,
)}`,
    fileName: GITLAB,
  }),
  'sh disable and enable comment pairs': (_r, n) => ({
    text: repeatTo(
      n,
      (i) => `# kbx-lint disable=KBX412,KBX${400 + (i % 40)} -- pair ${i}
${BUILD}
# kbx-lint enable=KBX412
# kbx-lint disable-file=KBX5${i % 40}
# kbx-lint-disable KBX412
# kbx-lint-enable KBX412
`,
    ),
    fileName: 'x.sh',
  }),
  'sh suppression comments with huge unknown rule ids': (_r, n) => ({
    text: `# kbx-lint disable=${'K'.repeat(n >> 1)},${'kbx-lint-'.repeat(n >> 5)}\n${BUILD}\n# kbx-lint disable-file=x${'y'.repeat(n >> 2)}\n`,
    fileName: 'x.sh',
  }),
  'md disable comments in fences and HTML comments': (_r, n) => ({
    text: repeatTo(
      n,
      (i) => `<!-- kbx-lint disable=KBX412 -->
\`\`\`sh
# kbx-lint disable=KBX412,nope${i}
${BUILD}
\`\`\`
`,
    ),
    fileName: 'README.md',
  }),
  'buildx one driver-opt with 10,000 empty fields': (_r, n) => ({
    text: `docker buildx create --driver kubernetes --driver-opt namespace=ci${repeatTo(n, (i) => (i % 2 ? ',,' : ',replicas=1,'))}
`,
    fileName: 'x.sh',
  }),
  'buildx one driver-opt with 10,000 unknown keys': (_r, n) => ({
    text: `docker buildx create --driver kubernetes --driver-opt '${repeatTo(n, (i) => `nodeSelectr${i}=v,`)}namespace=ci'
`,
    fileName: 'x.sh',
  }),
  'buildx one driver-opt with 10,000 duplicate keys': (_r, n) => ({
    text: `docker buildx create --driver kubernetes --driver-opt '${repeatTo(n, (i) => `replicas=${i},namespace=n${i},`)}image=x'
`,
    fileName: 'x.sh',
  }),
  'buildx one command with 10,000 unknown flags': (_r, n) => ({
    text: `docker buildx build ${repeatTo(n, (i) => `--platfrom=linux/x86_64 --tag${i} x `)}.
`,
    fileName: 'x.sh',
  }),
  'buildx one --platform with 10,000 invalid items': (_r, n) => ({
    text: `docker buildx build --platform ${repeatTo(n, (i) => (i % 2 ? 'Linux/AMD64,' : `linux/x86_64,linux/amd64/v${i}x,`))}linux/amd64 .
`,
    fileName: 'x.sh',
  }),
  // Each alias is a finding with a fix: the fix must find its flag without a scan of every flag.
  'buildx one build with 10,000 --platform flags, each an alias': (_r, n) => ({
    text: `docker buildx build ${repeatTo(n, () => '--platform linux/x86_64 ')}.\n`,
    fileName: 'x.sh',
  }),
  'buildx one create with 10,000 --driver-opt flags, each a misspelt key': (_r, n) => ({
    text: `docker buildx create --driver kubernetes ${repeatTo(n, () => '--driver-opt namespac=ci ')}\n`,
    fileName: 'x.sh',
  }),
  'buildx 10,000 invalid tolerations in one value': (_r, n) => ({
    text: `docker buildx create --driver kubernetes --driver-opt '"tolerations=${repeatTo(n, (i) => `key=k${i},operator=exists,effect=NoSchedul,tolerationSeconds=x;`)}"'
`,
    fileName: 'x.sh',
  }),
  'buildx one build with 10,000 invalid outputs and secrets': (_r, n) => ({
    text: `docker buildx build ${repeatTo(n, (i) => `-o type=lcal,dest=d${i} --secret id=${i},srcc=x `)}.
`,
    fileName: 'x.sh',
  }),
};

export const CLASSES: Record<string, Construct> = { ...YAML_CLASSES, ...MARKDOWN_CLASSES, ...MAKEFILE_CLASSES, ...SHELL_CLASSES, ...BUILDX_CLASSES, ...COMBINED_CLASSES };
