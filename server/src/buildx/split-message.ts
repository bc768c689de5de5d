/**
 * splitMessage with a memory: a file with thousands of the same mistake phrases the same message
 * thousands of times, and splitting it (a regular expression, a split and a test per clause) cost
 * more than finding the mistake. The split is a pure function of the text, so a repeated message
 * reuses the parts of its first split. Callers spread the parts into their own object and never
 * change them. Only short messages are kept, and the memory is emptied when it fills, so it stays
 * small whatever the input.
 */
import { splitMessage, type UpstreamFrom } from '../core/problem';

export type MessageParts = Readonly<{ message: string; help?: string; upstream?: string; upstreamFrom?: UpstreamFrom }>;

const MAX_KEPT = 1024;
const MAX_LENGTH = 400;
const parts = new Map<string, MessageParts>();

export function splitMessageOnce(text: string): MessageParts {
  if (text.length > MAX_LENGTH) return splitMessage(text);
  const known = parts.get(text);
  if (known) return known;
  const split = splitMessage(text);
  if (parts.size >= MAX_KEPT) parts.clear();
  parts.set(text, split);
  return split;
}
