/**
 * The words Go's strconv.ParseBool accepts (`strconv/atob.go`). pflag reads every boolean flag
 * value with it, and buildx reads boolean driver options and CSV attributes with it too.
 */
export const GO_TRUE_WORDS: readonly string[] = ['1', 't', 'T', 'TRUE', 'true', 'True'];
export const GO_FALSE_WORDS: readonly string[] = ['0', 'f', 'F', 'FALSE', 'false', 'False'];
export const GO_BOOL_WORDS: readonly string[] = [...GO_TRUE_WORDS, ...GO_FALSE_WORDS];
