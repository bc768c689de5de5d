/**
 * `# expect:` markers in rule fixtures (test/fixtures/rules/<rule-name>/*.sh|*.mk).
 *
 * A marker names the rule codes of the findings that start on one line:
 * - at the end of that line, after the code: `docker buildx build --push false . # expect: KBX530`;
 * - on a line of its own, for the next line that is not a marker: `# expect: KBX530`;
 * - on a line of its own with an offset, for a line inside a command continued with `\`, where a
 *   comment cannot go: `# expect+2: KBX202` names the second line below the marker.
 * Several codes are separated by spaces or commas (`# expect: KBX101, KBX202`); a code written
 * twice expects two findings on that line. A file without markers must lint clean.
 */

export interface Expectation {
  /** 1-based line the finding starts on. */
  line: number;
  code: string;
}

const MARKER = /(?:^|\s)#\s*expect(?:\+(\d+))?:\s*((?:KBX\d+)(?:[\s,]+KBX\d+)*)\s*$/;

export function parseExpectations(text: string): Expectation[] {
  const lines = text.split('\n');
  const out: Expectation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]);
    if (!m) continue;
    const codes = m[2].split(/[\s,]+/).filter((c) => c);
    const own = lines[i].slice(0, m.index).trim() === '';
    let line: number;
    if (!own) {
      if (m[1]) throw new Error(`line ${i + 1}: an offset marker (expect+N) must be on a line of its own`);
      line = i + 1;
    } else if (m[1]) {
      line = i + 1 + Number(m[1]);
    } else {
      let j = i + 1;
      while (j < lines.length && MARKER.test(lines[j]) && lines[j].trim().startsWith('#')) j++;
      line = j + 1;
    }
    for (const code of codes) out.push({ line, code });
  }
  return out;
}
