/**
 * The secret-name rule, shared by the API, the CLI and the console so that all three
 * refuse the same names with the same message.
 */
export const SECRET_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;
export const SECRET_NAME_MAX_LENGTH = 128;
export const SECRET_VALUE_MAX_BYTES = 64 * 1024;
export const SHORT_VALUE_LENGTH = 8;

/** Returns null when `name` is a valid secret name, else the message to show. */
export function secretNameProblem(name: string): string | null {
  if (name.length === 0) return 'Secret name is required';
  if (name.length > SECRET_NAME_MAX_LENGTH) {
    return `Secret name must be at most ${SECRET_NAME_MAX_LENGTH} characters`;
  }
  if (!SECRET_NAME_PATTERN.test(name)) {
    return 'Secret name may contain only uppercase letters, numbers and underscores, and cannot begin with a number';
  }
  return null;
}

// A UTF-16 surrogate without its partner: not text, and UTF-8 cannot hold it (it would be
// stored as U+FFFD, a different value from the one sent).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Returns null when `value` is acceptable as a secret value, else the message to show. */
export function secretValueProblem(value: string): string | null {
  if (value.length === 0) return 'Secret value must not be empty';
  if (LONE_SURROGATE.test(value)) return 'Secret value must be valid UTF-8 text (it holds an unpaired UTF-16 surrogate, \\uD800-\\uDFFF)';
  if (new TextEncoder().encode(value).length > SECRET_VALUE_MAX_BYTES) {
    return `Secret value must be at most ${SECRET_VALUE_MAX_BYTES / 1024} KiB`;
  }
  return null;
}

/** The warning carried by create/replace responses for values that may over-mask logs. */
export function shortValueWarning(value: string): string | null {
  // Characters as people count them (code points), not UTF-16 units: four emoji are four.
  return [...value].length < SHORT_VALUE_LENGTH
    ? `Values shorter than ${SHORT_VALUE_LENGTH} characters are masked wherever they appear in logs, which may hide unrelated text`
    : null;
}
