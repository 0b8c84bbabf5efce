/** Small display helpers: log lines, inline code, text that wraps only at separators. */
import { Fragment } from 'react';

/** Log arguments as one line: strings as they are, everything else as JSON. */
export function formatLogArgs(args: readonly unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

/** Server-written help text with `backticks` around code: the code parts as `<code>`. */
export function InlineCode(props: { readonly text: string }) {
  const parts = props.text.split('`');
  // An unmatched backtick leaves an odd part out: show the text as it came.
  if (parts.length % 2 === 0) return <>{props.text}</>;
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

/** Names separated by commas; each comma stays on the line of the name before it. */
export function NameList(props: { readonly names: readonly string[] }) {
  return (
    <>
      {props.names.map((name, i) => (
        <Fragment key={name}>
          {i > 0 ? ' ' : null}
          <Breakable text={name} suffix={i < props.names.length - 1 ? ',' : undefined} />
        </Fragment>
      ))}
    </>
  );
}

/** A run longer than this without a separator (a token, a hash) is not a word: it may break every this many characters. */
const LONGEST_RUN = 30;

/** The pieces of `text` between which a line may break: after a separator, and inside very long runs. */
export function breakParts(text: string): string[] {
  return text.split(/(?<=[/.@_:?&=+,-])/).flatMap((part) => {
    if (part.length <= LONGEST_RUN) return [part];
    const chunks: string[] = [];
    for (let i = 0; i < part.length; i += LONGEST_RUN) chunks.push(part.slice(i, i + LONGEST_RUN));
    return chunks;
  });
}

/**
 * The console's one way to show names, events, URLs, e-mail addresses and other
 * technical text in tables and dialogs: it may wrap only after a separator
 * (`/ . @ _ : - ? & = + ,`) or at a space, never inside a word (`sensor/temp` breaks as
 * `sensor/` + `temp`, `a@example.com` after the `@`); the CSS of cells and dialogs never
 * breaks words itself. `suffix` (a list's comma) stays on the line of the text's end.
 */
export function Breakable(props: { readonly text: string; readonly suffix?: string }) {
  const parts = breakParts(props.text);
  return (
    <span className="breakable">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
      {props.suffix}
    </span>
  );
}
