/**
 * Helpers rules use to build fixes: locate a decoded piece (a MappedString produced by the CSV,
 * k=v or toleration layers) inside the shell argument it came from, then let extract/reencode.ts
 * write the change back through shell quoting and the host.
 */
import type { Applicability, Fix } from '../core/fix';
import type { MappedString } from '../core/mapped-string';
import type { Arg, FlagOccurrence } from '../extract/invocation';
import { reencode } from '../extract/reencode';
import type { FileModel } from '../buildx/model';

/** indexInArg finds where `piece` starts inside `arg.value`, comparing source ranges. */
export function indexInArg(arg: Arg, piece: MappedString): number {
  const v = arg.value;
  if (piece.text.length === 0) {
    for (let i = 0; i < v.text.length; i++) if (v.starts[i] >= piece.endOffset) return i;
    return v.text.length;
  }
  outer: for (let i = 0; i + piece.text.length <= v.text.length; i++) {
    for (let k = 0; k < piece.text.length; k++) {
      if (v.starts[i + k] !== piece.starts[k] || v.ends[i + k] !== piece.ends[k] || v.text[i + k] !== piece.text[k]) continue outer;
    }
    return i;
  }
  return -1;
}

export interface DecodedChange {
  /** The flag whose value (or whose value argument) holds the piece. */
  flag: FlagOccurrence;
  /** A MappedString that is a slice of the flag's value. */
  piece: MappedString;
  /** Non-overlapping ranges inside `piece` to replace. */
  changes: { from: number; to: number; replacement: string }[];
}

/** fixFor builds a one-edit fix, or undefined when the change cannot be written back safely. */
export function fixFor(model: FileModel, change: DecodedChange, title: string, applicability: Applicability): Fix | undefined {
  const arg = change.flag.valueArg;
  if (!arg) return undefined;
  const at = indexInArg(arg, change.piece);
  if (at < 0) return undefined;
  const region = model.invocations.find((i) => i.flags.includes(change.flag))?.region;
  if (!region) return undefined;
  const edit = reencode({
    fileText: model.text,
    arg,
    region,
    changes: change.changes.map((c) => ({ from: at + c.from, to: at + c.to, replacement: c.replacement })),
  });
  if (!edit) return undefined;
  if (model.text.slice(edit.span.start, edit.span.end) === edit.newText) return undefined;
  return { title, applicability, edits: [edit] };
}
